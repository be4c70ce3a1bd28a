/**
 * Registry rows of toolset `media`: playback, tracks, favourites, volume and the boombox, mapped
 * onto `./media.ts`. The Go proxy's JSON parameters (vehicle-command pkg/proxy/command.go) are read
 * by `./params.ts`. The boombox uses the extension module (`source: 'teslemetry-ext'`).
 *
 * @module
 */
import * as media from './media.js';
import type { FleetCommandName } from './names.js';
import { getNumber } from './params.js';
import { info, infoExt, type Row } from './rows.js';

export const MEDIA_ROWS = {
  adjust_volume: info('idempotent', 'Set the media volume (0-10).', (p) =>
    media.adjustVolume(getNumber(p, 'volume', true)),
  ),
  remote_boombox: infoExt('write', 'Play a boombox sound from the external speaker.', (p) =>
    media.remoteBoombox(getNumber(p, 'sound', true)),
  ),
  media_next_fav: info('write', 'Go to the next favourite.', () => media.mediaNextFavorite()),
  media_prev_fav: info('write', 'Go to the previous favourite.', () => media.mediaPrevFavorite()),
  media_next_track: info('write', 'Skip to the next track.', () => media.mediaNextTrack()),
  media_prev_track: info('write', 'Go to the previous track.', () => media.mediaPrevTrack()),
  media_volume_down: info('write', 'Lower the volume one step.', () => media.mediaVolumeDown()),
  media_volume_up: info('write', 'Raise the volume one step.', () => media.mediaVolumeUp()),
  media_toggle_playback: info('write', 'Toggle media playback (play/pause).', () =>
    media.mediaTogglePlayback(),
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
