/**
 * Typed errors of the vehicle layer. Every failure of {@link Vehicle.send} is a
 * {@link VehicleCommandError} with a stable `code`, whether trying again can help
 * (`retryable`), whether the command **may have executed** (`mayHaveExecuted`), and a message
 * that tells the caller (often a model) what to do next. No token, key or secret ever appears in
 * a message: only the VIN, public-key fingerprints and Tesla's own error text.
 *
 * @module
 */

import { cliCommand } from '../util/cli-command.js';
import { FleetHttpError } from './transport.js';

export type VehicleErrorCode =
  /** 408, or 503 "vehicle unavailable": nothing ran. Call wake_up, then retry. */
  | 'asleep'
  /** 429: `retryAfterSeconds` says when. Never looped here. */
  | 'rate_limited'
  /** 421: the account lives in another region; `baseUrl` names the right host. */
  | 'region'
  /** 401: the access token expired or was revoked. */
  | 'unauthorized'
  /** 403: the token lacks a scope, or the vehicle refuses this request. */
  | 'forbidden'
  /** 412: the app is not registered in this region. */
  | 'not_registered'
  /** The vehicle does not know our public key (UNKNOWN_KEY_ID, KEY_NOT_ON_WHITELIST). */
  | 'key_not_paired'
  /** The session kept failing after a fresh handshake: the vehicle's key likely changed. */
  | 'key_changed'
  /** The command was sent but its outcome is unknown (timeout, dropped or unreadable reply). */
  | 'unknown_outcome'
  /** The vehicle refused the message with a MessageFault that retrying does not fix. */
  | 'fault'
  /** The vehicle understood the command and declined it (CarServer ERROR, VCSEC nominal error). */
  | 'command_failed'
  /** The vehicle stayed busy (or kept asking to resynchronise) for every allowed attempt. */
  | 'busy'
  /** The deadline passed or the caller aborted before an answer arrived. */
  | 'deadline'
  /** The vehicle needs REST commands (422) and the command has no REST name to fall back to. */
  | 'protocol_not_supported'
  /** The vehicle requires signed commands and this command exists only as REST. */
  | 'signing_required'
  /** Any other HTTP answer. */
  | 'http_error'
  /** A reply that is not what the protocol allows. */
  | 'bad_reply'
  /** The shared state store (`--redis`, the session file) failed: nothing was sent. */
  | 'state_unavailable';

export interface VehicleCommandErrorInit {
  vin: string;
  retryable?: boolean;
  mayHaveExecuted?: boolean;
  fault?: number | undefined;
  faultName?: string | undefined;
  status?: number | undefined;
  retryAfterSeconds?: number | undefined;
  baseUrl?: string | undefined;
  /** The vehicle's own reason text of a refusal (`command_failed`). */
  reason?: string | undefined;
  cause?: unknown;
}

export class VehicleCommandError extends Error {
  override readonly name = 'VehicleCommandError';
  readonly code: VehicleErrorCode;
  readonly vin: string;
  /** Trying the same call again later may succeed (after the step the message names). */
  readonly retryable: boolean;
  /** The command may have run on the vehicle: check its state before sending it again. */
  readonly mayHaveExecuted: boolean;
  readonly fault: number | undefined;
  readonly faultName: string | undefined;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly baseUrl: string | undefined;
  /** The vehicle's own reason text of a refusal (`command_failed`), when it gave one. */
  readonly reason: string | undefined;

  constructor(code: VehicleErrorCode, message: string, init: VehicleCommandErrorInit) {
    super(message.startsWith('vehicle: ') ? message : `vehicle: ${message}`, {
      cause: init.cause,
    });
    this.code = code;
    this.vin = init.vin;
    this.retryable = init.retryable ?? false;
    this.mayHaveExecuted = init.mayHaveExecuted ?? false;
    this.fault = init.fault;
    this.faultName = init.faultName;
    this.status = init.status;
    this.retryAfterSeconds = init.retryAfterSeconds;
    this.baseUrl = init.baseUrl;
    this.reason = init.reason;
  }

  /** The plain shape for an MCP `structuredContent.error`. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {
      code: this.code,
      message: this.message,
      vin: this.vin,
      retryable: this.retryable,
      mayHaveSucceeded: this.mayHaveExecuted,
    };
    if (this.faultName !== undefined) out.fault = this.faultName;
    if (this.status !== undefined) out.status = this.status;
    if (this.retryAfterSeconds !== undefined) out.retryAfterSeconds = this.retryAfterSeconds;
    if (this.baseUrl !== undefined) out.baseUrl = this.baseUrl;
    if (this.reason) out.reason = this.reason;
    return out;
  }
}

export const CHECK_STATE = 'check the vehicle state before retrying';

/** The error for a command whose outcome is unknown; `why` says what happened. */
export function unknownOutcome(vin: string, why: string, cause?: unknown): VehicleCommandError {
  return new VehicleCommandError(
    'unknown_outcome',
    `${why}; the command may have executed on ${vin}: ${CHECK_STATE}`,
    { vin, mayHaveExecuted: true, cause },
  );
}

function detail(err: FleetHttpError): string {
  const text = [err.error, err.description].filter((s) => s && s.length > 0).join(': ');
  return text ? ` (${text})` : '';
}

/**
 * Maps a Fleet API error that is NOT an unknown outcome (the caller handles
 * `mayHaveExecuted` and 422 itself) to the error the caller sees.
 */
export function fromHttpError(err: FleetHttpError, vin: string): VehicleCommandError {
  const base = { vin, status: err.status, cause: err };
  const s = err.status;
  if (s === 408 || s === 503) {
    return new VehicleCommandError(
      'asleep',
      `vehicle ${vin} is asleep or offline${detail(err)}: call wake_up, then retry`,
      { ...base, retryable: true },
    );
  }
  if (s === 429) {
    const after = err.retryAfterSeconds;
    return new VehicleCommandError(
      'rate_limited',
      after === undefined
        ? `rate limited by the Fleet API for ${vin}: wait before retrying`
        : `rate limited by the Fleet API for ${vin}: retry after ${after} s`,
      { ...base, retryable: true, retryAfterSeconds: after },
    );
  }
  if (s === 421) {
    return new VehicleCommandError(
      'region',
      `wrong Fleet API region for ${vin}${err.baseUrl ? `: use base URL ${err.baseUrl}` : ''}, then retry`,
      { ...base, retryable: true, baseUrl: err.baseUrl },
    );
  }
  if (s === 401) {
    return new VehicleCommandError(
      'unauthorized',
      `the Tesla access token was refused${detail(err)}: run \`${cliCommand('login')}\` again`,
      base,
    );
  }
  if (s === 403) {
    return new VehicleCommandError(
      'forbidden',
      `the Fleet API refused the request for ${vin}${detail(err)}: check the token's scopes (re-consent may be needed)`,
      base,
    );
  }
  if (s === 412) {
    return new VehicleCommandError(
      'not_registered',
      `the Fleet API refused the request${detail(err)}: the app is not registered in this region: run \`${cliCommand('register --domain <your domain>')}\``,
      base,
    );
  }
  return new VehicleCommandError(
    'http_error',
    `the Fleet API answered HTTP ${s} for ${vin}${detail(err)}`,
    { ...base, retryable: s >= 500 },
  );
}

/** Whether `err` is an abort (the caller's signal or our deadline). */
export function isAbort(err: unknown): boolean {
  return (
    err instanceof Error &&
    (err.name === 'AbortError' || err.name === 'TimeoutError') &&
    !(err instanceof FleetHttpError)
  );
}
