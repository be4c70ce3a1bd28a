/** Tiny benchmark helpers: run a function in timed batches and report the median ops/s. */

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
