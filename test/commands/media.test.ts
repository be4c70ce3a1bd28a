import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as media from '../../src/commands/media.js';
import { viaRegistry } from '../helpers/decode-command.js';
import { checkExtGolden } from '../helpers/ext-wire.js';

test('volume must be 0–10, as SetVolume checks', () => {
  assert.equal(media.adjustVolume(0).domain, 3);
  assert.equal(media.adjustVolume(10).domain, 3);
  assert.throws(() => media.adjustVolume(10.5), {
    name: 'RangeError',
    message: 'volume must be 0–10, got 10.5',
  });
  assert.throws(() => media.adjustVolume(-0.1), RangeError);
  assert.throws(() => viaRegistry('adjust_volume', {}), { message: 'missing volume param' });
  assert.throws(() => viaRegistry('adjust_volume', { volume: '5' }), {
    message: 'invalid volume param',
  });
});

// Published: VehicleAction boomboxAction = 64 {uint32 sound = 1}; the Fleet API's sound ids are
// 0 (random fart) and 2000 (locate ping).
test('remote_boombox: bytes match the published field number and wire type', () => {
  checkExtGolden({
    name: 'remote_boombox',
    params: { sound: 2000 },
    field: 64,
    fields: [{ no: 1, wire: 0, value: 2000 }],
    hex: '12068204' + '03' + '08d00f', // 12 06 | 8204 (64<<3|2) 03 | 08 d00f (2000)
  });
  checkExtGolden({
    name: 'remote_boombox',
    params: { sound: 0 },
    field: 64,
    fields: [],
    hex: '1203820400', // sound 0 is the proto3 default: an empty BoomboxAction
  });
  assert.deepEqual(media.BOOMBOX_SOUNDS, { random_fart: 0, locate_ping: 2000 });
  assert.throws(() => viaRegistry('remote_boombox', {}), { message: 'missing sound param' });
  assert.throws(() => media.remoteBoombox(-1), RangeError);
  assert.throws(() => media.remoteBoombox(2 ** 32), RangeError);
});
