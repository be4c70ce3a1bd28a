/**
 * The shared-state scale test, sized for 2 cores: 1,000 commands over 50 simulated cars
 * (`tesla-mcp sim --cars 50` in its own process) from concurrent clients, idempotent and not,
 * through several instances on one command key; one instance is SIGKILLed mid-run.
 *
 * - Redis: 4 `tesla-mcp proxy` + 2 `tesla-mcp serve --http` processes, each with its own config
 *   folder (so Redis is all they share), on one `redis-server`.
 * - File store: 3 `tesla-mcp proxy` processes on one config folder.
 *
 * Pass: the cars refused no message (0 counter faults); handshakes ≤ cars × domains, plus one
 * per car and domain the killed instance may have been handshaking; every command succeeded
 * once or was reported "may have executed"; none ran twice (the simulator counts the runs of
 * each tagged command).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { connectHttp, type McpSession, serveEnv } from '../helpers/mcp-process.js';
import { type ProxyProcess, startProxyProcess } from '../helpers/proxy-process.js';
import { type RedisServer, redisSkip, startRedis } from '../helpers/redis-server.js';
import {
  executionViolations,
  type Instance,
  jobFor,
  mcpInstance,
  proxyInstance,
  runJobs,
  simStats,
} from '../helpers/scale-run.js';
import { type SimProcess, startSimProcess } from '../helpers/sim-process.js';

const CARS = 50;
const COMMANDS = 1000;
const WORKERS = 12;

describe('shared state at scale', () => {
  let dir: string;
  let keyFile: string;
  const stops: (() => Promise<unknown>)[] = [];
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-scale-'));
  });
  after(async () => {
    for (const stop of stops.reverse()) await stop().catch(() => {});
    await rm(dir, { recursive: true, force: true });
  });

  async function check(
    sim: SimProcess,
    instances: Instance[],
    label: string,
    note: (line: string) => void,
  ) {
    const jobs = Array.from({ length: COMMANDS }, (_, i) => jobFor(i, sim.vins));
    const run = await runJobs({
      jobs,
      instances,
      workers: WORKERS,
      cars: CARS,
      killAfter: COMMANDS * 0.4,
    });
    const stats = await simStats(sim.url, sim.token);
    const failed = run.outcomes.filter((o) => o === 'failed').length;
    assert.equal(failed, 0, `${label}: ${run.details.slice(0, 5).join('\n')}`);
    assert.equal(stats.total.faults, 0, `${label}: the cars refused no message`);
    const bound = CARS * 2 + Math.min(run.inFlightAtKill, CARS) * 2;
    assert.ok(stats.total.handshakes <= bound, `${label}: ${stats.total.handshakes} handshakes`);
    assert.deepEqual(executionViolations(jobs, run.outcomes, stats), []);
    // Most commands were never in doubt: only the killed instance's may be unknown.
    const unknown = run.outcomes.filter((o) => o === 'unknown').length;
    const runs = Object.values(stats.vehicles).reduce(
      (n, v) => n + Object.values(v.executed).reduce((a, b) => a + b, 0),
      0,
    );
    note(
      `${label}: ${COMMANDS} commands in ${run.seconds.toFixed(1)} s; ${runs} ran; ${unknown} may have executed (${run.inFlightAtKill} in flight at the kill); ${stats.total.handshakes} handshakes; ${stats.requests.byEndpoint['POST signed_command']} signed requests; ${stats.total.faults} faults`,
    );
    assert.ok(unknown <= run.inFlightAtKill, `${label}: ${unknown} unknown: ${run.details[0]}`);
  }

  test('Redis: 4 proxies + 2 MCP HTTP servers, one killed', { skip: redisSkip() }, async (t) => {
    const redis: RedisServer = await startRedis();
    stops.push(() => redis.stop());
    const sim = await startSimProcess({ cars: CARS });
    stops.push(() => sim.stop());
    keyFile = join(dir, 'key.pem');
    await writeFile(keyFile, sim.key.toPem('pkcs8'), { mode: 0o600 });
    const proxies: ProxyProcess[] = await Promise.all(
      [0, 1, 2, 3].map((i) =>
        startProxyProcess({
          keyFile,
          configDir: join(dir, `redis-proxy-${i}`),
          fleetApiUrl: sim.url,
          args: ['--redis', redis.url],
        }),
      ),
    );
    for (const p of proxies) stops.push(() => p.kill());
    const servers: McpSession[] = await Promise.all(
      [0, 1].map((i) =>
        connectHttp({
          ...serveEnv({
            dir: join(dir, `redis-mcp-${i}`),
            fleetUrl: sim.url,
            token: sim.token,
            keyFile,
          }),
          TESLA_MCP_REDIS_URL: redis.url,
        }),
      ),
    );
    for (const s of servers) stops.push(() => s.close());
    const instances = [
      ...proxies.map((p, i) => proxyInstance(p, sim.token, `proxy ${i}`)),
      ...servers.map((s, i) => mcpInstance(s, `mcp ${i}`)),
    ];
    await check(sim, instances, 'redis', (l) => t.diagnostic(l));
  });

  test('file store: 3 proxies on one config folder, one killed', async (t) => {
    const sim = await startSimProcess({ cars: CARS });
    stops.push(() => sim.stop());
    const file = join(dir, 'file-key.pem');
    await writeFile(file, sim.key.toPem('pkcs8'), { mode: 0o600 });
    const proxies = await Promise.all(
      [0, 1, 2].map(() =>
        startProxyProcess({
          keyFile: file,
          configDir: join(dir, 'file-config'),
          fleetApiUrl: sim.url,
        }),
      ),
    );
    for (const p of proxies) stops.push(() => p.kill());
    const instances = proxies.map((p, i) => proxyInstance(p, sim.token, `proxy ${i}`));
    await check(sim, instances, 'file', (l) => t.diagnostic(l));
  });
});
