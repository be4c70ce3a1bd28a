/**
 * Moving a child process's clock from outside, for tests of expiry in a server that has no test
 * clock: `clockShiftNodeOptions(ms)` is the `NODE_OPTIONS` that preloads
 * `./clock-shift-preload.mjs` into the child, and `shiftClock` signals it (SIGUSR2) and waits
 * until the child says its `Date.now` has moved.
 *
 * @module
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** `NODE_OPTIONS` for a child whose `Date.now` moves forward `ms` on each {@link shiftClock}. */
export function clockShiftNodeOptions(ms: number): string {
  const url = pathToFileURL(join(import.meta.dirname, 'clock-shift-preload.mjs'));
  url.searchParams.set('ms', String(ms));
  return `--import=${JSON.stringify(url.href)}`;
}

/**
 * Moves the clock of child `pid` (started with {@link clockShiftNodeOptions}) one step forward,
 * and resolves once `output()` (the child's stderr) shows that it did.
 */
export async function shiftClock(pid: number, output: () => string): Promise<void> {
  const shifts = () => output().match(/^clock-shift: \+\d+ ms$/gm)?.length ?? 0;
  const before = shifts();
  process.kill(pid, 'SIGUSR2');
  const deadline = Date.now() + 10_000;
  while (shifts() === before) {
    if (Date.now() > deadline)
      throw new Error(`clock-shift: pid ${pid} did not answer: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
