/**
 * HTTP session memory: 4,000 `initialize` requests against an in-process `serve --http` with
 * `serve`'s default toolsets, from clients that end their session (`DELETE`), from clients that
 * leave it to expire (an injected clock passes the 30-minute idle limit), and from clients that
 * hold it (sessions pile up to the cap of 100, then `initialize` gets 503). Each run is a fresh
 * child process (`bench/session-memory.ts`) so RSS is its own. Figures are printed, not asserted.
 */
import { spawnSync } from 'node:child_process';

export async function run(): Promise<void> {
  const script = new URL('./session-memory.ts', import.meta.url).pathname;
  const titles = {
    delete: 'clients end their sessions',
    expire: 'clients leave them to expire',
    keep: 'clients hold them',
  };
  for (const [mode, title] of Object.entries(titles)) {
    console.log(`\n### ${title}\n`);
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--expose-gc', script, '4000', mode],
      { encoding: 'utf8', timeout: 600_000 },
    );
    process.stdout.write(r.stdout);
    if (r.status !== 0) process.stderr.write(r.stderr);
  }
}
