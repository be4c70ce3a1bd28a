import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromBinary, toBinary } from '@bufbuild/protobuf';
import { RoutableMessageSchema } from '../../src/gen/universal_message_pb.js';
import { MessageFault } from '../../src/signing/errors.js';
import { SessionKeys } from '../../src/signing/session.js';
import { PeerVerifier } from '../../src/signing/verifier-peer.js';
import { nodeKey } from '../helpers/node-key.js';
import { hex, loadVector, toHex } from '../helpers/vectors.js';

const known = loadVector('authentication.json', 'authentication.TestGCMKnown');

function knownPeer(o: { vin?: string; epoch?: string; clock?: number; domain?: 2 | 3 } = {}) {
  const vehicle = nodeKey(known.input.verifier_private_scalar);
  return new PeerVerifier({
    keys: new SessionKeys(vehicle.sessionKey(hex(known.input.signer_public_key))),
    vin: Uint8Array.from(Buffer.from(o.vin ?? known.input.verifier_name, 'ascii')),
    domain: o.domain ?? 2,
    epoch: () => hex(o.epoch ?? known.input.verifier_epoch),
    clock: () => o.clock ?? 100,
  });
}

test('TestGCMKnown: the vehicle side decrypts the upstream AES-GCM message', () => {
  const out = knownPeer().verifyBytes(hex(known.input.routable_message));
  assert.equal(out.ok, true);
  assert.equal(out.ok && toHex(out.plaintext), known.expected.plaintext);
  assert.equal(out.ok && out.counter, 0xffffffff);
});

function tampered(edit: (m: ReturnType<typeof fromBinary<typeof RoutableMessageSchema>>) => void) {
  const m = fromBinary(RoutableMessageSchema, hex(known.input.routable_message));
  edit(m);
  return toBinary(RoutableMessageSchema, m);
}

test('TestGCMKnown negative twins', () => {
  const fault = (peer: PeerVerifier, bytes: Uint8Array) => {
    const out = peer.verifyBytes(bytes);
    return out.ok ? 'ok' : out.fault;
  };
  const msg = hex(known.input.routable_message);
  const flip = tampered((m) => {
    const sig = m.subSigData.value?.sigType;
    if (sig?.case === 'AESGCMPersonalizedData') sig.value.tag[0] = (sig.value.tag[0] as number) ^ 1;
  });
  assert.equal(fault(knownPeer(), flip), MessageFault.INVALID_SIGNATURE, 'flipped tag bit');
  assert.equal(
    fault(knownPeer({ vin: 'othervin' }), msg),
    MessageFault.INVALID_SIGNATURE,
    'wrong VIN',
  );
  assert.equal(
    fault(knownPeer({ epoch: '00'.repeat(16) }), msg),
    MessageFault.INCORRECT_EPOCH,
    'stale epoch',
  );
  assert.equal(fault(knownPeer({ clock: 50_001 }), msg), MessageFault.TIME_EXPIRED, 'expired');
  assert.equal(fault(knownPeer({ domain: 3 }), msg), MessageFault.INVALID_DOMAINS, 'wrong domain');
  const peer = knownPeer();
  assert.equal(fault(peer, msg), 'ok');
  assert.equal(fault(peer, msg), MessageFault.INVALID_TOKEN_OR_COUNTER, 'replayed counter');
  const flags = tampered((m) => {
    m.flags = 2;
  });
  assert.equal(
    fault(knownPeer(), flags),
    MessageFault.INVALID_SIGNATURE,
    'flags are authenticated',
  );
  assert.equal(fault(knownPeer(), Uint8Array.of(0xff, 0xff)), MessageFault.DECODING);
});
