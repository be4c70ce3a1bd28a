/**
 * Every toolset by its name (README "Tools") and every tool. The server filters these by
 * `--toolsets` / `--read-only`; the README tables and the toolsnaps iterate `ALL_TOOLS`.
 *
 * @module
 */
import type { Tool } from '../tool.js';
import { accountTools } from './account.js';
import { chargingTools } from './charging.js';
import { climateTools } from './climate.js';
import { energyTools } from './energy.js';
import { keysTools } from './keys.js';
import { mediaTools } from './media.js';
import { navigationTools } from './navigation.js';
import { parentalTools } from './parental.js';
import { securityTools } from './security.js';
import { sharingTools } from './sharing.js';
import { telemetryTools } from './telemetry.js';
import { vehicleTools } from './vehicle.js';

export const TOOLSETS = {
  vehicle: vehicleTools,
  climate: climateTools,
  charging: chargingTools,
  security: securityTools,
  media: mediaTools,
  navigation: navigationTools,
  energy: energyTools,
  telemetry: telemetryTools,
  sharing: sharingTools,
  account: accountTools,
  keys: keysTools,
  parental: parentalTools,
} as const satisfies Record<string, readonly Tool[]>;

export type ToolsetName = keyof typeof TOOLSETS;

export const TOOLSET_NAMES = Object.keys(TOOLSETS) as ToolsetName[];

/** What each toolset holds, in a line (`enable_toolsets` answers with these). */
export const TOOLSET_SUMMARIES: Record<ToolsetName, string> = {
  vehicle:
    'Vehicle list, state, data, wake, pairing link, alerts, software updates, billing summary.',
  climate: 'HVAC, temperatures, seat and steering wheel heat, defrost, keeper modes.',
  charging: 'Charge start/stop, limit, amps, charge port, schedules, departure.',
  security: 'Locks, trunks, windows, sentry, valet, PIN to Drive, speed limit, HomeLink, horn.',
  navigation: 'Send an address, coordinates, Supercharger or waypoints to the car.',
  media: 'Playback, tracks, favourites, volume.',
  energy: 'Powerwall and solar: live power, history, backup reserve, modes, grid export.',
  telemetry: 'Fleet Telemetry configuration and errors.',
  sharing: 'Drivers and share invites.',
  account: 'Profile, orders, products, vehicle specs and warranty, charging history, tokens.',
  keys: 'Command key status, registered public key, admin PIN resets, erase user data.',
  parental: 'Parental controls.',
};

/** The `TESLA_MCP_TOOLSETS` default (README "`tesla-mcp serve` options"). */
export const DEFAULT_TOOLSETS: readonly ToolsetName[] = [
  'vehicle',
  'climate',
  'charging',
  'security',
  'navigation',
];

export const ALL_TOOLS: readonly Tool[] = TOOLSET_NAMES.flatMap(
  (n) => TOOLSETS[n] as readonly Tool[],
);

/** The toolset a tool belongs to. */
export function toolsetOf(name: string): ToolsetName | undefined {
  return TOOLSET_NAMES.find((n) => (TOOLSETS[n] as readonly Tool[]).some((t) => t.name === name));
}
