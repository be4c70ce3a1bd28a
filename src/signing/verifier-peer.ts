/**
 * The vehicle-side state for one client key: the highest counter seen and the 32-wide replay
 * window, with the verification rules of protocol.md and vehicle-command
 * internal/authentication/verifier.go, applied in this order: signature present; domain;
 * epoch; expiry (expired, out of range, TTL rule for counter 0 or out-of-order counters);
 * tag (HMAC) or AES-GCM open; counter window.
 *
 * @module
 */
import { fromBinary } from '@bufbuild/protobuf';
import { type RoutableMessage, RoutableMessageSchema } from '../gen/universal_message_pb.js';
import { equalBytes } from './bytes.js';
import {
  COUNTER_MAX,
  Domain,
  type DomainId,
  EPOCH_LENGTH_SECONDS,
  MAX_SECONDS_WITHOUT_COUNTER,
} from './constants.js';
import { MessageFault } from './errors.js';
import { requestHash, requestMetadata, SignatureType } from './metadata.js';
import type { SessionKeys } from './session.js';
import { slideWindow, type WindowState } from './window.js';

export type VerifyOutcome =
  | { ok: true; plaintext: Uint8Array; requestHash: Uint8Array; counter: number }
  | {
      ok: false;
      fault: number;
      /** Whether the vehicle attaches fresh session info (all but framing errors). */
      withSessionInfo: boolean;
    };

export interface PeerVerifierOptions {
  keys: SessionKeys;
  vin: Uint8Array;
  domain: DomainId;
  /** The domain's current epoch. */
  epoch: () => Uint8Array;
  /** The domain's clock, in seconds since the epoch began. */
  clock: () => number;
  /** Called when the counter space is exhausted: the vehicle starts a new epoch. */
  rotateEpoch?: () => void;
}

const fail = (fault: number, withSessionInfo = true): VerifyOutcome => ({
  ok: false,
  fault,
  withSessionInfo,
});

export class PeerVerifier {
  readonly keys: SessionKeys;
  readonly #o: PeerVerifierOptions;
  #window: WindowState = { counter: 0, window: 0n };
  #responseCounter = 0;

  constructor(o: PeerVerifierOptions) {
    this.keys = o.keys;
    this.#o = o;
  }

  /** The highest command counter accepted so far. */
  get counter(): number {
    return this.#window.counter;
  }

  nextResponseCounter(): number {
    this.#responseCounter = (this.#responseCounter + 1) >>> 0;
    return this.#responseCounter;
  }

  /** Verifies a RoutableMessage given as bytes (malformed bytes give DECODING). */
  verifyBytes(bytes: Uint8Array): VerifyOutcome {
    let msg: RoutableMessage;
    try {
      msg = fromBinary(RoutableMessageSchema, bytes);
    } catch {
      return fail(MessageFault.DECODING, false);
    }
    return this.verify(msg);
  }

  verify(msg: RoutableMessage): VerifyOutcome {
    const sd = msg.subSigData.value;
    if (!sd) return fail(MessageFault.BAD_PARAMETER, false);
    const to = msg.toDestination?.subDestination;
    if (to?.case !== 'domain') return fail(MessageFault.INVALID_DOMAINS, false);
    if (to.value !== this.#o.domain && to.value !== Domain.BROADCAST) {
      return fail(MessageFault.INVALID_DOMAINS, false);
    }
    const sig = sd.sigType;
    let sigType: number;
    if (sig.case === 'HMACPersonalizedData') sigType = SignatureType.HMAC_PERSONALIZED;
    else if (sig.case === 'AESGCMPersonalizedData') sigType = SignatureType.AES_GCM_PERSONALIZED;
    else return fail(MessageFault.BAD_PARAMETER, false);
    const d = sig.value;
    const payload =
      msg.payload.case === 'protobufMessageAsBytes' ? msg.payload.value : new Uint8Array();

    const epoch = this.#o.epoch();
    const now = this.#o.clock();
    if (d.epoch.length > 0 && !equalBytes(d.epoch, epoch))
      return fail(MessageFault.INCORRECT_EPOCH);
    if (d.expiresAt !== 0 && d.expiresAt < now) return fail(MessageFault.TIME_EXPIRED);
    if (d.expiresAt > EPOCH_LENGTH_SECONDS) return fail(MessageFault.BAD_PARAMETER);
    if (d.counter === 0 || d.counter < this.#window.counter) {
      if (d.expiresAt === 0 || d.expiresAt - now > MAX_SECONDS_WITHOUT_COUNTER) {
        return fail(MessageFault.TIME_TO_LIVE_TOO_LONG);
      }
    }

    // The metadata binds the vehicle's own epoch, domain and VIN, not what the message claims.
    const metadata = requestMetadata({
      signatureType: sigType,
      domain: this.#o.domain,
      vin: this.#o.vin,
      epoch,
      expiresAt: d.expiresAt,
      counter: d.counter,
      flags: msg.flags,
    });
    let plaintext: Uint8Array;
    let tag: Uint8Array;
    if (sig.case === 'HMACPersonalizedData') {
      tag = sig.value.tag;
      if (!equalBytes(this.keys.commandTag(metadata, payload), tag)) {
        return fail(MessageFault.INVALID_SIGNATURE);
      }
      plaintext = payload;
    } else {
      tag = sig.value.tag;
      const opened = this.keys.decrypt(sig.value.nonce, payload, tag, metadata);
      if (!opened) return fail(MessageFault.INVALID_SIGNATURE);
      plaintext = opened;
    }

    if (d.counter > 0) {
      const next = slideWindow(this.#window, d.counter);
      if (!next) return fail(MessageFault.INVALID_TOKEN_OR_COUNTER);
      this.#window = next;
    }
    const hash = requestHash(sigType, this.#o.domain, tag);
    if (d.counter === COUNTER_MAX) this.#o.rotateEpoch?.();
    return { ok: true, plaintext, requestHash: hash, counter: d.counter };
  }
}
