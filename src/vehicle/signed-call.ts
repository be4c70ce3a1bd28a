/**
 * The steps of one signed command, each a function that can be tested on its own: sign →
 * send → classify the reply → recover. A step never loops or waits; it updates the {@link Call}
 * (sends spent, what to report if time runs out) and says what to do {@link Next}. The loop that
 * acts on it (pause, re-handshake, REST switch) is `Vehicle.send` in `vehicle.ts`.
 *
 * Rules (protocol.md "Recovering from synchronization errors", vehicle-command
 * pkg/protocol/error.go `ShouldRetry`):
 * - a failed handshake spends an attempt, so the loop always ends;
 * - a synchronisation fault with authentic session info is re-signed and resent at once; without
 *   it (or after INVALID_SIGNATURE twice) the session is dropped and handshaken again, once;
 * - an unknown outcome is resent only for an idempotent command, and only once;
 * - BUSY-like faults and a busy application reply pause before the resend.
 *
 * @module
 */
import { DEFAULT_FLAGS } from '../signing/constants.js';
import { MessageFault, ProtocolError } from '../signing/errors.js';
import type { SignedRequest, Signer } from '../signing/signer.js';
import { cliCommand } from '../util/cli-command.js';
import { matchAlready } from './already.js';
import { VehicleCommandError } from './errors.js';
import {
  classifyHandshakeError,
  classifyReplyError,
  classifySendError,
  type Outcome,
} from './outcomes.js';
import { notPairedError } from './pairing.js';
import { parseInfotainmentReply, parseVcsecReply } from './reply.js';
import type { CommandResult } from './types.js';

/** Signatures never live longer than this, whatever the deadline. */
export const MAX_LIFETIME_MS = 10_000;
/** Less time than this left is not worth a send: the signature would expire on the way. */
export const MIN_LIFETIME_MS = 1000;

/** The state of one `send` of a signed command. */
export interface Call {
  vin: string;
  /** Our public key and the app's domain, for a "not paired" error's pairing advice. */
  publicKey: Uint8Array;
  appDomain: string | undefined;
  /** The Fleet command name and the caller's parameters, to read a no-op reason (`./already.ts`). */
  name?: string | undefined;
  params?: Readonly<Record<string, unknown>> | undefined;
  idempotent: boolean;
  deadline: number;
  signal: AbortSignal;
  /** Sends so far (commands, and handshakes that failed). */
  sends: number;
  maxAttempts: number;
  unknownRetried: boolean;
  invalidSignatures: number;
  rehandshaken: boolean;
  /** What to report if the budget or the deadline runs out now. */
  last: VehicleCommandError | undefined;
}

export type Next =
  /** The vehicle accepted the command. */
  | { do: 'return'; result: CommandResult }
  /** The Fleet API answered 422: switch this VIN to REST. */
  | { do: 'rest'; cause: unknown }
  | { do: 'throw'; error: unknown }
  /** Go around at once (re-sign with the session as it now is). */
  | { do: 'retry' }
  /** Wait the retry interval, then go around. */
  | { do: 'pause' }
  /** Drop the session (the next round handshakes), then go around. */
  | { do: 'rehandshake' };

const RETRY: Next = { do: 'retry' };

function notPaired(call: Call, cause?: unknown): Next {
  return { do: 'throw', error: notPairedError(call.vin, call.publicKey, call.appDomain, cause) };
}

/** Step 0: the session could not be started (the handshake failed). */
export function afterHandshakeError(call: Call, err: unknown): Next {
  const out = classifyHandshakeError(err, call.vin, call.signal.aborted);
  if (out.kind === 'rest') return { do: 'rest', cause: err };
  if (out.kind === 'not-paired') return notPaired(call, err);
  if (out.kind === 'fail') return { do: 'throw', error: out.error };
  call.sends++; // a failed handshake spends an attempt, so the loop always ends
  if ('error' in out) call.last = out.error;
  return out.kind === 'retry-later' ? { do: 'pause' } : RETRY;
}

/**
 * Step 1: signs `payload` with FLAG_ENCRYPT_RESPONSE, to expire at the deadline (10 s at most),
 * and counts the send (with `counter` when a shared store reserved it). `undefined` when the session's counter is exhausted (the caller drops
 * the session; that also spends an attempt).
 */
export function signCommand(
  signer: Signer,
  payload: Uint8Array,
  call: Call,
  now: number,
  counter?: number,
): SignedRequest | undefined {
  const lifetimeMs = Math.min(call.deadline - now, MAX_LIFETIME_MS);
  call.sends++;
  try {
    const o = { lifetimeMs, flags: DEFAULT_FLAGS, now };
    return signer.sign(payload, counter === undefined ? o : { ...o, counter });
  } catch (err) {
    if (err instanceof ProtocolError && err.code === 'counter-rollover') return undefined;
    throw err;
  }
}

/** An unknown outcome or a failure: surface it, or resend an idempotent command once. */
function unknownOrFail(call: Call, out: Outcome): Next {
  if (out.kind === 'fail') return { do: 'throw', error: out.error };
  if (out.kind === 'unknown') {
    if (!call.idempotent || call.unknownRetried || call.signal.aborted) {
      return { do: 'throw', error: out.error };
    }
    call.unknownRetried = true;
  }
  if ('error' in out) call.last = out.error;
  return out.kind === 'retry-later' ? { do: 'pause' } : RETRY;
}

/** Step 2: the transport failed (no reply, or an HTTP error instead of one). */
export function afterSendError(call: Call, err: unknown): Next {
  const out = classifySendError(err, call.vin, call.signal.aborted);
  if (out.kind === 'rest') return { do: 'rest', cause: err };
  return unknownOrFail(call, out);
}

/** Step 3a: the signer refused to open the reply (a fault, tampering, a mismatch). */
export function afterReplyError(call: Call, err: unknown): Next {
  const out = classifyReplyError(err, call.vin);
  if (out.kind === 'not-paired') return notPaired(call, err);
  if (out.kind !== 'resync') return unknownOrFail(call, out);
  call.last = out.error;
  const stale =
    out.needsHandshake ||
    (out.fault === MessageFault.INVALID_SIGNATURE &&
      (call.rehandshaken || ++call.invalidSignatures >= 2));
  if (!stale) return RETRY;
  if (call.rehandshaken) return { do: 'throw', error: keyChanged(call.vin, err) };
  call.rehandshaken = true;
  call.invalidSignatures = 0;
  return { do: 'rehandshake' };
}

/** Step 3b: the reply opened; read its application layer. */
export function afterReply(call: Call, domain: 2 | 3, payload: Uint8Array): Next {
  const app = domain === 2 ? parseVcsecReply(payload) : parseInfotainmentReply(payload);
  const vin = call.vin;
  switch (app.kind) {
    case 'ok':
      return {
        do: 'return',
        result: {
          result: true,
          reason: app.reason,
          vin,
          via: 'signed',
          domain: domain === 2 ? 'vcsec' : 'infotainment',
          response: app.response,
        },
      };
    case 'busy':
      call.last = new VehicleCommandError(
        'busy',
        `${app.message} on ${vin}: retry in a few seconds`,
        {
          vin,
          retryable: true,
        },
      );
      return { do: 'pause' };
    case 'refused': {
      const noop = app.reason ? matchAlready(call.name, app.reason, call.params) : undefined;
      if (noop) {
        const result = {
          result: true,
          reason: app.reason ?? '',
          vin,
          via: 'signed',
          domain: domain === 2 ? 'vcsec' : 'infotainment',
          message: noop.message,
        } satisfies CommandResult;
        return {
          do: 'return',
          result: noop.row.outcome === 'unchanged' ? { ...result, changed: false } : result,
        };
      }
      return {
        do: 'throw',
        error: new VehicleCommandError('command_failed', `${app.message} (${vin})`, {
          vin,
          reason: app.reason,
        }),
      };
    }
    case 'not-paired':
      return notPaired(call);
    case 'unreadable':
      return {
        do: 'throw',
        error: new VehicleCommandError(
          'unknown_outcome',
          `${app.message}; the command may have executed on ${vin}: check the vehicle state before retrying`,
          { vin, mayHaveExecuted: true },
        ),
      };
  }
}

/** Throws when the caller aborted or too little time is left for a signature to arrive. */
export function checkTime(call: Call, now: number): void {
  if (!call.signal.aborted && now + MIN_LIFETIME_MS <= call.deadline) return;
  if (call.last) throw call.last;
  const sent = call.sends > 0;
  throw new VehicleCommandError(
    sent ? 'unknown_outcome' : 'deadline',
    sent
      ? `no answer from ${call.vin} before the deadline; the command may have executed: check the vehicle state before retrying`
      : `no answer from ${call.vin} before the deadline: check that the vehicle is online, then retry`,
    { vin: call.vin, retryable: !sent, mayHaveExecuted: sent },
  );
}

/** The error when the attempts or the time ran out: the last one seen, or "busy". */
export function exhausted(call: Call): VehicleCommandError {
  const last = call.last;
  if (last?.code === 'busy' || last?.code === 'fault' || last === undefined) {
    return new VehicleCommandError(
      'busy',
      `vehicle ${call.vin} did not accept the command after ${call.sends} attempt(s)${
        last ? ` (last: ${last.message.replace(/^vehicle: /, '')})` : ''
      }: retry in a few seconds`,
      {
        vin: call.vin,
        retryable: true,
        fault: last?.fault,
        faultName: last?.faultName,
        cause: last,
      },
    );
  }
  return last;
}

function keyChanged(vin: string, cause: unknown): VehicleCommandError {
  return new VehicleCommandError(
    'key_changed',
    `vehicle ${vin} keeps rejecting our session even after a fresh handshake (its key may have changed after service): run \`${cliCommand('pair')}\` to check pairing, then retry`,
    { vin, cause },
  );
}
