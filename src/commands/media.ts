/**
 * Media builders: playback, tracks, favourites, volume.
 *
 * Mirrors vehicle-command pkg/vehicle/infotainment.go (media part).
 *
 * @module
 */
import { checkNumber } from './check.js';
import type { Command } from './types.js';
import { infotainment } from './wrap.js';

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
