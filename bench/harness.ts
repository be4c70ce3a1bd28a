/**
 * Tiny benchmark helpers: run a function in timed batches and report the median ops/s; start the
 * MCP server over stdio and time it to an answered `tools/list`.
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The JSON-RPC `initialize` request the benches send to a server over stdio or HTTP. */
export const INITIALIZE = {
  jsonrpc: '2.0',
  id: 1,
  method: 'initialize',
  params: {
    protocolVersion: '2025-06-18',
    capabilities: {},
    clientInfo: { name: 'bench', version: '0' },
  },
};

export interface Measurement {
  name: string;
  opsPerSec: number;
}

/** Median ops/s over `rounds` batches of about `batchMs` each, after a warm-up. */
export function measure(name: string, fn: () => unknown, rounds = 7, batchMs = 200): Measurement {
  let n = 1;
  // Warm up and size the batch.
  for (;;) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    const dt = performance.now() - t0;
    if (dt > 20) {
      n = Math.max(1, Math.round((n * batchMs) / dt));
      break;
    }
    n *= 2;
  }
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) fn();
    rates.push((n * 1000) / (performance.now() - t0));
  }
  rates.sort((a, b) => a - b);
  return { name, opsPerSec: rates[Math.floor(rates.length / 2)] as number };
}

export async function measureAsync(
  name: string,
  fn: () => Promise<unknown>,
  rounds = 5,
  batch = 200,
): Promise<Measurement> {
  for (let i = 0; i < Math.min(50, batch); i++) await fn();
  const rates: number[] = [];
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    for (let i = 0; i < batch; i++) await fn();
    rates.push((batch * 1000) / (performance.now() - t0));
  }
  rates.sort((a, b) => a - b);
  return { name, opsPerSec: rates[Math.floor(rates.length / 2)] as number };
}

export function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** Prints a Markdown table. */
export function table(header: string[], rows: (string | number)[][]): void {
  const line = (cells: (string | number)[]) => `| ${cells.join(' | ')} |`;
  console.log(line(header));
  console.log(line(header.map(() => '---')));
  for (const r of rows) console.log(line(r));
}

/** The median of `xs` (the upper one of an even count). */
export const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/**
 * Spawns `node [nodeArgs] cli [args]` (an MCP server on stdio) with `env` only, sends
 * `initialize` then `tools/list`; answers the ms from spawn to the `tools/list` answer and the
 * child's RSS in MB 300 ms after it (NaN where /proc is missing), then ends it by closing stdin.
 */
export function stdioStart(
  cli: string,
  args: string[],
  env: Record<string, string>,
  nodeArgs: string[] = [],
): Promise<{ ms: number; rssMb: number }> {
  return new Promise((done, fail) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, cli, ...args], {
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.once('error', fail);
    child.once('exit', (code) => fail(new Error(`the server exited with ${code}: ${err}`)));
    let buf = '';
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      for (let i = buf.indexOf('\n'); i >= 0; i = buf.indexOf('\n')) {
        const msg = JSON.parse(buf.slice(0, i)) as { id?: number };
        buf = buf.slice(i + 1);
        if (msg.id === 1) {
          child.stdin.write(
            `${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' })}\n`,
          );
          child.stdin.write(`${JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' })}\n`);
        } else if (msg.id === 2) {
          const ms = performance.now() - t0;
          setTimeout(() => {
            let rssMb = Number.NaN;
            try {
              const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
              if (m) rssMb = Number(m[1]) / 1024;
            } catch {
              // No /proc (not Linux): the RSS column says NaN.
            }
            child.removeAllListeners('exit');
            child.once('exit', () => done({ ms, rssMb }));
            child.stdin.end();
          }, 300);
        }
      }
    });
    child.stdin.write(`${JSON.stringify(INITIALIZE)}\n`);
  });
}
