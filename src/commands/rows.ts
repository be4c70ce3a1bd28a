/**
 * Helpers that keep registry rows short: the route follows from the helper used, the scopes
 * default to `vehicle_cmds`, and the resend rule from the effect (`./effect.ts`).
 *
 * @module
 */
import type { Effect } from './effect.js';
import { type OAuthScope, VEHICLE_CMDS } from './scopes.js';
import type { BuildFromParams, CommandSpec, RestReason } from './types.js';

/** A registry row before its name is filled in. */
export type Row = Omit<CommandSpec, 'name'>;

/** A signed Infotainment (`CarServer.Action`) command. */
export const info = (
  effect: Effect,
  description: string,
  build: BuildFromParams,
  scopes: readonly OAuthScope[] = VEHICLE_CMDS,
): Row => ({ domain: 'infotainment', effect, scopes, build, description });

/**
 * A signed Infotainment command whose message is in our extension module
 * (`proto-ext/car_server_ext.proto`), not in Tesla's public protos.
 */
export const infoExt = (
  effect: Effect,
  description: string,
  build: BuildFromParams,
  scopes: readonly OAuthScope[] = VEHICLE_CMDS,
): Row => ({ ...info(effect, description, build, scopes), source: 'teslemetry-ext' });

/** A signed VCSEC (`UnsignedMessage`) command. */
export const sec = (
  effect: Effect,
  description: string,
  build: BuildFromParams,
  scopes: readonly OAuthScope[] = VEHICLE_CMDS,
): Row => ({ domain: 'vcsec', effect, scopes, build, description });

/** A command sent to REST `command/{name}` with the caller's params (no builder). */
export const rest = (
  effect: Effect,
  restReason: RestReason,
  description: string,
  scopes: readonly OAuthScope[] = VEHICLE_CMDS,
): Row => ({ domain: 'rest', effect, scopes, restReason, description });
