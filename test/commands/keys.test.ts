import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromBinary } from '@bufbuild/protobuf';
import * as keys from '../../src/commands/keys.js';
import { getCommand } from '../../src/commands/registry.js';
import * as security from '../../src/commands/security.js';
import { UnsignedMessageSchema } from '../../src/gen/vcsec_pb.js';

test('information requests: slot checked; signed commands carry no unsigned mark', () => {
  assert.throws(() => keys.whitelistEntryInfo(-1), RangeError);
  // Signed commands carry no `unsigned` mark.
  assert.equal(security.doorLock().unsigned, undefined);
  assert.equal(getCommand('door_lock')?.build?.({}).unsigned, undefined);
});

test('removeKey sends WhitelistOperation.removePublicKeyFromWhitelist with the raw key', () => {
  const key = new Uint8Array(65).fill(7);
  key[0] = 4;
  const decoded = fromBinary(UnsignedMessageSchema, keys.removeKey(key).payload);
  assert.equal(decoded.subMessage.case, 'WhitelistOperation');
  const op = decoded.subMessage.value.subMessage;
  assert.equal(op.case, 'removePublicKeyFromWhitelist');
  assert.deepEqual(op.value.PublicKeyRaw, key);
  assert.throws(() => keys.removeKey(new Uint8Array(33)), RangeError);
});
