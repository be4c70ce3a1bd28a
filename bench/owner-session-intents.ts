/**
 * The scripted owner session of `bench/owner-session.bench.ts`: everyday intents, each the tool
 * calls a model makes on this server, next to the tools of the Python server ysrdevs/tesla-mcp
 * (MIT, `tesla_mcp.py` at commit 7436dba) for the same intent and the Fleet API requests each of
 * its tools sends. Facts about that project are read from its source, none of its code is used.
 * test/bench/owner-session-intents.test.ts checks that every call names a tool of ours with
 * arguments its schema accepts, so the script cannot rot silently.
 *
 * @module
 */
import { SIM_VINS } from '../src/sim/index.js';

export interface ToolCall {
  tool: string;
  args?: Record<string, unknown>;
}

export interface Intent {
  /** What the owner says. */
  say: string;
  /**
   * The calls a model makes on this server. The runner adds what the answers ask for: `wake_up`
   * then the same call once after an `asleep` error, and the second call with the
   * `confirmation_token` of a `confirmation_required` answer (the owner agrees).
   */
  calls: ToolCall[];
  /** The Python server's tools for the same intent, in order (keys of {@link PYTHON_TOOLS}). */
  python: string[];
}

export interface FleetCalls {
  data: number;
  command: number;
  wake: number;
}

/** Where the Python server's counts come from. */
export const PYTHON_SOURCE = 'ysrdevs/tesla-mcp tesla_mcp.py @7436dba';

/** The Powerwall site of the simulated fleet (`src/sim/energy.ts`, listed by `products`). */
export const SIM_ENERGY_SITE_ID = '1689000111';

/** Seconds a sleeping car takes to come online in the session (Tesla: typically 10-60 s). */
export const WAKE_SECONDS = 12;

/**
 * `tesla_wait_for_wake` (tesla_mcp.py): one `POST wake_up`, then `GET /api/1/vehicles/{vin}`
 * at once and every `poll_interval` (default 5 s) until online: the polls at 0, 5, 10 ... s up
 * to the first at or after {@link WAKE_SECONDS}.
 */
export function pythonWaitForWakePolls(wakeSeconds: number, pollSeconds = 5): number {
  return Math.ceil(wakeSeconds / pollSeconds) + 1;
}

const data = { data: 1, command: 0, wake: 0 };
const command = { data: 0, command: 1, wake: 0 };

/**
 * Fleet API requests per call of each Python tool used below, from `tesla_mcp.py`: read tools
 * are one `_api_request` (a data request); vehicle commands are one `_cmd`, a `POST
 * /api/1/vehicles/{vin}/command/{name}` sent through tesla-http-proxy (`TESLA_PROXY_URL`, needed
 * for 2021+ cars), which turns it into one `signed_command`; energy writes are one `POST
 * /api/1/energy_sites/{id}/...`. No tool wakes the car or reads its state before a command. The
 * proxy's session handshakes are counted once by the bench ({@link PROXY_HANDSHAKES}).
 */
export const PYTHON_TOOLS: Readonly<Record<string, FleetCalls & { proxied?: true }>> = {
  tesla_vehicle_data: data,
  tesla_vehicle: data,
  tesla_products: data,
  tesla_fleet_status: data,
  tesla_nearby_charging: data,
  tesla_energy_live_status: data,
  tesla_wake_up: { data: 0, command: 0, wake: 1 },
  tesla_wait_for_wake: { data: pythonWaitForWakePolls(WAKE_SECONDS), command: 0, wake: 1 },
  tesla_energy_backup_reserve: command,
  tesla_set_temps: { ...command, proxied: true },
  tesla_climate_on: { ...command, proxied: true },
  tesla_climate_off: { ...command, proxied: true },
  tesla_seat_heater: { ...command, proxied: true },
  tesla_set_charge_limit: { ...command, proxied: true },
  tesla_lock: { ...command, proxied: true },
  tesla_unlock: { ...command, proxied: true },
  tesla_navigate_address: { ...command, proxied: true },
  tesla_sentry_mode: { ...command, proxied: true },
  tesla_charge_port_open: { ...command, proxied: true },
  tesla_charge_start: { ...command, proxied: true },
  tesla_charge_stop: { ...command, proxied: true },
  tesla_honk: { ...command, proxied: true },
  tesla_flash_lights: { ...command, proxied: true },
  tesla_vent_windows: { ...command, proxied: true },
  tesla_close_windows: { ...command, proxied: true },
  tesla_add_precondition_schedule: { ...command, proxied: true },
  tesla_defrost: { ...command, proxied: true },
};

/**
 * tesla-http-proxy starts a session with both domains (VCSEC and Infotainment) before its first
 * command and keeps them in its session cache afterwards (vehicle-command
 * `pkg/proxy/proxy.go` @724d8c85 `handleVehicleCommand` → `StartSession(ctx, nil)`,
 * `internal/dispatcher/dispatcher.go` `StartSessions`): two `signed_command` requests, once.
 */
export const PROXY_HANDSHAKES = 2;

export const INTENTS: readonly Intent[] = [
  {
    say: 'How charged is the car? (it is asleep)',
    calls: [{ tool: 'vehicle_data', args: { endpoints: ['charge_state'] } }],
    // The first read answers 408 (billed); the model wakes as the answer says, then reads again.
    python: ['tesla_vehicle_data', 'tesla_wait_for_wake', 'tesla_vehicle_data'],
  },
  {
    say: 'Warm the cabin to 21 °C',
    calls: [
      { tool: 'set_temps', args: { driver_temp_celsius: 21 } },
      { tool: 'auto_conditioning_start' },
    ],
    python: ['tesla_set_temps', 'tesla_climate_on'],
  },
  {
    say: 'Turn my seat heater on high',
    calls: [{ tool: 'remote_seat_heater_request', args: { seat: 'front_left', level: 'high' } }],
    python: ['tesla_seat_heater'],
  },
  {
    say: 'Set the charge limit to 80 %',
    calls: [{ tool: 'set_charge_limit', args: { percent: 80 } }],
    python: ['tesla_set_charge_limit'],
  },
  {
    say: 'Set the charge limit to 80 % (again)',
    calls: [{ tool: 'set_charge_limit', args: { percent: 80 } }],
    python: ['tesla_set_charge_limit'],
  },
  {
    say: 'Open the charge port',
    calls: [{ tool: 'charge_port_door_open' }],
    python: ['tesla_charge_port_open'],
  },
  {
    say: 'Start charging',
    calls: [{ tool: 'charge_start' }],
    python: ['tesla_charge_start'],
  },
  {
    say: 'Stop charging',
    calls: [{ tool: 'charge_stop' }],
    python: ['tesla_charge_stop'],
  },
  {
    say: 'Lock the car',
    calls: [{ tool: 'door_lock' }],
    python: ['tesla_lock'],
  },
  {
    say: 'Is it awake? Wake it up',
    calls: [{ tool: 'wake_up' }],
    // The cheapest of its two wake tools (tesla_wait_for_wake would add a state read).
    python: ['tesla_wake_up'],
  },
  {
    say: 'Unlock it (confirmed)',
    calls: [{ tool: 'door_unlock' }],
    python: ['tesla_unlock'],
  },
  {
    say: 'Navigate to 1 Infinite Loop, Cupertino',
    calls: [{ tool: 'navigation_request', args: { address: '1 Infinite Loop, Cupertino, CA' } }],
    python: ['tesla_navigate_address'],
  },
  {
    say: 'Turn Sentry Mode on',
    calls: [{ tool: 'set_sentry_mode', args: { on: true } }],
    python: ['tesla_sentry_mode'],
  },
  {
    say: 'Honk so I can find it',
    calls: [{ tool: 'honk_horn' }],
    python: ['tesla_honk'],
  },
  {
    say: 'Flash the lights',
    calls: [{ tool: 'flash_lights' }],
    python: ['tesla_flash_lights'],
  },
  {
    say: 'Vent the windows (confirmed)',
    calls: [{ tool: 'window_control', args: { command: 'vent' } }],
    python: ['tesla_vent_windows'],
  },
  {
    say: 'Close the windows',
    calls: [{ tool: 'window_control', args: { command: 'close' } }],
    python: ['tesla_close_windows'],
  },
  {
    say: 'Where is the car?',
    calls: [{ tool: 'vehicle_data', args: { endpoints: ['location_data'] } }],
    python: ['tesla_vehicle_data'],
  },
  {
    say: 'Check the tire pressures',
    calls: [{ tool: 'vehicle_data', args: { endpoints: ['vehicle_state'] } }],
    python: ['tesla_vehicle_data'],
  },
  {
    say: 'Is it locked, and is the cabin warm yet?',
    calls: [{ tool: 'vehicle_data', args: { endpoints: ['vehicle_state', 'climate_state'] } }],
    python: ['tesla_vehicle_data'],
  },
  {
    say: 'Defrost the windscreen',
    calls: [{ tool: 'set_preconditioning_max', args: { on: true } }],
    python: ['tesla_defrost'],
  },
  {
    say: 'Turn the climate off',
    calls: [{ tool: 'auto_conditioning_stop' }],
    python: ['tesla_climate_off'],
  },
  {
    say: 'Have it ready for 7:30 tomorrow',
    calls: [
      {
        tool: 'set_scheduled_departure',
        args: { enable: true, departure_time_minutes: 450, preconditioning_enabled: true },
      },
    ],
    // It has no scheduled-departure tool; its precondition schedule is the nearest.
    python: ['tesla_add_precondition_schedule'],
  },
  {
    say: 'Any Superchargers nearby?',
    calls: [{ tool: 'nearby_charging_sites' }],
    python: ['tesla_nearby_charging'],
  },
  {
    say: 'Is the key set up for commands? (fleet status)',
    // The car's VIN, which every answer above carries: without vins the tool covers the whole
    // account and lists it first (one more data request, as its description says).
    calls: [{ tool: 'fleet_status', args: { vins: [SIM_VINS.modern] } }],
    python: ['tesla_fleet_status'],
  },
  {
    say: 'Set the Powerwall backup reserve to 30 %',
    // The site id comes from products, as on its side.
    calls: [
      { tool: 'products' },
      { tool: 'backup', args: { energy_site_id: SIM_ENERGY_SITE_ID, backup_reserve_percent: 30 } },
    ],
    python: ['tesla_products', 'tesla_energy_backup_reserve'],
  },
  {
    say: 'How much is the Powerwall charged?',
    calls: [{ tool: 'live_status', args: { energy_site_id: SIM_ENERGY_SITE_ID } }],
    python: ['tesla_energy_live_status'],
  },
];
