/**
 * Billing counted across instances: two `tesla-mcp serve` (stdio) processes and one
 * `tesla-mcp proxy` on one command key call one `tesla-mcp sim` (each in its own process).
 * With a shared store (a real `redis-server`, or the session cache file of one machine),
 * `get_billing_summary` on either server reports the calls of all three, by category, as the
 * simulator counted them itself (`/_sim/stats`), and each server's own calls apart. With Redis
 * gone, the summary says the shared totals are unavailable and gives this process's only.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectStdio, type McpSession, serveEnv } from '../helpers/mcp-process.js';
import { startProxyProcess } from '../helpers/proxy-process.js';
import { type RedisServer, redisSkip, startRedis } from '../helpers/redis-server.js';
import { type SimProcess, startSimProcess } from '../helpers/sim-process.js';

interface Totals {
  data: number;
  command: number;
  wake: number;
}

interface Summary {
  scope: string;
  totals: Totals;
  thisProcess: { totals: Totals };
  sharedError?: string;
  text: string;
}

async function summary(s: McpSession): Promise<Summary> {
  const r = await s.call('get_billing_summary');
  assert.equal(r.isError, undefined, r.content[0]?.text);
  return r.structuredContent as unknown as Summary;
}

async function ok(s: McpSession, name: string, args: Record<string, unknown>): Promise<void> {
  const r = await s.call(name, args);
  assert.equal(r.isError, undefined, `${name}: ${r.content[0]?.text}`);
}

/** What the simulator billed, in our category names. */
async function simBilled(sim: SimProcess): Promise<Totals> {
  const res = await fetch(`${sim.url}/_sim/stats`, {
    headers: { authorization: `Bearer ${sim.token}` },
  });
  const b = (
    (await res.json()) as {
      response: { requests: { billable: { data: number; commands: number; wakes: number } } };
    }
  ).response.requests.billable;
  return { data: b.data, command: b.commands, wake: b.wakes };
}

const pick = (t: Totals): Totals => ({ data: t.data, command: t.command, wake: t.wake });

describe('billing shared by two MCP servers and a proxy', () => {
  let dir: string;
  let sim: SimProcess;
  let keyFile: string;
  const stops: (() => Promise<unknown>)[] = [];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-billing-'));
    sim = await startSimProcess({ cars: 1 });
    stops.push(() => sim.stop());
    keyFile = join(dir, 'key.pem');
    await writeFile(keyFile, sim.key.toPem('pkcs8'), { mode: 0o600 });
  });
  after(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  /**
   * Server A calls and reports (its counts are sent before it answers), then B, then the proxy
   * calls and stops (it sends its counts on the way out): both servers then report the sum.
   */
  async function run(label: string, extra: (i: number) => Record<string, string>) {
    const vin = sim.vins[0] ?? '';
    const before = await simBilled(sim);
    const env = (i: number) => ({
      ...serveEnv({
        dir: join(dir, `${label}-mcp-${i}`),
        fleetUrl: sim.url,
        token: sim.token,
        keyFile,
      }),
      TESLA_VIN: vin,
      ...extra(i),
    });
    const a = await connectStdio(env(0));
    stops.push(() => a.close());
    await ok(a, 'vehicle_data', { endpoints: ['charge_state'] });
    await ok(a, 'door_lock', {});
    await summary(a);
    const b = await connectStdio(env(1));
    stops.push(() => b.close());
    await ok(b, 'vehicle', {});
    await ok(b, 'set_charge_limit', { percent: 61 });
    await ok(b, 'honk_horn', {});
    await summary(b);
    const proxy = await startProxyProcess({
      keyFile,
      configDir: join(dir, `${label}-proxy`),
      fleetApiUrl: sim.url,
      env: extra(2),
    });
    stops.push(() => proxy.stop());
    const headers = { authorization: `Bearer ${sim.token}`, 'content-type': 'application/json' };
    for (const [path, body] of [
      [`/api/1/vehicles/${vin}/command/flash_lights`, '{}'],
      [`/api/1/vehicles/${vin}/command/wake_up`, '{}'],
      [`/api/1/vehicles/${vin}/vehicle_data`, undefined],
    ] as const) {
      const res = await fetch(`${proxy.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST',
        headers,
        ...(body === undefined ? {} : { body }),
      });
      assert.equal(res.status, 200, `${path}: ${await res.text()}`);
    }
    assert.equal(await proxy.stop(), 0, proxy.output());
    const billed = await simBilled(sim);
    const spent = {
      data: billed.data - before.data,
      command: billed.command - before.command,
      wake: billed.wake - before.wake,
    };
    assert.ok(spent.data >= 3 && spent.command >= 5 && spent.wake >= 1, JSON.stringify(spent));
    const [sa, sb] = [await summary(a), await summary(b)];
    for (const s of [sa, sb]) {
      assert.equal(s.sharedError, undefined, s.text);
      assert.deepEqual(pick(s.totals), spent, s.text);
    }
    // Each server's own calls are apart, and the proxy's are the rest.
    const own = [pick(sa.thisProcess.totals), pick(sb.thisProcess.totals)] as const;
    assert.ok(
      own.every((t) => t.command >= 1 && t.data >= 1 && t.wake === 0),
      JSON.stringify(own),
    );
    assert.ok(spent.command - own[0].command - own[1].command >= 1, 'the proxy signed commands');
    assert.ok(spent.wake >= 1, 'the proxy woke the car');
    return { a, b, sa };
  }

  test('Redis', { skip: redisSkip() }, async () => {
    const redis: RedisServer = await startRedis();
    stops.push(() => redis.stop());
    const { a, sa } = await run('redis', () => ({ TESLA_MCP_REDIS_URL: redis.url }));
    assert.equal(sa.scope, `all instances sharing redis 127.0.0.1:${redis.port}`);
    assert.match(
      sa.text,
      /^Fleet API calls this month \(since \d{4}-\d{2}-01T00:00:00Z\) by all instances/,
    );
    // Redis gone: the summary says so and falls back to this process, named as such.
    await redis.stop();
    const down = await summary(a);
    assert.equal(down.scope, 'this process');
    assert.deepEqual(pick(down.totals), pick(sa.thisProcess.totals));
    assert.match(down.sharedError ?? '', /Redis/);
    assert.match(
      down.text,
      /^The totals of all instances sharing redis 127\.0\.0\.1:\d+ are unavailable/,
    );
  });

  test('file store (one session cache file)', async () => {
    const cache = join(dir, 'shared-sessions.json');
    const { sa } = await run('file', () => ({ TESLA_SESSION_CACHE: cache }));
    assert.equal(sa.scope, `all instances sharing file ${cache}`);
  });
});
