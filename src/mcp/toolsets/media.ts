/**
 * Toolset `media`: playback, tracks, favourites and volume (Infotainment commands).
 *
 * @module
 */
import { z } from 'zod';
import { commandTool } from '../fields.js';

const simple = (name: string, title: string, what: string) =>
  commandTool({ name, title, description: `${what}.`, effect: 'write' });

export const mediaTools = [
  simple('media_toggle_playback', 'Play/pause', 'Toggle media playback (play/pause)'),
  simple('media_next_track', 'Next track', 'Skip to the next track'),
  simple('media_prev_track', 'Previous track', 'Go to the previous track'),
  simple('media_next_fav', 'Next favourite', 'Go to the next favourite'),
  simple('media_prev_fav', 'Previous favourite', 'Go to the previous favourite'),
  simple('media_volume_up', 'Volume up', 'Raise the volume one step'),
  simple('media_volume_down', 'Volume down', 'Lower the volume one step'),
  commandTool({
    name: 'adjust_volume',
    title: 'Set volume',
    description: `Set the media volume (0-10).`,
    shape: { volume: z.number().min(0).max(10).describe('Absolute volume, 0-10.') },
  }),
  commandTool({
    name: 'remote_boombox',
    title: 'Boombox sound',
    description:
      'Play a boombox sound from the external speaker. REST only (no public protobuf): legacy cars without signed commands.',
    shape: {
      sound: z.enum(['locate_ping', 'random_fart']).describe('Which sound.'),
    },
    toParams: (a) => ({ sound: a.sound === 'locate_ping' ? 2000 : 0 }),
  }),
] as const;
