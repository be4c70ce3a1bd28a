/**
 * What a user downloads and waits for: the size of each bundle in `dist/` (raw and gzip), the
 * tarball `npm pack` would publish (from the current `dist/`, scripts not run), and the time
 * from `node bin/tesla-mcp.js --version` to its exit (median of 7). The time to an answered
 * `tools/list` over stdio is in the `mcp` bench.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { table } from './harness.js';

const ROOT = join(import.meta.dirname, '..');
const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;

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
