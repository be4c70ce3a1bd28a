/**
 * Vehicle endpoints of the simulated Fleet API: list, summary, `vehicle_data`, `wake_up`,
 * `signed_command`, REST `command/{name}`, `fleet_status` and the other per-vehicle reads.
 * Status codes and error bodies are those vehicle-command's `pkg/connector/inet/inet.go` handles
 * (the table on `FleetHttpError`, `src/vehicle/transport.ts`).
 *
 * @module
 */
import { isKnownCommand, REST_ONLY } from './commands.js';
import type { SimFleet } from './fleet.js';
import { vehicleData, vehicleSummary } from './json.js';
import {
  asRecord,
  ERR_PROTOCOL_REQUIRED,
  ERR_PROTOCOL_UNSUPPORTED,
  fail,
  ok,
  type Route,
  type SimRequest,
} from './routes.js';
import { configureTelemetry, vehicleExtraRoute } from './routes-account.js';
import type { SimVehicle } from './vehicle.js';

const B64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** Routes under `/api/1/vehicles` and `/api/1/dx/vehicles`. */
export function vehicleRoute(fleet: SimFleet, req: SimRequest, parts: string[]): Route | undefined {
  const m = req.method;
  const route = (
    endpoint: string,
    v: SimVehicle | undefined,
    run: () => ReturnType<Route['run']>,
    o: Partial<Route> = {},
  ): Route => ({
    endpoint: `${m} ${endpoint}`,
    category: 'data',
    subject: v?.vin ?? 'account',
    vehicle: v,
    run,
    ...o,
  });

  if (parts[0] === 'dx' && parts[1] === 'vehicles' && parts[2] === 'options' && m === 'GET') {
    const v = fleet.vehicles.get(req.query.get('vin') ?? '');
    return route('options', v, () => (v ? ok(optionCodes(v)) : fail(404, 'not_found')));
  }
  if (parts[0] !== 'vehicles') return undefined;
  const [, vin, action, sub] = parts;

  if (vin === undefined) {
    if (m !== 'GET') return undefined;
    return route('vehicles', undefined, () => {
      const list = [...fleet.vehicles.values()].map(vehicleSummary);
      return ok(list, { pagination: paging(list.length), count: list.length });
    });
  }
  if (vin === 'fleet_status' && m === 'POST') {
    return route('fleet_status', undefined, () => fleetStatus(fleet, req.body));
  }
  if (vin === 'fleet_telemetry_config_jws' || vin === 'fleet_telemetry_config') {
    if (m !== 'POST') return undefined;
    return route(vin, undefined, () => configureTelemetry(fleet, vin, req.body));
  }

  const v = fleet.vehicles.get(vin);
  const notFound = () => fail(404, 'not_found', `vehicle ${vin} is not on this account`);
  if (!v) return route(action ?? 'vehicle', undefined, notFound, { subject: vin });

  if (action === undefined && m === 'GET') return route('vehicle', v, () => ok(vehicleSummary(v)));
  if (action === 'vehicle_data' && m === 'GET') {
    const endpoints = (req.query.get('endpoints') ?? '').split(/[;,]/).filter(Boolean);
    return route(
      'vehicle_data',
      v,
      () => {
        v.touch();
        return ok(vehicleData(v, endpoints, fleet.now()));
      },
      { awake: true },
    );
  }
  if (action === 'wake_up' && m === 'POST') {
    return route('wake_up', v, () => ok({ ...vehicleSummary(v), state: v.wake() }), {
      category: 'wakes',
    });
  }
  if (action === 'signed_command' && m === 'POST') {
    return signedCommand(v, req, route);
  }
  if (action === 'command' && sub !== undefined && m === 'POST') {
    return route(`command/${sub}`, v, () => restCommand(v, sub, req.body), {
      category: 'commands',
      awake: v.kind === 'legacy' || REST_ONLY.has(sub),
    });
  }
  if (m === 'GET') {
    const reads: Record<string, () => unknown> = {
      mobile_enabled: () => true,
      nearby_charging_sites: () => nearbySites(v, fleet.now()),
      recent_alerts: () => ({ recent_alerts: recentAlerts(fleet.now()) }),
      release_notes: () => ({
        release_notes: [
          {
            title: 'Simulated Fleet',
            subtitle: 'tesla-mcp',
            description: 'This vehicle is simulated; no real car is involved.',
            image_url: '',
            light_image_url: '',
          },
        ],
      }),
      service_data: () => ({ service_status: 'not_in_service', service_visit_number: null }),
      specs: () => ({ vin: v.vin, model: v.state.carType }),
    };
    const read = action ? reads[action] : undefined;
    if (read) {
      return route(action ?? '', v, () => ok(read()), {
        awake: action === 'nearby_charging_sites' || action === 'mobile_enabled',
      });
    }
  }
  const other = vehicleExtraRoute(fleet, v, req, action, sub);
  return other ? route(other.endpoint, v, other.run) : undefined;
}

function signedCommand(
  v: SimVehicle,
  req: SimRequest,
  route: (e: string, v: SimVehicle, run: Route['run'], o?: Partial<Route>) => Route,
): Route {
  return route(
    'signed_command',
    v,
    () => {
      const msg = asRecord(req.body).routable_message;
      if (typeof msg !== 'string' || !B64.test(msg)) {
        return fail(400, 'invalid_field', 'routable_message must be standard base64');
      }
      const reply = v.handleSigned(Uint8Array.from(Buffer.from(msg, 'base64')));
      return ok(Buffer.from(reply).toString('base64'));
    },
    {
      category: 'commands',
      awake: v.kind !== 'legacy',
      // The legacy car refuses the protocol before anything else.
      ...(v.kind === 'legacy' ? { run: () => fail(422, ERR_PROTOCOL_UNSUPPORTED) } : {}),
    },
  );
}

function restCommand(v: SimVehicle, name: string, body: unknown): ReturnType<Route['run']> {
  if (!isKnownCommand(name)) return fail(400, 'invalid_command');
  if (v.kind !== 'legacy' && !REST_ONLY.has(name)) return fail(403, ERR_PROTOCOL_REQUIRED);
  const r = v.restCommand(name, asRecord(body));
  return r ? ok(r) : fail(400, 'invalid_command');
}

function fleetStatus(fleet: SimFleet, body: unknown): ReturnType<Route['run']> {
  const vins = asRecord(body).vins;
  if (!Array.isArray(vins) || !vins.every((x) => typeof x === 'string')) {
    return fail(400, 'invalid_field', 'vins must be a list of VINs');
  }
  const paired: string[] = [];
  const unpaired: string[] = [];
  const info: Record<string, unknown> = {};
  for (const vin of vins as string[]) {
    const v = fleet.vehicles.get(vin);
    if (!v) continue;
    const keyPaired = v.kind !== 'unpaired' && v.paired.size > 0;
    (keyPaired ? paired : unpaired).push(vin);
    info[vin] = {
      firmware_version: v.state.carVersion.split(' ')[0],
      vehicle_command_protocol_required: v.kind !== 'legacy',
      discounted_device_data: false,
      fleet_telemetry_version: '1.0.2',
      total_number_of_keys: v.kind === 'unpaired' ? 2 : 2 + v.paired.size,
    };
  }
  return ok({ key_paired_vins: paired, unpaired_vins: unpaired, vehicle_info: info });
}

function paging(n: number): Record<string, unknown> {
  return { previous: null, next: null, current: 1, per_page: Math.max(n, 2), count: n, pages: 1 };
}

function optionCodes(v: SimVehicle): Record<string, unknown> {
  const codes =
    v.kind === 'legacy'
      ? [
          ['$MDLS', 'Model S', 'Model S'],
          ['$P90D', 'P90D', 'Performance Dual Motor'],
        ]
      : [
          ['$MT322', 'Long Range AWD', 'Model 3 Long Range All-Wheel Drive'],
          ['$PMNG', 'Midnight Silver', 'Paint'],
        ];
  return {
    codes: codes.map(([code, displayName, description]) => ({
      code,
      displayName,
      description,
      isActive: true,
    })),
  };
}

function nearbySites(v: SimVehicle, now: number): Record<string, unknown> {
  const { latitude: lat, longitude: lon } = v.state;
  return {
    congestion_sync_time_utc_secs: Math.floor(now / 1000),
    destination_charging: [
      {
        location: { lat: lat + 0.01, long: lon - 0.01 },
        name: 'Sim Hotel - Garage',
        type: 'destination',
        distance_miles: 0.9,
        amenities: 'restrooms,wifi',
      },
    ],
    superchargers: [
      {
        location: { lat: lat - 0.02, long: lon + 0.015 },
        name: 'Sim Town, CA - Main Street',
        type: 'supercharger',
        distance_miles: 1.7,
        available_stalls: 7,
        total_stalls: 12,
        site_closed: false,
        amenities: 'restrooms,restaurant,wifi',
        billing_info: '',
      },
    ],
    timestamp: now,
  };
}

function recentAlerts(now: number): unknown[] {
  return [
    {
      name: 'VCFRONT_a180_lowVoltageBattery',
      time: new Date(now - 86_400_000).toISOString(),
      audience: ['service'],
      user_text: 'Low voltage battery needs service (simulated)',
    },
  ];
}
