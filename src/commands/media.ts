/**
 * Media builders: playback, tracks, favourites, volume, and the boombox.
 *
 * Mirrors vehicle-command pkg/vehicle/infotainment.go (media part). The boombox is not in
 * Tesla's public protos: it uses our extension module (`proto-ext/car_server_ext.proto`, facts
 * from Teslemetry/python-tesla-fleet-api `proto/car_server.proto` @0b1a36574ef1).
 *
 * @module
 */
import { checkInt, checkNumber } from './check.js';
import type { Command } from './types.js';
import { infotainment, infotainmentExt } from './wrap.js';

export const MAX_VOLUME = 10;

/** `adjust_volume`: absolute volume 0–10 (`SetVolume`). */
export function adjustVolume(volume: number): Command {
  checkNumber('volume', volume, 0, MAX_VOLUME);
  return infotainment({
    case: 'mediaUpdateVolume',
    value: { mediaVolume: { case: 'volumeAbsoluteFloat', value: volume } },
  });
}

/** `media_volume_up`: one step up (only the sign of the delta matters). */
export const mediaVolumeUp = (): Command =>
  infotainment({
    case: 'mediaUpdateVolume',
    value: { mediaVolume: { case: 'volumeDelta', value: 1 } },
  });

/** `media_volume_down`: one step down. */
export const mediaVolumeDown = (): Command =>
  infotainment({
    case: 'mediaUpdateVolume',
    value: { mediaVolume: { case: 'volumeDelta', value: -1 } },
  });

/** `media_toggle_playback`. */
export const mediaTogglePlayback = (): Command =>
  infotainment({ case: 'mediaPlayAction', value: {} });

/** `media_next_track`. */
export const mediaNextTrack = (): Command => infotainment({ case: 'mediaNextTrack', value: {} });

/** `media_prev_track`. */
export const mediaPrevTrack = (): Command =>
  infotainment({ case: 'mediaPreviousTrack', value: {} });

/** `media_next_fav`. */
export const mediaNextFavorite = (): Command =>
  infotainment({ case: 'mediaNextFavorite', value: {} });

/** `media_prev_fav`. */
export const mediaPrevFavorite = (): Command =>
  infotainment({ case: 'mediaPreviousFavorite', value: {} });

/** Boombox sound ids the Fleet API documents for `remote_boombox`. */
export const BOOMBOX_SOUNDS = { random_fart: 0, locate_ping: 2000 } as const;

/** `remote_boombox`: play sound `sound` (a uint32) from the external speaker (field 64). */
export function remoteBoombox(sound: number): Command {
  checkInt('boombox sound', sound, 0, 0xffff_ffff);
  return infotainmentExt({ case: 'boomboxAction', value: { sound } });
}
