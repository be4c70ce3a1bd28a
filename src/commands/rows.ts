/**
 * Helpers that keep registry rows short: the route, scopes and resend policy follow from the
 * helper used and the effect. `nonIdempotent` is set exactly on `write` and `destructive` rows, so
 * the dispatcher never blindly resends them after an unknown outcome.
 *
 * @module
 */
import type { BuildFromParams, CommandSpec, Effect, OAuthScope, RestReason } from './types.js';

/** A registry row before its name is filled in. */
export type Row = Omit<CommandSpec, 'name'>;

export const CMDS: readonly OAuthScope[] = ['vehicle_cmds'];
export const CHARGING: readonly OAuthScope[] = ['vehicle_charging_cmds'];
/** Charge-port commands: Tesla accepts either scope. */
export const CHARGING_OR_CMDS: readonly OAuthScope[] = ['vehicle_charging_cmds', 'vehicle_cmds'];

const resend = (effect: Effect): { nonIdempotent?: true } =>
  effect === 'write' || effect === 'destructive' ? { nonIdempotent: true } : {};

/** A signed Infotainment (`CarServer.Action`) command. */
export const info = (
  effect: Effect,
  description: string,
  build: BuildFromParams,
  scopes: readonly OAuthScope[] = CMDS,
): Row => ({ domain: 'infotainment', effect, scopes, build, description, ...resend(effect) });

/** A signed VCSEC (`UnsignedMessage`) command. */
export const sec = (
  effect: Effect,
  description: string,
  build: BuildFromParams,
  scopes: readonly OAuthScope[] = CMDS,
): Row => ({ domain: 'vcsec', effect, scopes, build, description, ...resend(effect) });

/** A command sent to REST `command/{name}` with the caller's params (no builder). */
export const rest = (
  effect: Effect,
  restReason: RestReason,
  description: string,
  scopes: readonly OAuthScope[] = CMDS,
): Row => ({ domain: 'rest', effect, scopes, restReason, description, ...resend(effect) });
