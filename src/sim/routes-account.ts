/**
 * Account-level and auxiliary endpoints of the simulated Fleet API: user region/me, products,
 * charging history, energy site reads and commands, fleet telemetry config (the JWS is verified),
 * share invitations and drivers.
 *
 * @module
 */
import type { SimFleet } from './fleet.js';
import { asRecord, fail, ok, type Route, type SimRequest, type SimResponse } from './routes.js';
import type { SimVehicle } from './vehicle.js';

/** Routes under `/api/1/users`, `/api/1/products`, `/api/1/energy_sites`, `/api/1/dx/charging`. */
export function accountRoute(fleet: SimFleet, req: SimRequest, parts: string[]): Route | undefined {
  const m = req.method;
  const r = (endpoint: string, run: () => SimResponse, o: Partial<Route> = {}): Route => ({
    endpoint: `${m} ${endpoint}`,
    category: 'data',
    subject: 'account',
    run,
    ...o,
  });
  const [a, b, c, d] = parts;
  if (a === 'users' && m === 'GET') {
    const users: Record<string, () => unknown> = {
      region: () => ({ region: 'na', fleet_api_base_url: fleet.baseUrl }),
      me: () => ({
        email: 'driver@sim.invalid',
        full_name: 'Simulated Driver',
        profile_image_url: '',
        vault_uuid: '00000000-0000-4000-8000-000000000001',
      }),
      feature_config: () => ({ signaling: { enabled: true, subscribe_connectivity: false } }),
      orders: () => [],
      backup_key: () => ({ backup_key: null }),
    };
    const f = b ? users[b] : undefined;
    return f ? r(`users/${b}`, () => ok(f())) : undefined;
  }
  if (a === 'products' && m === 'GET') {
    return r('products', () => {
      const vehicles = [...fleet.vehicles.values()].map((v) => ({
        id: v.id,
        vin: v.vin,
        display_name: v.state.displayName,
        state: v.status,
      }));
      const s = fleet.site;
      const site = {
        energy_site_id: s.id,
        resource_type: 'battery',
        site_name: s.siteName,
        id: `SIM-${s.id}`,
        gateway_id: `SIM-GW-${s.id}`,
        energy_left: (s.liveStatus() as { energy_left: number }).energy_left,
        total_pack_energy: s.capacityWh,
        percentage_charged: Math.round(s.percentCharged),
        battery_type: 'ac_powerwall',
        backup_capable: true,
        components: { battery: true, solar: true, grid: true, load_meter: true },
      };
      const list = [...vehicles, site];
      return ok(list, { count: list.length });
    });
  }
  if (a === 'dx' && b === 'charging' && m === 'GET') {
    if (c === 'history') return r('charging/history', () => chargingHistory(fleet, req.query));
    if (c === 'sessions') return r('charging/sessions', () => ok({ data: [] }));
    if (c === 'invoice' && d !== undefined) return r('charging/invoice', () => invoicePdf(d));
    return undefined;
  }
  if (a === 'energy_sites' && b !== undefined && c !== undefined) {
    const site = String(fleet.site.id) === b ? fleet.site : undefined;
    const subject = `site:${b}`;
    if (!site) return r(`energy_sites/${c}`, () => fail(404, 'not_found'), { subject });
    if (m === 'GET') {
      const reads: Record<string, () => unknown> = {
        site_info: () => site.siteInfo(),
        live_status: () => site.liveStatus(),
        calendar_history: () =>
          site.history(req.query.get('kind') ?? 'energy', req.query.get('period') ?? 'day'),
        telemetry_history: () => ({ charge_history: [] }),
      };
      const f = reads[c];
      return f ? r(`energy_sites/${c}`, () => ok(f()), { subject }) : undefined;
    }
    if (m === 'POST') {
      const run = () => energyCommand(fleet, c, asRecord(req.body));
      return r(`energy_sites/${c}`, run, { subject, category: 'commands' });
    }
  }
  return undefined;
}

function energyCommand(fleet: SimFleet, name: string, body: Record<string, unknown>): SimResponse {
  const s = fleet.site;
  const done = ok({ code: 201, message: 'Updated' });
  const pct = (v: unknown) => typeof v === 'number' && v >= 0 && v <= 100;
  switch (name) {
    case 'backup':
      if (!pct(body.backup_reserve_percent)) return fail(400, 'invalid backup_reserve_percent');
      s.sync();
      s.backupReservePercent = body.backup_reserve_percent as number;
      return done;
    case 'operation': {
      const mode = body.default_real_mode;
      if (mode !== 'self_consumption' && mode !== 'autonomous' && mode !== 'backup') {
        return fail(400, 'invalid default_real_mode');
      }
      s.sync();
      s.operationMode = mode;
      return done;
    }
    case 'storm_mode':
      if (typeof body.enabled !== 'boolean') return fail(400, 'invalid enabled');
      s.stormModeEnabled = body.enabled;
      return done;
    case 'off_grid_vehicle_charging_reserve':
      if (!pct(body.off_grid_vehicle_charging_reserve_percent)) return fail(400, 'invalid percent');
      s.offGridVehicleChargingReserve = body.off_grid_vehicle_charging_reserve_percent as number;
      return done;
    case 'grid_import_export': {
      const rule = body.customer_preferred_export_rule;
      if (rule === 'battery_ok' || rule === 'pv_only' || rule === 'never') s.gridExport = rule;
      if (typeof body.disallow_charge_from_grid_with_solar_installed === 'boolean') {
        s.disallowChargeFromGrid = body.disallow_charge_from_grid_with_solar_installed;
      }
      return done;
    }
    case 'time_of_use_settings':
      return done;
    default:
      return fail(400, 'invalid_command');
  }
}

function chargingHistory(fleet: SimFleet, q: URLSearchParams): SimResponse {
  const vin = q.get('vin');
  const now = fleet.now();
  const all = [...fleet.vehicles.values()]
    .filter((v) => !vin || v.vin === vin)
    .flatMap((v, i) =>
      [1, 2, 3].map((n) => {
        const start = now - (n * 3 + i) * 86_400_000;
        return {
          sessionId: 900_000 + v.id * 10 + n,
          vin: v.vin,
          siteLocationName: 'Sim Town, CA - Main Street',
          chargeStartDateTime: new Date(start).toISOString(),
          chargeStopDateTime: new Date(start + 35 * 60_000).toISOString(),
          unlatchDateTime: new Date(start + 37 * 60_000).toISOString(),
          countryCode: 'US',
          fees: [
            {
              feeType: 'CHARGING',
              currencyCode: 'USD',
              pricingType: 'PAYMENT',
              usageBase: 31.5,
              totalDue: 12.6,
              uom: 'kwh',
              isPaid: true,
              status: 'PAID',
            },
          ],
          billingType: 'IMMEDIATE',
          invoices: [
            {
              fileName: `${900_000 + v.id * 10 + n}.pdf`,
              contentId: invoiceId(900_000 + v.id * 10 + n),
              invoiceType: 'IMMEDIATE',
            },
          ],
          vehicleMakeType: 'TSLA',
        };
      }),
    )
    .sort((a, b) => b.chargeStartDateTime.localeCompare(a.chargeStartDateTime));
  if (q.get('sortOrder') === 'ASC') all.reverse();
  // Pages count from 1, page 1 holding the newest sessions, as clients of Tesla's endpoint read it
  // (python-tesla-fleet-api passes pageNo through; Smartcar's Tesla billing records: "page 1
  // contains the most recent records"). Below 1 reads as the first page.
  const pageNo = Math.max(1, Math.trunc(Number(q.get('pageNo') ?? 1)) || 1);
  const pageSize = Math.min(100, Math.max(1, Number(q.get('pageSize') ?? 25) || 25));
  const data = all.slice((pageNo - 1) * pageSize, pageNo * pageSize);
  return ok({
    data,
    totalResults: all.length,
    pageNo,
    pageSize,
    hasMoreData: pageNo * pageSize < all.length,
  });
}

/** `POST /api/1/vehicles/fleet_telemetry_config[_jws]`. */
export function configureTelemetry(fleet: SimFleet, kind: string, body: unknown): SimResponse {
  if (kind === 'fleet_telemetry_config') {
    return fail(
      400,
      'invalid_request',
      'fleet telemetry config must be signed: send a Tesla.SS256 JWS to fleet_telemetry_config_jws',
    );
  }
  const { token, vins } = asRecord(body);
  if (typeof token !== 'string' || !Array.isArray(vins)) {
    return fail(400, 'invalid_field', 'expected {"token": "<JWS>", "vins": [...]}');
  }
  let verified: { claims: Record<string, unknown>; publicKey: Uint8Array };
  try {
    verified = fleet.verifyJws(token);
  } catch (err) {
    const why = err instanceof Error ? err.message : 'invalid';
    return fail(400, 'invalid_jws', `the config JWS did not verify: ${why}`);
  }
  const missingKey: string[] = [];
  let updated = 0;
  for (const vin of vins) {
    const v = typeof vin === 'string' ? fleet.vehicles.get(vin) : undefined;
    if (!v) continue;
    if (!v.paired.has(Buffer.from(verified.publicKey).toString('hex'))) {
      missingKey.push(v.vin);
      continue;
    }
    fleet.telemetryConfigs.set(v.vin, verified.claims);
    updated += 1;
  }
  return ok({
    updated_vehicles: updated,
    skipped_vehicles: {
      missing_key: missingKey,
      unsupported_hardware: [],
      unsupported_firmware: [],
      max_configs: [],
    },
  });
}

/** Per-vehicle routes beyond the core reads: telemetry config, invitations, drivers. */
export function vehicleExtraRoute(
  fleet: SimFleet,
  v: SimVehicle,
  req: SimRequest,
  action: string | undefined,
  sub: string | undefined,
): { endpoint: string; run: () => SimResponse } | undefined {
  const m = req.method;
  const e = (endpoint: string, run: () => SimResponse) => ({ endpoint, run });
  if (action === 'fleet_telemetry_config') {
    if (m === 'GET') {
      return e('fleet_telemetry_config', () => {
        const config = fleet.telemetryConfigs.get(v.vin) ?? null;
        const keyPaired = v.kind !== 'unpaired' && v.paired.size > 0;
        return ok({ synced: true, config, limit_reached: false, key_paired: keyPaired });
      });
    }
    if (m === 'DELETE') {
      return e('fleet_telemetry_config', () => {
        const had = fleet.telemetryConfigs.delete(v.vin);
        return ok({ updated_vehicles: had ? 1 : 0 });
      });
    }
  }
  if (action === 'fleet_telemetry_errors' && m === 'GET') {
    return e(action, () => ok({ fleet_telemetry_errors: [] }));
  }
  if (action === 'drivers') {
    if (m === 'GET') {
      return e('drivers', () => {
        const list = fleet.sharing.drivers(v.vin);
        return ok(list, { count: list.length });
      });
    }
    if (m === 'DELETE') {
      return e('drivers', () => {
        const id = req.query.get('share_user_id');
        const list = fleet.sharing.drivers(v.vin);
        const i = list.findIndex((d) => String(d.share_user_id) === id);
        if (i < 0) return fail(404, 'not_found', 'no driver with that share_user_id');
        list.splice(i, 1);
        return ok('ok');
      });
    }
  }
  if (action === 'invitations') {
    if (m === 'GET' && sub === undefined) {
      return e('invitations', () => {
        const list = fleet.sharing.invitations(v.vin).filter((i) => i.state === 'pending');
        return ok(list, { count: list.length });
      });
    }
    if (m === 'POST' && sub === undefined) {
      return e('invitations', () => ok(fleet.sharing.createInvitation(v.vin)));
    }
    if (m === 'POST' && sub !== undefined && req.path.endsWith('/revoke')) {
      return e('invitations/revoke', () => {
        const inv = fleet.sharing.invitations(v.vin).find((i) => i.id_s === sub);
        if (!inv) return fail(404, 'not_found', 'no invitation with that id');
        inv.state = 'revoked';
        inv.revoked_at = new Date(fleet.now()).toISOString();
        return ok(true);
      });
    }
  }
  return undefined;
}

/** The invoice id Tesla gives in `charging/history` (`invoices[].contentId`) for a session. */
export function invoiceId(sessionId: number): string {
  return `sim-invoice-${sessionId}`;
}

/**
 * `GET /api/1/dx/charging/invoice/{id}`: the invoice as `application/pdf` bytes (Tesla Fleet API
 * docs, "Charging Endpoints"), a one-page PDF naming the session.
 */
function invoicePdf(id: string): SimResponse {
  const m = /^sim-invoice-(\d{1,20})$/.exec(id);
  if (!m) return fail(404, 'not_found', 'invoice not found');
  const text = `Simulated Supercharging invoice ${m[1]}`;
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let pdf = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(pdf.length);
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) pdf += `${String(off).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return {
    status: 200,
    body: new TextEncoder().encode(pdf),
    headers: { 'content-type': 'application/pdf' },
  };
}
