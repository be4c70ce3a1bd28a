/**
 * `Signatures.SessionInfo` as plain data: the vehicle's counter, public key, epoch and clock
 * (protocol.md "Handshake" → "Response").
 *
 * @module
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { SessionInfoSchema } from '../gen/signatures_pb.js';
import { ProtocolError } from './errors.js';

/** `Signatures.Session_Info_Status`. */
export const SessionInfoStatus = { OK: 0, KEY_NOT_ON_WHITELIST: 1 } as const;

export interface SessionInfoFields {
  counter: number;
  /** The vehicle domain's 65-byte public key. */
  publicKey: Uint8Array;
  /** 16 random bytes chosen at boot. */
  epoch: Uint8Array;
  /** Seconds since the epoch began. */
  clockTime: number;
  status: number;
  handle: number;
}

export function decodeSessionInfoFields(bytes: Uint8Array): SessionInfoFields {
  try {
    const m = fromBinary(SessionInfoSchema, bytes);
    return {
      counter: m.counter,
      publicKey: m.publicKey,
      epoch: m.epoch,
      clockTime: m.clockTime,
      status: m.status,
      handle: m.handle,
    };
  } catch {
    throw new ProtocolError('decoding', 'session info is not a valid SessionInfo message');
  }
}

export function encodeSessionInfo(f: Partial<SessionInfoFields>): Uint8Array {
  return toBinary(SessionInfoSchema, create(SessionInfoSchema, f));
}
