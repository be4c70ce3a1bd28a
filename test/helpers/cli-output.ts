/**
 * What a CLI subcommand wrote, for tests that run `run(argv, io)` in process: the `stdout` /
 * `stderr` writers to pass as `io`, and the text each received.
 *
 * @module
 */

export interface CapturedOutput {
  out: string[];
  err: string[];
  /** Everything written, stdout then stderr. */
  text(): string;
  io: { stdout: (t: string) => void; stderr: (t: string) => void };
}

export function captureOutput(): CapturedOutput {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    text: () => out.join('') + err.join(''),
    io: { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t) },
  };
}
