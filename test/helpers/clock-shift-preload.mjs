/**
 * A preload for a child process whose clock a test moves from outside: run the child with
 * `node --import <file URL of this module>?ms=<step> …` (or the same in `NODE_OPTIONS`). Each
 * SIGUSR2 then moves `Date.now` forward by `step` ms and writes `clock-shift: +<total> ms` to
 * stderr, once the new time is in force, so the test knows when to go on.
 *
 * Only `Date.now` moves: it is the clock every `now` default in src/ reads (the confirmation
 * tokens' expiry among them, src/mcp/confirmations.ts), captured when those objects are built,
 * which is after this module ran. `new Date()`, file mtimes, `performance.now`, `process.hrtime`
 * and timers keep real time.
 *
 * @module
 */
const step = Number(new URL(import.meta.url).searchParams.get('ms'));
if (!Number.isSafeInteger(step) || step <= 0) {
  throw new Error(`clock-shift: expected ?ms=<positive integer> in ${import.meta.url}`);
}
const realNow = Date.now;
let offset = 0;
Date.now = () => realNow() + offset;
process.on('SIGUSR2', () => {
  offset += step;
  process.stderr.write(`clock-shift: +${offset} ms\n`);
});
