import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromBinary } from '@bufbuild/protobuf';
import { getCommand } from '../../src/commands/registry.js';
import * as vcsec from '../../src/commands/vcsec.js';
import { UnsignedMessageSchema } from '../../src/gen/vcsec_pb.js';
import { toHex, vcsecJson, viaRegistry } from '../helpers/decode-command.js';

test('locks and RKE actions decode to UnsignedMessage.RKEAction(2)', () => {
  assert.deepEqual(viaRegistry('door_lock'), { RKEAction: 'RKE_ACTION_LOCK' });
  assert.deepEqual(viaRegistry('door_unlock'), { RKEAction: 'RKE_ACTION_UNLOCK' });
  assert.deepEqual(viaRegistry('remote_start_drive'), { RKEAction: 'RKE_ACTION_REMOTE_DRIVE' });
  assert.deepEqual(viaRegistry('auto_secure_vehicle'), {
    RKEAction: 'RKE_ACTION_AUTO_SECURE_VEHICLE',
  });
});

test('door_unlock encodes the oneof member even though RKE_ACTION_UNLOCK is 0', () => {
  const cmd = vcsec.doorUnlock();
  assert.equal(cmd.domain, 2);
  assert.equal(toHex(cmd.payload), '1000');
  const decoded = fromBinary(UnsignedMessageSchema, cmd.payload);
  assert.deepEqual(decoded.subMessage, { case: 'RKEAction', value: 0 });
});

test('closures decode to closureMoveRequest(4)', () => {
  assert.deepEqual(viaRegistry('actuate_trunk', { which_trunk: 'front' }), {
    closureMoveRequest: { frontTrunk: 'CLOSURE_MOVE_TYPE_MOVE' },
  });
  assert.deepEqual(viaRegistry('actuate_trunk', { which_trunk: 'rear' }), {
    closureMoveRequest: { rearTrunk: 'CLOSURE_MOVE_TYPE_MOVE' },
  });
  assert.deepEqual(viaRegistry('open_tonneau'), {
    closureMoveRequest: { tonneau: 'CLOSURE_MOVE_TYPE_OPEN' },
  });
  assert.deepEqual(viaRegistry('close_tonneau'), {
    closureMoveRequest: { tonneau: 'CLOSURE_MOVE_TYPE_CLOSE' },
  });
  assert.deepEqual(viaRegistry('stop_tonneau'), {
    closureMoveRequest: { tonneau: 'CLOSURE_MOVE_TYPE_STOP' },
  });
  assert.deepEqual(vcsecJson(vcsec.closeTrunk()), {
    closureMoveRequest: { rearTrunk: 'CLOSURE_MOVE_TYPE_CLOSE' },
  });
});

test('actuate_trunk reads which_trunk exactly as command.go does', () => {
  // A non-string value falls through to the rear trunk.
  assert.deepEqual(viaRegistry('actuate_trunk', { which_trunk: 1 }), {
    closureMoveRequest: { rearTrunk: 'CLOSURE_MOVE_TYPE_MOVE' },
  });
  // Absent (read as "") or any other string is NominalError "invalid_value".
  for (const params of [{}, { which_trunk: 'back' }, { which_trunk: 'FRONT' }]) {
    assert.throws(() => viaRegistry('actuate_trunk', params), {
      name: 'CommandParamError',
      message: 'invalid_value',
    });
  }
  assert.throws(() => vcsec.actuateTrunk('side' as vcsec.Trunk), RangeError);
});

test('unsigned information requests for key checks', () => {
  const info = vcsec.whitelistInfo();
  assert.equal(info.domain, 2);
  assert.equal(info.unsigned, true);
  assert.equal(toHex(info.payload), '0a020805');
  const entry = vcsec.whitelistEntryInfo(3);
  assert.equal(entry.unsigned, true);
  assert.deepEqual(vcsecJson(entry), {
    InformationRequest: {
      informationRequestType: 'INFORMATION_REQUEST_TYPE_GET_WHITELIST_ENTRY_INFO',
      slot: 3,
    },
  });
  const status = vcsec.bodyControllerState();
  assert.equal(status.unsigned, true);
  const decoded = fromBinary(UnsignedMessageSchema, status.payload);
  assert.equal(decoded.subMessage.case, 'InformationRequest');
  assert.equal(decoded.subMessage.value.informationRequestType, 0);
  assert.throws(() => vcsec.whitelistEntryInfo(-1), RangeError);
  // Signed commands carry no `unsigned` mark.
  assert.equal(vcsec.doorLock().unsigned, undefined);
  assert.equal(getCommand('door_lock')?.build?.({}).unsigned, undefined);
});

test('removeKey sends WhitelistOperation.removePublicKeyFromWhitelist with the raw key', () => {
  const key = new Uint8Array(65).fill(7);
  key[0] = 4;
  const decoded = fromBinary(UnsignedMessageSchema, vcsec.removeKey(key).payload);
  assert.equal(decoded.subMessage.case, 'WhitelistOperation');
  const op = decoded.subMessage.value.subMessage;
  assert.equal(op.case, 'removePublicKeyFromWhitelist');
  assert.deepEqual(op.value.PublicKeyRaw, key);
  assert.throws(() => vcsec.removeKey(new Uint8Array(33)), RangeError);
});
