/**
 * Session records as the state stores keep them: the vehicle's session info (protocol.md
 * "Session info": counter, epoch, clock, vehicle public key) as of `exportedAt`, whose counter
 * is the highest reserved so far. Helpers shared by every store, so the rules live once:
 * a put within the stored epoch never lowers the counter; a new epoch replaces the session.
 *
 * @module
 */
import { bytesToHex } from '../signing/bytes.js';
import { decodeSessionInfoFields, encodeSessionInfo } from '../signing/session-info.js';
import type { ExportedSession } from '../signing/signer.js';

/** The epoch (hex) and counter a session record holds; undefined for a malformed one. */
export function sessionState(s: ExportedSession): { epoch: string; counter: number } | undefined {
  try {
    const f = decodeSessionInfoFields(s.sessionInfo);
    return { epoch: bytesToHex(f.epoch), counter: f.counter };
  } catch {
    return undefined;
  }
}

/** The same session with its counter set to `counter`. */
export function withCounter(s: ExportedSession, counter: number): ExportedSession {
  const f = decodeSessionInfoFields(s.sessionInfo);
  const out: ExportedSession = {
    sessionInfo: encodeSessionInfo({
      counter,
      publicKey: f.publicKey,
      epoch: f.epoch,
      clockTime: f.clockTime,
    }),
    exportedAt: s.exportedAt,
  };
  if (s.encryptsResponses) out.encryptsResponses = true;
  return out;
}

/**
 * What to store when `incoming` is put over `stored`: within one epoch the counter is the
 * higher of the two (a lagging instance never rolls it back); a new epoch replaces the session.
 */
export function mergeSession(
  stored: ExportedSession | undefined,
  incoming: ExportedSession,
): ExportedSession {
  const a = stored && sessionState(stored);
  const b = sessionState(incoming);
  let out = incoming;
  if (a && b && a.epoch === b.epoch && a.counter > b.counter)
    out = withCounter(incoming, a.counter);
  if (stored?.encryptsResponses && !out.encryptsResponses)
    out = { ...out, encryptsResponses: true };
  return out;
}

/** Lease ids: random enough that two holders never share one. */
export function leaseId(): string {
  return bytesToHex(crypto.getRandomValues(new Uint8Array(12)));
}
