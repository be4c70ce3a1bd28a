/**
 * Plain types of the command layer: a built {@link Command} and the shape of a registry row
 * ({@link CommandSpec}); the effect of running one is in `./effect.ts`, its scopes in
 * `./scopes.ts`.
 *
 * Builders are pure and synchronous: typed arguments in, protobuf bytes out, no I/O, no clock,
 * no randomness (`docs/design/tools.md`). The signer adds counters, expiry and the request UUID.
 *
 * @module
 */

import type { Effect } from './effect.js';
import type { OAuthScope } from './scopes.js';

/** The vehicle-command domain numbers a built command goes to. */
export const DOMAIN_VCSEC = 2;
export const DOMAIN_INFOTAINMENT = 3;

/**
 * A built command: 2 = VCSEC (`VCSEC.UnsignedMessage` bytes), 3 = Infotainment
 * (`CarServer.Action` bytes). Structurally the vehicle layer's `VehicleCommand`.
 */
export interface Command {
  readonly domain: 2 | 3;
  readonly payload: Uint8Array;
  /**
   * Set only on the VCSEC information requests (whitelist info, body-controller state), which
   * upstream sends without a signature (`AuthMethodNone`) because they are used to find out
   * whether our key is paired at all.
   */
  readonly unsigned?: true;
}

/** How a Fleet command is delivered. */
export type CommandRoute = 'vcsec' | 'infotainment' | 'rest' | 'wake';

/** Why a row has no builder: the Go proxy answers `ErrCommandUseRESTAPI` (Tesla handles it server-side). */
export type RestReason = 'rest-api';

/**
 * Where a signed row's message is defined when it is not in Tesla's public protos.
 * `teslemetry-ext`: our extension module `proto-ext/car_server_ext.proto`, whose field numbers
 * and shapes come from Teslemetry/python-tesla-fleet-api `proto/car_server.proto` @0b1a36574ef1.
 */
export type CommandSource = 'teslemetry-ext';

/** Extra inputs a few builders need from the caller, so that builders stay pure. */
export interface BuildContext {
  /**
   * The caller's clock in ms since the epoch. Only `add_charge_schedule` and
   * `add_precondition_schedule` read it, when `id` is 0 or absent: like the Go proxy, the
   * schedule id is then the current Unix time in seconds.
   */
  readonly now?: number;
}

/** Builds a command from the Go proxy's JSON parameters (`pkg/proxy/command.go` rules). */
export type BuildFromParams = (
  params: Readonly<Record<string, unknown>>,
  ctx?: BuildContext,
) => Command;

/** One registry row: everything the dispatcher, the MCP tools and the README need. */
export interface CommandSpec {
  /** The Fleet command name (`POST /api/1/vehicles/{vin}/command/{name}`). */
  readonly name: string;
  readonly domain: CommandRoute;
  /** Also decides whether it may be resent after an unknown outcome (`mayResend`). */
  readonly effect: Effect;
  /** Tesla OAuth scopes; any one of them is enough for the call. */
  readonly scopes: readonly OAuthScope[];
  /**
   * Parses the JSON params and builds the signed payload. Throws `CommandParamError` (the Go
   * proxy's reason text) for a missing or mistyped param and `RangeError` for a value out of range.
   * Absent on REST-only, no-proto and `wake_up` rows.
   */
  readonly build?: BuildFromParams;
  /** Set on rows with `domain: 'rest'`. */
  readonly restReason?: RestReason;
  /** Set on signed rows whose message is not in Tesla's public protos. */
  readonly source?: CommandSource;
  /** For people and models: the MCP tool's description (`src/mcp/fields.ts` `commandTool`). */
  readonly description: string;
}
