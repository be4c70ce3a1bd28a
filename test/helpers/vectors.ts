/**
 * Loads the upstream vectors kept in `test-vectors/` (copied unchanged, each with its upstream
 * `source` file and lines, from teslamotors/vehicle-command at the commit each file names).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface Vector<I = Record<string, unknown>, E = Record<string, unknown>> {
  id: string;
  source: string;
  what?: string;
  input: I;
  expected: E;
}

// biome-ignore lint/suspicious/noExplicitAny: vectors are untyped JSON; each test narrows them.
export function loadVector<I = any, E = any>(file: string, id: string): Vector<I, E> {
  const doc = JSON.parse(readFileSync(join('test-vectors', file), 'utf8')) as {
    vectors: Vector<I, E>[];
  };
  const v = doc.vectors.find((x) => x.id === id);
  if (!v) throw new Error(`vector ${id} not found in test-vectors/${file}`);
  return v;
}

export function hex(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s, 'hex'));
}

export function toHex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}
