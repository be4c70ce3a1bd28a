/**
 * What a user downloads and waits for: the size of each bundle in `dist/` (raw and gzip), of
 * each library entry with the shared chunks it loads (what a web app ships for
 * `tesla-mcp/signing` or `tesla-mcp/commands`), the tarball `npm pack` would publish (from the current `dist/`, scripts not run), and the time
 * from `node bin/tesla-mcp.js --version` to its exit (median of 7). Then `tesla-mcp serve` over
 * stdio with a command key, without Redis (the file store) and with `TESLA_MCP_REDIS_URL` on a
 * live `redis-server`: the time from spawn to an answered `tools/list` and the RSS after it
 * (median of 5), and whether `dist/redis-client.js` was loaded (seen by a module load hook on one
 * more start: without Redis it never is). The default start without a key is in the `mcp` bench.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { PrivateKey } from '../src/signing/keys.js';
import { redisBinary, startRedis } from '../test/helpers/redis-server.js';
import { median, stdioStart, table } from './harness.js';

const ROOT = join(import.meta.dirname, '..');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

/** `entry` and every chunk it imports, statically or dynamically. */
function loads(entry: string): string[] {
  const seen = new Set<string>();
  const queue = [entry];
  while (queue.length) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    const text = readFileSync(file, 'utf8');
    // esbuild writes a chunk's imports at the top of the file, one statement per line.
    for (const m of text.matchAll(
      /^(?:import|export)\b[^;]*?from\s*["'](\.{1,2}\/[^"']+\.js)["']/gm,
    )) {
      queue.push(resolve(dirname(file), m[1] as string));
    }
  }
  return [...seen];
}

export async function run(): Promise<void> {
  const dist = join(ROOT, 'dist');
  if (!existsSync(join(dist, 'cli.js'))) {
    console.log('dist/ is missing: run `npm run build`');
    return;
  }
  const rows: (string | number)[][] = [];
  for (const f of readdirSync(dist)
    .filter((n) => n.endsWith('.js'))
    .sort()) {
    const bytes = readFileSync(join(dist, f));
    rows.push([`dist/${f}`, kb(bytes.length), kb(gzipSync(bytes).length)]);
  }
  for (const entry of ['signing', 'commands', 'vehicle', 'fleet']) {
    const file = join(dist, `${entry}.js`);
    if (!existsSync(file)) continue;
    const files = loads(file);
    const bytes = Buffer.concat(files.map((f) => readFileSync(f)));
    rows.push([
      `tesla-mcp/${entry} (entry + ${files.length - 1} chunks)`,
      kb(bytes.length),
      kb(gzipSync(bytes).length),
    ]);
  }
  const pack = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (pack.status === 0) {
    const [info] = JSON.parse(pack.stdout) as {
      size: number;
      unpackedSize: number;
      entryCount: number;
    }[];
    if (info)
      rows.push([`npm tarball (${info.entryCount} files)`, kb(info.unpackedSize), kb(info.size)]);
  }
  table(['file', 'size', 'gzip'], rows);

  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const t0 = performance.now();
    spawnSync(process.execPath, [join(ROOT, 'bin', 'tesla-mcp.js'), '--version']);
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  console.log('');
  table(
    ['start', 'median of 7'],
    [['`node bin/tesla-mcp.js --version` (load dist/cli.js, exit)', `${times[3]?.toFixed(0)} ms`]],
  );
  console.log('');
  await serveStarts(join(dist, 'cli.js'));
}

/** Logs the URL of every module the process loads to `$TESLA_MCP_BENCH_LOADED` (node:module hooks). */
const LOAD_HOOKS = `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:')) appendFileSync(process.env.TESLA_MCP_BENCH_LOADED, url + '\\n');
  return next(url, context);
}
`;

async function serveStarts(cli: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-bench-start-'));
  const redis = redisBinary() ? await startRedis() : undefined;
  try {
    writeFileSync(join(dir, 'private-key.pem'), PrivateKey.generate().toPem('pkcs8'), {
      mode: 0o600,
    });
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(hooks, LOAD_HOOKS);
    const register = join(dir, 'register.mjs');
    writeFileSync(
      register,
      `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`,
    );
    const base = {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      TESLA_MCP_CONFIG_DIR: dir,
      TESLA_ACCESS_TOKEN: 'not-a-real-token',
      TESLA_FLEET_API_URL: 'http://127.0.0.1:9',
    };
    const rows: string[][] = [];
    for (const [label, extra] of [
      ['without Redis (file store)', {}],
      ...(redis
        ? [['TESLA_MCP_REDIS_URL (live redis-server)', { TESLA_MCP_REDIS_URL: redis.url }]]
        : []),
    ] as [string, Record<string, string>][]) {
      const env = { ...base, ...extra };
      const runs: { ms: number; rssMb: number }[] = [];
      for (let i = 0; i < 5; i++) runs.push(await stdioStart(cli, ['serve'], env));
      const log = join(dir, `loaded-${rows.length}.txt`);
      writeFileSync(log, '');
      await stdioStart(cli, ['serve'], { ...env, TESLA_MCP_BENCH_LOADED: log }, [
        '--import',
        register,
      ]);
      const loaded = readFileSync(log, 'utf8').split('\n').filter(Boolean);
      const chunk = loaded.some((u) => u.endsWith('/redis-client.js'));
      rows.push([
        label,
        `${median(runs.map((r) => r.ms)).toFixed(0)} ms`,
        `${median(runs.map((r) => r.rssMb)).toFixed(1)} MB`,
        `${chunk ? 'yes' : 'no'} (${loaded.length} module file(s) loaded)`,
      ]);
    }
    if (!redis) console.log('redis-server is not installed: the Redis row is left out');
    table(
      [
        '`serve` (stdio, command key)',
        'spawn → tools/list (median of 5)',
        'RSS after tools/list',
        'dist/redis-client.js loaded',
      ],
      rows,
    );
  } finally {
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
