/**
 * What a user downloads and waits for: the size of each bundle in `dist/` (raw and gzip), of
 * each library entry with the shared chunks it loads (what a web app ships for
 * `tesla-mcp/signing` or `tesla-mcp/commands`), the tarball `npm pack` would publish (from the current `dist/`, scripts not run), and the time
 * from `node bin/tesla-mcp.js --version` to its exit (median of 7). The time to an answered
 * `tools/list` over stdio is in the `mcp` bench.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { table } from './harness.js';

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
}
