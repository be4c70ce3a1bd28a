/**
 * Two `tesla-mcp proxy` processes with one command key and one config folder, taking turns on
 * one simulated car (`tesla-mcp sim` in a third process): the file store lets the second
 * continue the first one's counters, so 20 commands cost 22 signed requests (one handshake per
 * domain for both) and the car refuses none. Counted by the simulator itself (`/_sim/stats`).
 * A proxy's `wake_up` is spent from the wake budget an MCP server on the same file shares.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectStdio, serveEnv } from '../helpers/mcp-process.js';
import { type ProxyProcess, startProxyProcess } from '../helpers/proxy-process.js';
import { type SimProcess, startSimProcess } from '../helpers/sim-process.js';

/** Command `i`: VCSEC and Infotainment in turn, each one changing something (none "already set"). */
function command(i: number): [string, Record<string, unknown>] {
  switch (i % 4) {
    case 0:
      return ['door_lock', {}];
    case 1:
      return ['set_charge_limit', { percent: 50 + i }];
    case 2:
      return ['door_unlock', {}];
    default:
      return ['set_temps', { driver_temp: 16 + i / 4, passenger_temp: 20 }];
  }
}

describe('two proxy processes, one key, one config folder (file store)', () => {
  let dir: string;
  let sim: SimProcess;
  let proxies: ProxyProcess[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-shared-'));
    sim = await startSimProcess({ cars: 1 });
    const keyFile = join(dir, 'key.pem');
    await writeFile(keyFile, sim.key.toPem('pkcs8'), { mode: 0o600 });
    const o = { keyFile, configDir: join(dir, 'config'), fleetApiUrl: sim.url };
    proxies = await Promise.all([startProxyProcess(o), startProxyProcess(o)]);
  });
  after(async () => {
    for (const p of proxies) await p.stop();
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  test('20 commands taking turns: 22 signed requests, 2 handshakes, no fault', async () => {
    const vin = sim.vins[0] ?? '';
    for (let i = 0; i < 20; i++) {
      const [name, body] = command(i);
      const proxy = proxies[i % 2];
      const res = await fetch(`${proxy?.url}/api/1/vehicles/${vin}/command/${name}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      assert.equal(res.status, 200, `${name} via proxy ${i % 2}: ${await res.clone().text()}`);
      assert.deepEqual(await res.json(), { response: { result: true, reason: '' } });
    }
    const stats = (await (
      await fetch(`${sim.url}/_sim/stats`, { headers: { authorization: `Bearer ${sim.token}` } })
    ).json()) as {
      response: {
        total: { handshakes: number; commands: number; faults: number };
        requests: { byEndpoint: Record<string, number> };
      };
    };
    const { total, requests } = stats.response;
    assert.deepEqual(total, { handshakes: 2, commands: 20, faults: 0 });
    assert.equal(requests.byEndpoint['POST signed_command'], 22);
  });
});

describe('a proxy wake counts in the wake budget of an MCP server on the same file', () => {
  let dir: string;
  let sim: SimProcess;
  const stops: (() => Promise<unknown>)[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-wakes-'));
    sim = await startSimProcess({ cars: 1 });
    stops.push(() => sim.stop());
  });
  after(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  test('TESLA_WAKE_BUDGET=2/h: the proxy wakes the car twice, then the server refuses a wake', async () => {
    const vin = sim.vins[0] ?? '';
    const keyFile = join(dir, 'key.pem');
    await writeFile(keyFile, sim.key.toPem('pkcs8'), { mode: 0o600 });
    const configDir = join(dir, 'config');
    const proxy = await startProxyProcess({ keyFile, configDir, fleetApiUrl: sim.url });
    stops.push(() => proxy.stop());
    const auth = { authorization: `Bearer ${sim.token}` };
    const sleep = async () => {
      const r = await fetch(`${sim.url}/_sim/vehicles/${vin}/sleep`, {
        method: 'POST',
        headers: auth,
      });
      assert.equal(r.status, 200);
    };
    // Both ways a proxy wakes: the forwarded endpoint and the command route.
    for (const path of [
      `/api/1/vehicles/${vin}/wake_up`,
      `/api/1/vehicles/${vin}/command/wake_up`,
    ]) {
      await sleep();
      const woke = await fetch(`${proxy.url}${path}`, { method: 'POST', headers: auth });
      assert.equal(woke.status, 200, await woke.text());
    }
    // Sent once the answer is out; the proxy records it before it exits.
    assert.equal(await proxy.stop(), 0, proxy.output());
    await sleep();
    const mcp = await connectStdio({
      ...serveEnv({ dir: join(dir, 'mcp'), fleetUrl: sim.url, token: sim.token, keyFile }),
      TESLA_SESSION_CACHE: join(configDir, 'sessions.json'),
      TESLA_WAKE_BUDGET: '2/h',
    });
    stops.push(() => mcp.close());
    await mcp.call('vehicle', { vin });
    const refused = await mcp.call('wake_up', { vin, wait_seconds: 0 });
    assert.equal(refused.isError, true, refused.content[0]?.text);
    assert.match(refused.content[0]?.text ?? '', /wake budget 2\/h spent/);
  });
});
