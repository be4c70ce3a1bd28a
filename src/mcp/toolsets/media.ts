/**
 * Toolset `media`: playback, tracks, favourites, volume and the boombox (Infotainment commands;
 * the boombox's message is in our extension module, `proto-ext/`).
 *
 * @module
 */
import { z } from 'zod';
import { BOOMBOX_SOUNDS } from '../../commands/media.js';
import { commandTool } from '../fields.js';

const simple = (name: string, title: string) => commandTool({ name, title });

export const mediaTools = [
  simple('media_toggle_playback', 'Play/pause'),
  simple('media_next_track', 'Next track'),
  simple('media_prev_track', 'Previous track'),
  simple('media_next_fav', 'Next favourite'),
  simple('media_prev_fav', 'Previous favourite'),
  simple('media_volume_up', 'Volume up'),
  simple('media_volume_down', 'Volume down'),
  commandTool({
    name: 'adjust_volume',
    title: 'Set volume',
    shape: { volume: z.number().min(0).max(10).describe('Absolute volume, 0-10.') },
  }),
  commandTool({
    name: 'remote_boombox',
    title: 'Boombox sound',
    shape: {
      sound: z.enum(['locate_ping', 'random_fart']).describe('Which sound.'),
    },
    toParams: (a) => ({ sound: BOOMBOX_SOUNDS[a.sound] }),
  }),
] as const;
