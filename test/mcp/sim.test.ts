import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { createRuntime, type Runtime } from '../../src/mcp/runtime.js';
import { parseToolsets } from '../../src/mcp/server.js';
import { type RunningSimulator, SIM_VINS, startSimulator } from '../../src/sim/index.js';
import { connect } from '../helpers/fake-deps.js';

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

/** A member of the structured result (empty object when absent). */
function part<T>(r: Result, key: string): T {
  return (r.structuredContent?.[key] ?? {}) as T;
}

const errorCode = (r: Result) => part<{ code?: string }>(r, 'error').code;

describe('MCP tools against the simulator (in process)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-sim-'));
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  let answer: 'accept' | 'decline' = 'accept';
  let sim: RunningSimulator | undefined;
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as Result;

  before(async () => {
    runtime = await createRuntime({
      env: { TESLA_MCP_CONFIG_DIR: dir, TESLA_VIN: SIM_VINS.modern },
      simulator: true,
      startSimulator: async (o) => {
        sim = await startSimulator({ pairKeys: o.pairKeys, wakeDelayMs: 0 });
        return sim;
      },
      log: () => {},
      sleep: async () => {},
    });
    ({ client, close } = await connect(
      runtime.deps,
      { toolsets: parseToolsets('all') },
      { elicitation: {} },
    ));
    client.setRequestHandler(ElicitRequestSchema, async () =>
      answer === 'accept'
        ? { action: 'accept', content: { confirm: true } }
        : { action: 'decline' },
    );
  });
  after(async () => {
    await close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads: list_vehicles and a trimmed vehicle_data, marked simulated', async () => {
    const list = await call('list_vehicles');
    const vins = part<{ vin: string }[]>(list, 'vehicles').map((v) => v.vin);
    assert.deepEqual(vins.sort(), Object.values(SIM_VINS).sort());
    const data = await call('vehicle_data');
    assert.equal(data.isError, undefined, data.content[0]?.text);
    assert.equal(data.structuredContent?.simulated, true);
    assert.equal(
      typeof part<{ battery_level: unknown }>(data, 'charge_state').battery_level,
      'number',
    );
    assert.equal(data.structuredContent?.location, undefined, 'no location unless asked');
  });

  it('a signed Infotainment command changes the simulated car', async () => {
    const r = await call('set_charge_limit', { percent: 90 });
    assert.equal(r.isError, undefined, r.content[0]?.text);
    assert.equal(r.structuredContent?.via, 'signed');
    const data = await call('vehicle_data', { endpoints: ['charge_state'] });
    assert.equal(part<{ charge_limit_soc: number }>(data, 'charge_state').charge_limit_soc, 90);
  });

  it('a risky VCSEC command: elicitation declined leaves the car locked, accepted unlocks it', async () => {
    assert.equal((await call('door_lock')).isError, undefined);
    const locked = async () =>
      part<{ locked?: boolean }>(
        await call('vehicle_data', { endpoints: ['vehicle_state'] }),
        'vehicle_state',
      ).locked;
    assert.equal(await locked(), true);
    answer = 'decline';
    const declined = await call('door_unlock');
    assert.equal(declined.structuredContent?.executed, false);
    assert.equal(await locked(), true);
    answer = 'accept';
    const accepted = await call('door_unlock');
    assert.equal(accepted.isError, undefined, accepted.content[0]?.text);
    assert.equal(await locked(), false);
  });

  it('the legacy car takes REST commands after a wake', async () => {
    const asleep = await call('door_lock', { vin: SIM_VINS.legacy });
    assert.equal(errorCode(asleep), 'asleep', asleep.content[0]?.text);
    const woke = await call('wake_up', { vin: SIM_VINS.legacy, wait_seconds: 10 });
    assert.equal(woke.structuredContent?.state, 'online', woke.content[0]?.text);
    const r = await call('set_charge_limit', { vin: SIM_VINS.legacy, percent: 70 });
    assert.equal(r.isError, undefined, r.content[0]?.text);
    assert.equal(r.structuredContent?.via, 'rest');
  });

  it('extension commands (proto-ext/) are signed on the modern car and change its state', async () => {
    const car = sim?.fleet.car(SIM_VINS.modern);
    assert.ok(car);
    assert.equal((await call('auto_conditioning_start')).isError, undefined);
    const level = await call('remote_steering_wheel_heat_level_request', { level: 'high' });
    assert.equal(level.isError, undefined, level.content[0]?.text);
    assert.equal(level.structuredContent?.via, 'signed');
    const auto = await call('remote_auto_steering_wheel_heat_climate_request', { on: true });
    assert.equal(auto.structuredContent?.via, 'signed', auto.content[0]?.text);
    const data = await call('vehicle_data', { endpoints: ['climate_state'] });
    const climate = part<Record<string, unknown>>(data, 'climate_state');
    assert.deepEqual(
      [climate.steering_wheel_heat_level, climate.auto_steering_wheel_heat],
      [2, true],
      JSON.stringify(climate),
    );
    const nav = await call('navigation_gps_request', { lat: 40.5, lon: -74.25 });
    assert.equal(nav.structuredContent?.via, 'signed', nav.content[0]?.text);
    assert.deepEqual(car.state.route, { latitude: 40.5, longitude: -74.25 });
    for (const [name, args] of [
      ['remote_boombox', { sound: 'locate_ping' }],
      ['navigation_sc_request', {}],
      ['navigation_waypoints_request', { place_ids: ['ChIJa', 'ChIJb'] }],
      ['take_drivenote', { note: 'from the test' }],
    ] as const) {
      const r = await call(name, args);
      assert.equal(r.structuredContent?.via, 'signed', `${name}: ${r.content[0]?.text}`);
      assert.deepEqual(
        [car.history[0]?.name, car.history[0]?.via, car.history[0]?.result],
        [name, 'signed', true],
      );
    }
  });

  it('the modern car refusing an extension command is reported, never retried over REST', async () => {
    const car = sim?.fleet.car(SIM_VINS.modern);
    assert.ok(car);
    assert.equal((await call('auto_conditioning_stop')).isError, undefined);
    const endpoint = 'POST command/remote_steering_wheel_heat_level_request';
    const rest = sim?.fleet.counter.snapshot().byEndpoint[endpoint] ?? 0;
    const r = await call('remote_steering_wheel_heat_level_request', { level: 'low' });
    assert.equal(r.isError, true);
    assert.match(r.content[0]?.text ?? '', /cabin comfort remote settings not enabled/);
    assert.equal(car.history[0]?.via, 'signed');
    assert.equal(sim?.fleet.counter.snapshot().byEndpoint[endpoint] ?? 0, rest);
    assert.equal(car.state.steeringWheelHeatLevel, 2, 'unchanged');
  });

  it('the legacy car takes extension commands over REST', async () => {
    const car = sim?.fleet.car(SIM_VINS.legacy);
    assert.ok(car);
    const woke = await call('wake_up', { vin: SIM_VINS.legacy, wait_seconds: 10 });
    assert.equal(woke.structuredContent?.state, 'online', woke.content[0]?.text);
    const nav = await call('navigation_gps_request', { vin: SIM_VINS.legacy, lat: 1.5, lon: 2.5 });
    assert.equal(nav.structuredContent?.via, 'rest', nav.content[0]?.text);
    assert.deepEqual(car.state.route, { latitude: 1.5, longitude: 2.5 });
    const boom = await call('remote_boombox', { vin: SIM_VINS.legacy, sound: 'random_fart' });
    assert.equal(boom.structuredContent?.via, 'rest', boom.content[0]?.text);
    assert.deepEqual([car.history[0]?.name, car.history[0]?.via], ['remote_boombox', 'rest']);
  });

  it('the unpaired car answers key_not_paired with our key fingerprint', async () => {
    const r = await call('door_lock', { vin: SIM_VINS.unpaired });
    assert.equal(errorCode(r), 'key_not_paired', r.content[0]?.text);
    assert.ok(r.content[0]?.text.includes(runtime.deps.key?.fingerprint ?? 'missing'));
    const status = await call('get_key_status', { vin: SIM_VINS.unpaired, check_vehicle: true });
    assert.equal(part<{ paired: boolean }>(status, 'vehicle').paired, false);
  });

  it('counts billable calls', async () => {
    const b = await call('get_billing_summary');
    const req = part<{ data: number; command: number; wake: number }>(b, 'totals');
    // Signed commands count as commands whatever the vehicle id (categorize in src/fleet/billing.ts).
    assert.ok(req.data > 0 && req.command > 0 && req.wake >= 1, JSON.stringify(req));
    assert.match(String(b.structuredContent?.text), /Fleet API calls since/);
  });
});
