/**
 * End to end: `tesla-mcp sim --port 0 --pair-key <pem>` runs in
 * another process, and only our own code talks to it: the Fleet client from
 * `createFleetClient(env)` (`TESLA_FLEET_API_URL`, `TESLA_ACCESS_TOKEN` from the sim's output, a
 * temp `TESLA_MCP_CONFIG_DIR`, `TESLA_SESSION_CACHE=off`) and the `Dispatcher` with the
 * registry's builders. The steps run in order on one simulator; `did` tallies every billable
 * request the test causes, and the last step checks the client's billing summary (and the
 * simulator's own counts) against it.
 *
 * @module
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getCommand } from '../../src/commands/registry.js';
import { createFleetClient, FleetApiError, type FleetClient } from '../../src/fleet/index.js';
import { wakeAndWait } from '../../src/fleet/wake.js';
import { SIM_VINS } from '../../src/sim/index.js';
import { Dispatcher, keyFingerprint, VehicleCommandError } from '../../src/vehicle/index.js';
import type { CommandResult } from '../../src/vehicle/types.js';
import { type SimProcess, startSimProcess } from '../helpers/sim-process.js';

const APP_DOMAIN = 'fleet.example.com';
const { modern: MODERN, legacy: LEGACY, unpaired: UNPAIRED } = SIM_VINS;

/** Billable requests this test has caused, by the client's billing categories. */
const did = { data: 0, command: 0, wake: 0 };

describe('Fleet client + vehicle layer against `tesla-mcp sim` in another process', () => {
  let sim: SimProcess;
  let configDir: string;
  let client: FleetClient;
  let dispatcher: Dispatcher;

  /** Builds `name` from the Go proxy's JSON params with the registry and sends it. */
  const send = (vin: string, name: string, params: Record<string, unknown> = {}) => {
    const spec = getCommand(name);
    assert.ok(spec?.build, `${name} has a builder`);
    return dispatcher.vehicle(vin).send(spec.build(params), {
      name,
      params,
      idempotent: spec.effect === 'idempotent' || spec.effect === 'read',
    });
  };
  const readData = async (vin: string) => {
    did.data++;
    return (await client.vehicles.data(vin, { endpoints: ['charge_state', 'vehicle_state'] })) as {
      charge_state: { charge_limit_soc: number };
      vehicle_state: { locked: boolean };
    };
  };
  const billable = (endpoint: string) =>
    client.billingSummary().endpoints.find((l) => l.endpoint === endpoint)?.billable ?? 0;

  before(async () => {
    sim = await startSimProcess();
    configDir = await mkdtemp(join(tmpdir(), 'tesla-mcp-e2e-'));
    const env = {
      TESLA_FLEET_API_URL: sim.url,
      TESLA_ACCESS_TOKEN: sim.token,
      TESLA_MCP_CONFIG_DIR: configDir,
      TESLA_SESSION_CACHE: 'off',
      TESLA_DOMAIN: APP_DOMAIN,
    };
    client = createFleetClient(env).client;
    dispatcher = await Dispatcher.open({
      transport: client,
      key: sim.key,
      env,
      appDomain: APP_DOMAIN,
    });
  });
  after(async () => {
    await dispatcher?.close();
    await sim?.stop();
    if (configDir) await rm(configDir, { recursive: true, force: true });
  });

  it('lists the three simulated vehicles and reads the modern car', async () => {
    assert.deepEqual(sim.vins, [MODERN, LEGACY, UNPAIRED]);
    const list = await client.vehicles.list();
    did.data++;
    assert.deepEqual(
      list.map((v) => [v.vin, v.state]),
      [
        [MODERN, 'online'],
        [LEGACY, 'asleep'],
        [UNPAIRED, 'online'],
      ],
    );
    const data = await readData(MODERN);
    assert.equal(data.vehicle_state.locked, true);
    assert.equal(data.charge_state.charge_limit_soc, 80);
  });

  it('reads of the asleep legacy car give 408 (not a wake); wakeAndWait brings it online', async () => {
    await assert.rejects(readData(LEGACY), (e: unknown) => {
      assert.ok(e instanceof FleetApiError, String(e));
      assert.equal(e.status, 408);
      assert.equal(e.code, 'asleep');
      return true;
    });
    assert.equal((await client.vehicle(LEGACY)).state, 'asleep');
    did.data++;
    // The sim's wake delay is 4 s and `tesla-mcp sim` has no flag for it: poll through the same
    // wakeAndWait the client method uses, with a short pause instead of its 2-4-8 s backoff.
    const quickSleep = () => new Promise<void>((r) => setTimeout(r, 200));
    const woke = await wakeAndWait(client, LEGACY, { timeoutMs: 15_000, maxPolls: 60 }, quickSleep);
    did.wake++;
    did.data += woke.polls;
    assert.equal(woke.state, 'online');
    assert.ok(woke.polls >= 1, 'the car answered wake_up while still asleep, so we polled');
    assert.equal((await client.vehicle(LEGACY)).state, 'online');
    did.data++;
    assert.equal(client.wakesRemaining(LEGACY), 5, 'one wake taken from the 6/h budget');
  });

  it('one signed command per domain on the modern car changes what vehicle_data shows', async () => {
    const unlocked = await send(MODERN, 'door_unlock');
    did.command += 2; // VCSEC handshake + command
    assert.deepEqual([unlocked.via, unlocked.domain, unlocked.vin], ['signed', 'vcsec', MODERN]);
    const limited = await send(MODERN, 'set_charge_limit', { percent: 65 });
    did.command += 2; // Infotainment handshake + command
    assert.deepEqual([limited.via, limited.domain], ['signed', 'infotainment']);
    let data = await readData(MODERN);
    assert.equal(data.vehicle_state.locked, false);
    assert.equal(data.charge_state.charge_limit_soc, 65);
    // The sessions are reused: one request per command from now on.
    const before = billable('POST /api/1/vehicles/{vin}/signed_command');
    await send(MODERN, 'door_lock');
    did.command++;
    assert.equal(billable('POST /api/1/vehicles/{vin}/signed_command'), before + 1);
    data = await readData(MODERN);
    assert.equal(data.vehicle_state.locked, true);
  });

  it('the legacy car: the dispatcher falls back to REST with the original params', async () => {
    const restBefore = billable('POST /api/1/vehicles/{vin}/command/set_charge_limit');
    const r = await send(LEGACY, 'set_charge_limit', { percent: 72 });
    did.command += 2; // signed_command answered 422, then command/set_charge_limit
    assert.deepEqual([r.via, r.vin, r.result], ['rest', LEGACY, true]);
    assert.equal(dispatcher.vehicle(LEGACY).usesRest, true);
    assert.equal(billable('POST /api/1/vehicles/{vin}/command/set_charge_limit'), restBefore + 1);
    assert.equal((await readData(LEGACY)).charge_state.charge_limit_soc, 72);
    // Later commands go straight to REST: no second 422.
    const signedBefore = billable('POST /api/1/vehicles/{vin}/signed_command');
    assert.equal((await send(LEGACY, 'door_unlock')).via, 'rest');
    did.command++;
    assert.equal(billable('POST /api/1/vehicles/{vin}/signed_command'), signedBefore);
    assert.equal((await readData(LEGACY)).vehicle_state.locked, false);
  });

  it('the unpaired car: "not paired" names the VIN, our key fingerprint and the pairing link', async () => {
    const fingerprint = keyFingerprint(sim.key.publicKey);
    await assert.rejects(send(UNPAIRED, 'door_lock'), (e: unknown) => {
      assert.ok(e instanceof VehicleCommandError, String(e));
      assert.equal(e.code, 'key_not_paired');
      assert.equal(e.vin, UNPAIRED);
      assert.equal(e.mayHaveExecuted, false);
      assert.ok(e.message.includes(UNPAIRED), e.message);
      assert.ok(e.message.includes(fingerprint), e.message);
      assert.ok(e.message.includes(`https://tesla.com/_ak/${APP_DOMAIN}`), e.message);
      return true;
    });
    did.command++; // the handshake, answered "not paired"; never retried
    const status = await dispatcher.vehicle(UNPAIRED).checkPairing();
    did.command++;
    assert.deepEqual([status.paired, status.fingerprint], [false, fingerprint]);
    assert.equal(status.pairingUrl, `https://tesla.com/_ak/${APP_DOMAIN}`);
    const fleet = await client.vehicles.fleetStatus([MODERN, UNPAIRED]);
    did.data++;
    assert.deepEqual([fleet.key_paired_vins, fleet.unpaired_vins], [[MODERN], [UNPAIRED]]);
  });

  it('exceeding the command rate limit gives a typed 429 with Retry-After, without a retry loop', async () => {
    const endpoint = 'POST /api/1/vehicles/{vin}/signed_command';
    let calls = 0;
    let error: unknown;
    const start = billable(endpoint);
    for (let i = 0; i < 40 && error === undefined; i++) {
      calls++;
      await send(MODERN, 'door_lock').then(
        (r: CommandResult) => assert.equal(r.via, 'signed'),
        (e: unknown) => {
          error = e;
        },
      );
    }
    did.command += calls;
    assert.ok(error instanceof VehicleCommandError, `expected a 429 within 40 commands: ${error}`);
    assert.equal(error.code, 'rate_limited');
    assert.equal(error.status, 429);
    assert.equal(error.retryable, true);
    assert.ok((error.retryAfterSeconds ?? 0) > 0, `retryAfterSeconds ${error.retryAfterSeconds}`);
    assert.ok(error.cause instanceof FleetApiError);
    assert.equal(error.cause.code, 'rate_limited');
    assert.ok((error.cause.retryAfterSeconds ?? 0) > 0);
    // One request per call, the refused one included: the 429 was not slept through or resent.
    assert.equal(billable(endpoint) - start, calls);
    // Reads have their own limit and still work.
    assert.equal((await readData(MODERN)).vehicle_state.locked, true);
  });

  it('the billing summary counts the data, command and wake calls the test made', async () => {
    const { totals, costUsd, text } = client.billingSummary();
    assert.deepEqual(
      { data: totals.data, command: totals.command, wake: totals.wake },
      { data: did.data, command: did.command, wake: did.wake },
    );
    assert.equal(totals.free, 0);
    const expectedUsd = did.data / 500 + did.command / 1000 + did.wake / 50;
    assert.ok(Math.abs(costUsd - expectedUsd) < 1e-6, `${costUsd} vs ${expectedUsd}`);
    assert.match(text, new RegExp(`${did.data} data, ${did.command} command, ${did.wake} wake`));
    assert.doesNotMatch(text, new RegExp(sim.token.slice(-20)));
    // The simulator counted the same requests on its side.
    const res = await fetch(`${sim.url}/sim/status.json`);
    const status = (await res.json()) as {
      requests: { billable: { data: number; commands: number; wakes: number } };
    };
    assert.deepEqual(status.requests.billable, {
      data: did.data,
      commands: did.command,
      wakes: did.wake,
    });
  });
});
