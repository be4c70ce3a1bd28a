/**
 * The CLI the way the published package runs it: `node dist/cli.js`, the bundle `npm ci` builds
 * (the `prepare` script). Starting the bundle takes a fraction of `node --import tsx src/cli.ts`.
 * `npm test` brings `dist/` up to date before any test starts (scripts/run-tests.mjs); a test file
 * run on its own does it here, once per process, through the same scripts/build-if-stale.mjs.
 *
 * @module
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');
export const CLI = join(ROOT, 'dist', 'cli.js');

let checked = false;

/** `[CLI, ...args]` for `spawn(process.execPath, …)`, after making sure `dist/` is current. */
export function cliArgs(...args: string[]): string[] {
  if (!checked) {
    execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-if-stale.mjs')], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    checked = true;
  }
  return [CLI, ...args];
}
