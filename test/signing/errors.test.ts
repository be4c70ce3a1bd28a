import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  faultDisplayName,
  faultError,
  faultName,
  MessageFault,
  ProtocolError,
  shouldRetry,
} from '../../src/signing/errors.js';
import { loadVector } from '../helpers/vectors.js';

test('TestRetriableError: shouldRetry matches upstream ShouldRetry for every MessageFault_E', () => {
  const v = loadVector('errors.json', 'protocol.TestRetriableError');
  const faults = v.input.faults as { code: number; name: string }[];
  assert.equal(faults.length, Object.keys(MessageFault).length);
  for (const f of faults) {
    assert.equal(`MESSAGEFAULT_ERROR_${faultName(f.code)}`, f.name);
    assert.equal(shouldRetry(faultError(f.code)), v.expected.should_retry[f.name], f.name);
  }
});

test('TestErrCodeString: fault names display as upstream does', () => {
  const v = loadVector('authentication.json', 'authentication.TestErrCodeString');
  assert.equal(
    `${faultDisplayName(MessageFault.KEYCHAIN_IS_FULL)}: ${v.input.message}`,
    v.expected.string,
  );
});

test('UNKNOWN_KEY_ID is "key not paired"; RESPONSE_MTU_EXCEEDED may have succeeded', () => {
  const e = faultError(MessageFault.UNKNOWN_KEY_ID);
  assert.equal(e.code, 'key-not-paired');
  assert.match(e.message, /^signing: .*not been paired/);
  const mtu = faultError(MessageFault.RESPONSE_MTU_EXCEEDED);
  assert.equal(mtu.mayHaveSucceeded, true);
  assert.equal(shouldRetry(mtu), false);
  assert.equal(shouldRetry(new Error('x')), false);
  assert.equal(
    shouldRetry(new ProtocolError('fault', 'x', { retryable: true, mayHaveSucceeded: true })),
    false,
  );
  assert.equal(faultName(99), 'UNKNOWN_FAULT_99');
});
