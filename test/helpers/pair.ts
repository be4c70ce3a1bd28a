/** A client Signer talking to the library's vehicle-side Verifier through bytes only, on a fake clock. */
import assert from 'node:assert/strict';
import { completeHandshake, createHandshake } from '../../src/signing/handshake.js';
import type { Signer } from '../../src/signing/signer.js';
import { Verifier } from '../../src/signing/verifier.js';
import { type NodeKey, nodeKey } from './node-key.js';

export const TEST_VIN = '5YJ3E1EA7JF000001';

export interface Pair {
  clock: { now: number };
  client: NodeKey;
  vehicleKey: NodeKey;
  verifier: Verifier;
  signer: Signer;
}

export async function pair(domain: 2 | 3, o: { vin?: string } = {}): Promise<Pair> {
  const clock = { now: 1_700_000_000_000 };
  const client = nodeKey();
  const vehicleKey = nodeKey();
  const verifier = new Verifier({
    key: vehicleKey,
    vin: o.vin ?? TEST_VIN,
    domain,
    now: () => clock.now,
  });
  const req = createHandshake(client.publicKey, domain, { now: clock.now });
  const reply = verifier.handle(req.bytes);
  assert.equal(reply.kind, 'reply');
  const signer = await completeHandshake({
    key: client,
    vin: o.vin ?? TEST_VIN,
    request: req,
    response: reply.bytes,
    now: clock.now,
  });
  return { clock, client, vehicleKey, verifier, signer };
}
