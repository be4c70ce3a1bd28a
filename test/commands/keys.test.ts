import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromBinary } from '@bufbuild/protobuf';
import * as keys from '../../src/commands/keys.js';
import { getCommand } from '../../src/commands/registry.js';
import * as security from '../../src/commands/security.js';
import { UnsignedMessageSchema } from '../../src/gen/vcsec_pb.js';
import { toHex, vcsecJson, viaRegistry } from '../helpers/decode-command.js';

test('key commands decode to the §4 field paths', () => {
  assert.deepEqual(viaRegistry('reset_pin_to_drive_pin'), {
    vehicleControlResetPinToDriveAction: {},
  });
  assert.deepEqual(viaRegistry('clear_pin_to_drive_admin'), {
    vehicleControlResetPinToDriveAdminAction: {},
  });
  assert.deepEqual(viaRegistry('speed_limit_clear_pin_admin'), {
    drivingClearSpeedLimitPinAdminAction: {},
  });
  assert.deepEqual(viaRegistry('erase_user_data'), { eraseUserDataAction: { reason: '' } });
});

test('unsigned information requests for key checks', () => {
  const info = keys.whitelistInfo();
  assert.equal(info.domain, 2);
  assert.equal(info.unsigned, true);
  assert.equal(toHex(info.payload), '0a020805');
  const entry = keys.whitelistEntryInfo(3);
  assert.equal(entry.unsigned, true);
  assert.deepEqual(vcsecJson(entry), {
    InformationRequest: {
      informationRequestType: 'INFORMATION_REQUEST_TYPE_GET_WHITELIST_ENTRY_INFO',
      slot: 3,
    },
  });
  const status = keys.bodyControllerState();
  assert.equal(status.unsigned, true);
  const decoded = fromBinary(UnsignedMessageSchema, status.payload);
  assert.equal(decoded.subMessage.case, 'InformationRequest');
  assert.equal(decoded.subMessage.value.informationRequestType, 0);
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
