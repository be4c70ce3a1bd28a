import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as media from '../../src/commands/media.js';
import { viaRegistry } from '../helpers/decode-command.js';

test('media commands decode to the §4 field paths', () => {
  assert.deepEqual(viaRegistry('adjust_volume', { volume: 3.5 }), {
    mediaUpdateVolume: { volumeAbsoluteFloat: 3.5 },
  });
  assert.deepEqual(viaRegistry('media_volume_up'), { mediaUpdateVolume: { volumeDelta: 1 } });
  assert.deepEqual(viaRegistry('media_volume_down'), { mediaUpdateVolume: { volumeDelta: -1 } });
  assert.deepEqual(viaRegistry('media_toggle_playback'), { mediaPlayAction: {} });
  assert.deepEqual(viaRegistry('media_next_track'), { mediaNextTrack: {} });
  assert.deepEqual(viaRegistry('media_prev_track'), { mediaPreviousTrack: {} });
  assert.deepEqual(viaRegistry('media_next_fav'), { mediaNextFavorite: {} });
  assert.deepEqual(viaRegistry('media_prev_fav'), { mediaPreviousFavorite: {} });
});

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
