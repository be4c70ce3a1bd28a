/**
 * Several instances on one command key (README "Running several instances"): commands/s and
 * signed requests per command through 1, 2 and 4 `tesla-mcp proxy` processes on one
 * `tesla-mcp sim --cars 20`, with the Redis store, the file store, and per-process memory only
 * (`TESLA_SESSION_CACHE=off`, the Go proxy's model, where instances collide), 200 commands from
 * 8 concurrent clients; then the proxy's start time and memory without and with `--redis` (the
 * Redis client is loaded only when configured).
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startProxyProcess } from '../test/helpers/proxy-process.js';
import { redisBinary, startRedis } from '../test/helpers/redis-server.js';
import { jobFor, proxyInstance, runJobs, simStats } from '../test/helpers/scale-run.js';
import { startSimProcess } from '../test/helpers/sim-process.js';
import { table } from './harness.js';

const CARS = 20;
const COMMANDS = 200;

function rssMb(pid: number): string {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? `${(Number(m[1]) / 1024).toFixed(0)} MB` : '?';
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-bench-state-'));
  const redis = redisBinary() ? await startRedis() : undefined;
  if (!redis) console.log('redis-server is not installed: the Redis rows are left out');
  try {
    const rows: (string | number)[][] = [];
    const modes = [
      ['memory per process', { TESLA_SESSION_CACHE: 'off' }, []],
      ['file store', {}, []],
      ...(redis ? [['redis', {}, ['--redis', redis.url]]] : []),
    ] as [string, Record<string, string>, string[]][];
    let round = 0;
    for (const [label, env, args] of modes) {
      for (const n of [1, 2, 4]) {
        const sim = await startSimProcess({ cars: CARS });
        const keyFile = join(dir, `key-${++round}.pem`);
        await writeFile(keyFile, sim.key.toPem('pkcs8'), { mode: 0o600 });
        // Same config folder for all (the file store's sharing); Redis shares by itself.
        const configDir = join(dir, `config-${round}`);
        const proxies = await Promise.all(
          Array.from({ length: n }, () =>
            startProxyProcess({ keyFile, configDir, fleetApiUrl: sim.url, args, env }),
          ),
        );
        try {
          const jobs = Array.from({ length: COMMANDS }, (_, i) => jobFor(i, sim.vins));
          const r = await runJobs({
            jobs,
            instances: proxies.map((p, i) => proxyInstance(p, sim.token, `proxy ${i}`)),
            workers: 8,
            cars: CARS,
          });
          const s = await simStats(sim.url, sim.token);
          const signed = s.requests.byEndpoint['POST signed_command'] ?? 0;
          const ok = r.outcomes.filter((o) => o === 'ok').length;
          rows.push([
            label,
            n,
            (COMMANDS / r.seconds).toFixed(0),
            (signed / COMMANDS).toFixed(2),
            s.total.handshakes,
            s.total.faults,
            COMMANDS - ok,
          ]);
        } finally {
          for (const p of proxies) await p.stop();
          await sim.stop();
        }
      }
    }
    table(
      [
        'state',
        'instances',
        'commands/s',
        'signed requests/command',
        'handshakes',
        'faults',
        'not ok',
      ],
      rows,
    );

    // Start time and memory of one proxy, without and with Redis.
    const start: (string | number)[][] = [];
    const keyFile = join(dir, 'start.pem');
    const sim = await startSimProcess({ cars: 1 });
    await writeFile(keyFile, sim.key.toPem('pkcs8'), { mode: 0o600 });
    try {
      for (const [label, args] of [
        ['default (file store)', []],
        ...(redis ? [['--redis', ['--redis', redis.url]]] : []),
      ] as [string, string[]][]) {
        const times: number[] = [];
        let rss = '';
        for (let i = 0; i < 5; i++) {
          const t0 = performance.now();
          const p = await startProxyProcess({
            keyFile,
            configDir: join(dir, 'start-config'),
            fleetApiUrl: sim.url,
            args,
          });
          times.push(performance.now() - t0);
          rss = rssMb(p.pid);
          await fetch(`${p.url}/health`);
          await p.stop();
        }
        times.sort((a, b) => a - b);
        start.push([label, `${times[2]?.toFixed(0)} ms`, rss]);
      }
    } finally {
      await sim.stop();
    }
    console.log('');
    table(['tesla-mcp proxy start', 'to listening (median of 5)', 'RSS after start'], start);
  } finally {
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}
