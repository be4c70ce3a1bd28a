/**
 * What to do after a failure: vehicle-command's fault handling (`pkg/protocol/error.go`,
 * `internal/dispatcher/dispatcher.go`) and the HTTP table on `FleetHttpError` (`./transport.ts`)
 * as code. Each classifier turns an error from the transport or the signer into
 * one {@link Outcome}; `vehicle.ts` acts on it. Errors that are neither (bugs) are rethrown.
 *
 * @module
 */
import { faultName, MessageFault, ProtocolError } from '../signing/errors.js';
import { fromHttpError, isAbort, unknownOutcome, VehicleCommandError } from './errors.js';
import { FleetHttpError } from './transport.js';

export type Outcome =
  /** 422: the vehicle does not support the protocol; use REST with the original parameters. */
  | { kind: 'rest' }
  /** The vehicle does not know our key. */
  | { kind: 'not-paired' }
  /** Surface `error` now. */
  | { kind: 'fail'; error: VehicleCommandError }
  /** The command may have executed: resend only if idempotent (once). */
  | { kind: 'unknown'; error: VehicleCommandError }
  /** Nothing ran; resend at once (a handshake that got no usable answer). */
  | { kind: 'retry'; error: VehicleCommandError }
  /** Nothing ran; the vehicle is busy: pause, then resend. */
  | { kind: 'retry-later'; error: VehicleCommandError }
  /**
   * A synchronisation fault: the signer applied the session info it carried; re-sign and
   * resend. `needsHandshake` when no authentic session info came with it.
   */
  | { kind: 'resync'; error: VehicleCommandError; fault: number; needsHandshake: boolean };

/** Faults that carry session info and are fixed by re-signing with it. */
const RESYNC_FAULTS: ReadonlySet<number> = new Set([
  MessageFault.INVALID_SIGNATURE,
  MessageFault.INVALID_TOKEN_OR_COUNTER,
  MessageFault.INCORRECT_EPOCH,
  MessageFault.TIME_EXPIRED,
  MessageFault.TIME_TO_LIVE_TOO_LONG,
]);

/** What the user can do about a fault that is surfaced. */
const FAULT_ADVICE: Partial<Record<number, string>> = {
  [MessageFault.INACTIVE_KEY]: 'the key is inactive on the vehicle: pair it again',
  [MessageFault.INSUFFICIENT_PRIVILEGES]:
    "the key's role does not allow this command: pair the key with the owner or driver role",
  [MessageFault.INVALID_DOMAINS]: 'the command went to a vehicle system that does not take it',
  [MessageFault.INVALID_COMMAND]:
    'the vehicle does not support this command (its firmware may be too old, or the command is not allowed remotely)',
  [MessageFault.DECODING]: 'the vehicle could not read the command: its firmware may be too old',
  [MessageFault.BAD_PARAMETER]: 'the vehicle refused a parameter of this command',
  [MessageFault.KEYCHAIN_IS_FULL]:
    "the vehicle's key list is full: remove an unused key inside the vehicle (Locks screen, with a key card), then pair again",
  [MessageFault.REMOTE_ACCESS_DISABLED]:
    "remote access is disabled: turn on 'Allow Mobile Access' in the vehicle",
  [MessageFault.REMOTE_SERVICE_ACCESS_DISABLED]: 'remote service access is disabled in the vehicle',
  [MessageFault.COMMAND_REQUIRES_ACCOUNT_CREDENTIALS]:
    'this command needs account credentials the vehicle-command protocol cannot give',
  [MessageFault.NOT_PROVISIONED_WITH_IDENTITY]: 'the vehicle is not provisioned for this key',
};

function faultFail(vin: string, fault: number, cause: unknown): VehicleCommandError {
  const name = faultName(fault);
  const advice = FAULT_ADVICE[fault] ?? 'this is not fixed by retrying';
  return new VehicleCommandError(
    'fault',
    `vehicle ${vin} rejected the command (${name}): ${advice}`,
    {
      vin,
      fault,
      faultName: name,
      cause,
    },
  );
}

function retriableFault(vin: string, fault: number, cause: unknown): VehicleCommandError {
  const name = faultName(fault);
  return new VehicleCommandError('busy', `vehicle ${vin} answered ${name}`, {
    vin,
    retryable: true,
    fault,
    faultName: name,
    cause,
  });
}

function deadline(vin: string, cause: unknown): VehicleCommandError {
  return new VehicleCommandError(
    'deadline',
    `no answer from ${vin} before the deadline: check that the vehicle is online, then retry`,
    { vin, retryable: true, cause },
  );
}

/**
 * A failure of a handshake (which never executes anything). `aborted`: whether this caller's
 * own signal fired (a shared handshake may have been aborted by another caller).
 */
export function classifyHandshakeError(err: unknown, vin: string, aborted: boolean): Outcome {
  if (err instanceof FleetHttpError) {
    if (err.status === 422) return { kind: 'rest' };
    if (err.mayHaveExecuted) return { kind: 'retry', error: fromHttpError(err, vin) };
    return { kind: 'fail', error: fromHttpError(err, vin) };
  }
  if (isAbort(err)) {
    return aborted
      ? { kind: 'fail', error: deadline(vin, err) }
      : { kind: 'retry', error: deadline(vin, err) };
  }
  if (!(err instanceof ProtocolError)) throw err;
  if (err.code === 'key-not-paired') return { kind: 'not-paired' };
  if (err.fault !== undefined && err.fault !== MessageFault.NONE) {
    if (err.retryable) return { kind: 'retry-later', error: retriableFault(vin, err.fault, err) };
    return { kind: 'fail', error: faultFail(vin, err.fault, err) };
  }
  // A late, unauthenticated, misrouted or unreadable session-info reply: ask again.
  return {
    kind: 'retry',
    error: new VehicleCommandError(
      'bad_reply',
      `vehicle ${vin} sent no usable session info (${err.message.replace(/^signing: /, '')}): retry`,
      { vin, retryable: true, cause: err },
    ),
  };
}

/** A failure of the transport while sending a signed command. */
export function classifySendError(err: unknown, vin: string, aborted: boolean): Outcome {
  if (err instanceof FleetHttpError) {
    if (err.status === 422) return { kind: 'rest' };
    if (err.mayHaveExecuted) {
      const what =
        err.status === 0 ? 'no answer from the Fleet API' : `Fleet API HTTP ${err.status}`;
      return { kind: 'unknown', error: unknownOutcome(vin, what, err) };
    }
    return { kind: 'fail', error: fromHttpError(err, vin) };
  }
  if (isAbort(err) || aborted) {
    return { kind: 'unknown', error: unknownOutcome(vin, 'no answer before the deadline', err) };
  }
  throw err;
}

/** A failure to open the vehicle's reply to a signed command. */
export function classifyReplyError(err: unknown, vin: string): Outcome {
  if (!(err instanceof ProtocolError)) throw err;
  if (err.code === 'key-not-paired') return { kind: 'not-paired' };
  if (err.mayHaveSucceeded) {
    const why: Record<string, string> = {
      'bad-response-tag': 'the encrypted reply failed authentication',
      'replayed-response': 'the reply was a replay',
      'unencrypted-response':
        'the reply was not encrypted although this vehicle encrypts its replies (it may have been tampered with)',
      decoding: 'the reply could not be read',
      'unexpected-response': 'the reply did not match the request',
    };
    const text =
      err.fault === MessageFault.RESPONSE_MTU_EXCEEDED
        ? 'the reply was too large for the vehicle to send'
        : (why[err.code] ?? err.message.replace(/^signing: /, ''));
    return { kind: 'unknown', error: unknownOutcome(vin, text, err) };
  }
  const fault = err.fault;
  if (fault === undefined || fault === MessageFault.NONE) {
    return {
      kind: 'fail',
      error: new VehicleCommandError(
        'bad_reply',
        `${err.message.replace(/^signing: /, '')} (${vin})`,
        {
          vin,
          cause: err,
        },
      ),
    };
  }
  if (RESYNC_FAULTS.has(fault)) {
    return {
      kind: 'resync',
      fault,
      needsHandshake: err.sessionInfoRejected || !err.sessionUpdated,
      error: retriableFault(vin, fault, err),
    };
  }
  if (err.retryable) return { kind: 'retry-later', error: retriableFault(vin, fault, err) };
  return { kind: 'fail', error: faultFail(vin, fault, err) };
}
