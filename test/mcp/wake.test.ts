import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createToolDeps } from '../../src/mcp/deps.js';
import { createRuntime, type Runtime } from '../../src/mcp/runtime.js';
import { FRESH_MS, VehicleStates } from '../../src/mcp/vehicle-states.js';
import { PrivateKey } from '../../src/signing/keys.js';
import { type RunningSimulator, SIM_VINS, startSimulator } from '../../src/sim/index.js';
import {
  connect,
  fakeDeps,
  fakeFleet,
  fakeVehicle,
  newRecorder,
  VIN,
} from '../helpers/fake-deps.js';

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

describe('VehicleStates', () => {
  it('trusts a seen state for FRESH_MS only', () => {
    let t = 1_000;
    const s = new VehicleStates(() => t);
    s.note(VIN, 'online');
    assert.equal(s.recent(VIN), 'online');
    t += FRESH_MS - 1;
    assert.equal(s.recent(VIN), 'online');
    t += 1;
    assert.equal(s.recent(VIN), undefined);
  });
  it('shares a run in progress per VIN, not across VINs', async () => {
    const s = new VehicleStates();
    let runs = 0;
    let release = () => {};
    const gate = new Promise<void>((r) => {
      release = r;
    });
    const fn = async () => {
      runs++;
      await gate;
      return runs;
    };
    const a = s.single(VIN, fn);
    const b = s.single(VIN, fn);
    const c = s.single('5YJ3E1EA7KF000002', fn);
    release();
    assert.deepEqual(await Promise.all([a, b, c]), [2, 2, 2]);
    assert.equal(runs, 2);
    // Finished runs are not reused.
    assert.equal(await s.single(VIN, async () => 'again'), 'again');
  });
});

describe('wake_up costs no wake for a car already online (fake Fleet API)', () => {
  const wakes = (rec: { requests: { path: string }[] }) =>
    rec.requests.filter((r) => r.path.endsWith('/wake_up')).length;

  it('online at the state read: already awake, no wake; then a recent call is enough', async () => {
    const { deps, rec } = fakeDeps();
    const { client, close } = await connect(deps);
    const call = async (name: string, args: Record<string, unknown> = {}) =>
      (await client.callTool({ name, arguments: { vin: VIN, ...args } })) as Result;
    const r = await call('wake_up');
    assert.equal(r.structuredContent?.woke, false);
    assert.match(String(r.structuredContent?.message), /Already awake/);
    assert.deepEqual(
      rec.requests.map((x) => `${x.method} ${x.path}`),
      [`GET /api/1/vehicles/${VIN}`],
    );
    const again = await call('wake_up');
    assert.equal(again.structuredContent?.checked, 'recent_call');
    assert.equal(rec.requests.length, 1, 'no request at all the second time');
    assert.equal(wakes(rec), 0);
    await close();
  });

  it('a command the car answered tells it is awake', async () => {
    const { deps, rec } = fakeDeps();
    const { client, close } = await connect(deps);
    await client.callTool({ name: 'set_charge_limit', arguments: { vin: VIN, percent: 80 } });
    const before = rec.requests.length;
    const r = (await client.callTool({ name: 'wake_up', arguments: { vin: VIN } })) as Result;
    assert.equal(r.structuredContent?.woke, false);
    assert.equal(rec.requests.length, before);
    await close();
  });

  it('asleep: one real wake, also for two wake_up calls at once', async () => {
    let reads = 0;
    const { deps, rec } = fakeDeps({
      answers: {
        // Asleep at the first state read, online from the first poll on.
        [`GET /api/1/vehicles/${VIN}`]: () => ({ vin: VIN, state: reads++ ? 'online' : 'asleep' }),
      },
    });
    const { client, close } = await connect(deps);
    const [a, b] = (await Promise.all([
      client.callTool({ name: 'wake_up', arguments: { vin: VIN, wait_seconds: 30 } }),
      client.callTool({ name: 'wake_up', arguments: { vin: VIN, wait_seconds: 30 } }),
    ])) as [Result, Result];
    assert.equal(a.structuredContent?.woke, true);
    assert.equal(a.structuredContent?.state, 'online');
    assert.deepEqual(b.structuredContent, a.structuredContent);
    assert.equal(wakes(rec), 1);
    await close();
  });
});

describe('wake_up right after a call said asleep (fake Fleet API, fake clock)', () => {
  /** A state read answers asleep first, online from then on; `t` is the server's clock. */
  async function setup() {
    const clock = { t: 1_000_000 };
    let reads = 0;
    const rec = newRecorder();
    const deps = createToolDeps({
      fleet: fakeFleet(rec, {
        [`GET /api/1/vehicles/${VIN}`]: () => ({ vin: VIN, state: reads++ ? 'online' : 'asleep' }),
      }),
      vehicle: (vin) => fakeVehicle(rec, vin),
      sleep: async () => {},
      now: () => clock.t,
    });
    const { client, close } = await connect(deps);
    const call = async (name: string) =>
      (await client.callTool({ name, arguments: { vin: VIN } })) as Result;
    const sent = () => rec.requests.map((x) => `${x.method} ${x.path}`);
    return { clock, call, sent, close };
  }

  it('wakes at once: no second state read before the wake', async () => {
    const { call, sent, close } = await setup();
    assert.equal((await call('vehicle')).structuredContent?.state, 'asleep');
    const r = await call('wake_up');
    assert.equal(r.structuredContent?.woke, true, r.content[0]?.text);
    assert.equal(r.structuredContent?.state, 'online');
    assert.deepEqual(sent(), [
      `GET /api/1/vehicles/${VIN}`, // the vehicle call: asleep
      `POST /api/1/vehicles/${VIN}/wake_up`,
      `GET /api/1/vehicles/${VIN}`, // the first poll: online
    ]);
    await close();
  });

  it('an asleep answer older than FRESH_MS is read again first (the car may have woken)', async () => {
    const { clock, call, sent, close } = await setup();
    await call('vehicle');
    clock.t += FRESH_MS;
    const r = await call('wake_up');
    assert.equal(r.structuredContent?.woke, false, r.content[0]?.text);
    assert.deepEqual(sent(), [`GET /api/1/vehicles/${VIN}`, `GET /api/1/vehicles/${VIN}`]);
    await close();
  });
});

describe('wake_up against the simulator: its billing counts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-wake-'));
  let sim: RunningSimulator | undefined;
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as Result;
  const billed = () =>
    sim?.fleet.counter.snapshot().billable ?? { data: -1, commands: -1, wakes: -1 };

  before(async () => {
    runtime = await createRuntime({
      env: { TESLA_MCP_CONFIG_DIR: dir, TESLA_WAKE_BUDGET: '2/h' },
      simulator: true,
      startSimulator: async (o) => {
        sim = await startSimulator({ pairKeys: o.pairKeys, wakeDelayMs: 0 });
        return sim;
      },
      log: () => {},
      sleep: async () => {},
    });
    ({ client, close } = await connect(runtime.deps));
  });
  after(async () => {
    await close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('online car: one data request, no wake; a wake budget counts only real wakes', async () => {
    const start = billed();
    const r = await call('wake_up', { vin: SIM_VINS.modern });
    assert.equal(r.isError, undefined, r.content[0]?.text);
    assert.equal(r.structuredContent?.woke, false);
    assert.deepEqual(billed(), { ...start, data: start.data + 1 });
    // Ten more: the state a call just saw is trusted, nothing is billed.
    for (let i = 0; i < 10; i++) await call('wake_up', { vin: SIM_VINS.modern });
    assert.deepEqual(billed(), { ...start, data: start.data + 1 });

    // The legacy car is asleep: two real wakes (budget 2/h), two wake_up calls at once each.
    for (let round = 0; round < 2; round++) {
      sim?.fleet.vehicles.get(SIM_VINS.legacy)?.sleep();
      await call('vehicle', { vin: SIM_VINS.legacy }); // says asleep
      const before = billed();
      const woke = await Promise.all([
        call('wake_up', { vin: SIM_VINS.legacy, wait_seconds: 10 }),
        call('wake_up', { vin: SIM_VINS.legacy, wait_seconds: 10 }),
      ]);
      for (const w of woke) assert.equal(w.structuredContent?.state, 'online', w.content[0]?.text);
      assert.equal(billed().wakes, before.wakes + 1, `round ${round}: one wake for two calls`);
    }
    // The budget is spent, yet an online car still answers "already awake".
    const ok = await call('wake_up', { vin: SIM_VINS.legacy });
    assert.equal(ok.structuredContent?.woke, false, ok.content[0]?.text);
    sim?.fleet.vehicles.get(SIM_VINS.legacy)?.sleep();
    await call('vehicle', { vin: SIM_VINS.legacy });
    const wakesBefore = billed().wakes;
    const refused = await call('wake_up', { vin: SIM_VINS.legacy, wait_seconds: 0 });
    assert.equal(refused.isError, true, 'the third real wake is over the 2/h budget');
    assert.equal(billed().wakes, wakesBefore, 'a refused wake is not sent');
  });
});

describe('two servers on one session cache file share the wake budget', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-wake-shared-'));
  let sim: RunningSimulator;
  const runtimes: Runtime[] = [];
  const closes: (() => Promise<void>)[] = [];

  after(async () => {
    for (const c of closes) await c();
    for (const r of runtimes) await r.close();
    await sim?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a wake taken by one server is spent for the other; the refused wake is not sent', async () => {
    const key = PrivateKey.generate();
    writeFileSync(join(dir, 'private-key.pem'), key.toPem('pkcs8'), { mode: 0o600 });
    sim = await startSimulator({ pairKeys: [key.publicKey], wakeDelayMs: 0 });
    const clients: Client[] = [];
    for (let i = 0; i < 2; i++) {
      const runtime = await createRuntime({
        env: {
          TESLA_MCP_CONFIG_DIR: dir,
          TESLA_FLEET_API_URL: sim.url,
          TESLA_ACCESS_TOKEN: sim.token,
          TESLA_WAKE_BUDGET: '1/h',
        },
        simulator: false,
        log: () => {},
        sleep: async () => {},
      });
      runtimes.push(runtime);
      const c = await connect(runtime.deps);
      clients.push(c.client);
      closes.push(c.close);
    }
    const [a, b] = clients as [Client, Client];
    const call = async (c: Client, name: string, args: Record<string, unknown>) =>
      (await c.callTool({ name, arguments: args })) as Result;
    const vin = SIM_VINS.legacy;
    const wakes = () => sim.fleet.counter.snapshot().billable.wakes;
    sim.fleet.vehicles.get(vin)?.sleep();
    await call(a, 'vehicle', { vin });
    const woke = await call(a, 'wake_up', { vin, wait_seconds: 10 });
    assert.equal(woke.structuredContent?.state, 'online', woke.content[0]?.text);
    assert.equal(wakes(), 1);
    sim.fleet.vehicles.get(vin)?.sleep();
    await call(b, 'vehicle', { vin });
    const refused = await call(b, 'wake_up', { vin, wait_seconds: 0 });
    assert.equal(refused.isError, true, 'the budget of 1/h was spent by the other server');
    assert.match(refused.content[0]?.text ?? '', /wake budget 1\/h spent/);
    assert.equal(wakes(), 1, 'the refused wake was not sent');
  });
});
