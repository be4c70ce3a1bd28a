/**
 * The vehicle side of the protocol: issues signed session info, verifies HMAC_PERSONALIZED and
 * AES_GCM_PERSONALIZED commands (domain, epoch, expiry, TTL rule, counter window), answers
 * faults with fresh session info, and encrypts replies. Written from protocol.md and the rules
 * of vehicle-command internal/authentication/verifier.go; used by the simulator and the tests,
 * and usable by other apps that need a vehicle double.
 *
 * @module
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { SignatureDataSchema } from '../gen/signatures_pb.js';
import {
  DestinationSchema,
  MessageStatusSchema,
  type RoutableMessage,
  RoutableMessageSchema,
} from '../gen/universal_message_pb.js';
import { bytesToHex, randomBytes, utf8ToBytes } from './bytes.js';
import { Domain, type DomainId, FLAG_ENCRYPT_RESPONSE } from './constants.js';
import { MessageFault } from './errors.js';
import { responseMetadata } from './metadata.js';
import { decodeRoutable } from './response.js';
import { NONCE_BYTES, SessionKeys } from './session.js';
import { encodeSessionInfo, SessionInfoStatus } from './session-info.js';
import { PeerVerifier, type VerifyOutcome } from './verifier-peer.js';

/** The vehicle domain's own key: ECDH with a client's public key, synchronously. */
export interface VehicleKey {
  readonly publicKey: Uint8Array;
  sessionKey(peerPublicKey: Uint8Array): Uint8Array;
}

export interface VerifierOptions {
  key: VehicleKey;
  vin: string;
  domain: DomainId;
  /** Whether a client key is enrolled (default: every key is). */
  isAuthorized?: (clientPublicKey: Uint8Array) => boolean;
  /** Wall clock in ms (default `Date.now`). */
  now?: () => number;
  /** A fixed first epoch (tests). */
  epoch?: Uint8Array;
  /**
   * Include `request_uuid` in VCSEC command replies (real VCSEC usually omits it: protocol.md
   * "Messages"; default false). Replies that carry session info always echo it, in both
   * domains, because Tesla's client checks the session-info tag against the reply's
   * `request_uuid` (vehicle-command internal/dispatcher/dispatcher.go `checkForSessionUpdate`).
   */
  vcsecRequestUuid?: boolean;
}

export type VerifierResult =
  | { kind: 'reply'; bytes: Uint8Array; fault: number }
  | {
      kind: 'command';
      /** The verified (and decrypted) application payload. */
      payload: Uint8Array;
      /** The signer's key; empty for an unsigned message. */
      clientPublicKey: Uint8Array;
      signed: boolean;
      /** The reply carrying `appPayload`, encrypted when the request asked for it. */
      respond(appPayload: Uint8Array): Uint8Array;
      /**
       * A fault reply for this command (application-level refusal of the protocol layer); with
       * `sessionInfo`, fresh session info tagged over the request's uuid comes with it, as the
       * vehicle sends it with synchronisation faults (a signed command only).
       */
      fail(fault: number, o?: { sessionInfo?: boolean }): Uint8Array;
    };

export class Verifier {
  readonly vin: string;
  readonly domain: DomainId;
  readonly #key: VehicleKey;
  readonly #vin: Uint8Array;
  readonly #isAuthorized: (k: Uint8Array) => boolean;
  readonly #now: () => number;
  readonly #peers = new Map<string, PeerVerifier>();
  readonly #vcsecRequestUuid: boolean;
  #epoch: Uint8Array;
  /** Local ms at which the vehicle clock read 0 in the current epoch. */
  #epochStart: number;
  #skewMs = 0;

  constructor(o: VerifierOptions) {
    this.vin = o.vin;
    this.domain = o.domain;
    this.#key = o.key;
    this.#vin = utf8ToBytes(o.vin);
    this.#isAuthorized = o.isAuthorized ?? (() => true);
    this.#now = o.now ?? Date.now;
    this.#epoch = o.epoch ?? randomBytes(16);
    this.#epochStart = this.#now();
    this.#vcsecRequestUuid = o.vcsecRequestUuid ?? false;
  }

  get epoch(): Uint8Array {
    return this.#epoch.slice();
  }

  /** Seconds on this domain's clock. */
  clock(): number {
    return Math.floor((this.#now() + this.#skewMs - this.#epochStart) / 1000);
  }

  /** A vehicle reboot: a new epoch, the clock restarts at 0, every counter resets. */
  reboot(): void {
    this.#epoch = randomBytes(16);
    this.#epochStart = this.#now() + this.#skewMs;
    this.#peers.clear();
  }

  /** Moves this domain's clock by `seconds` (clock drift; negative goes back). */
  skewClock(seconds: number): void {
    this.#skewMs += seconds * 1000;
  }

  #peer(clientKey: Uint8Array): PeerVerifier {
    const id = bytesToHex(clientKey);
    let peer = this.#peers.get(id);
    if (!peer) {
      peer = new PeerVerifier({
        keys: new SessionKeys(this.#key.sessionKey(clientKey)),
        vin: this.#vin,
        domain: this.domain,
        epoch: () => this.#epoch,
        clock: () => this.clock(),
        rotateEpoch: () => this.reboot(),
      });
      this.#peers.set(id, peer);
    }
    return peer;
  }

  /** Signed session info for `clientKey`, tagged with `challenge`. */
  sessionInfo(
    clientKey: Uint8Array,
    challenge: Uint8Array,
  ): { info: Uint8Array; tag: Uint8Array | undefined } {
    if (!this.#isAuthorized(clientKey)) {
      return {
        info: encodeSessionInfo({ status: SessionInfoStatus.KEY_NOT_ON_WHITELIST }),
        tag: undefined,
      };
    }
    const peer = this.#peer(clientKey);
    const info = encodeSessionInfo({
      counter: peer.counter,
      publicKey: this.#key.publicKey,
      epoch: this.#epoch,
      clockTime: this.clock(),
      status: SessionInfoStatus.OK,
    });
    return { info, tag: peer.keys.sessionInfoTag(this.#vin, challenge, info) };
  }

  /** Handles one RoutableMessage from a client and says what to answer. Never throws. */
  handle(request: Uint8Array): VerifierResult {
    let msg: RoutableMessage;
    try {
      msg = decodeRoutable(request);
    } catch {
      return this.#faultOnly(undefined, MessageFault.DECODING);
    }
    try {
      return this.#handle(msg);
    } catch {
      // E.g. a public key that is not a point on P-256.
      return this.#faultOnly(msg, MessageFault.BAD_PARAMETER);
    }
  }

  #handle(msg: RoutableMessage): VerifierResult {
    const to = msg.toDestination?.subDestination;
    if (to?.case !== 'domain' || (to.value !== this.domain && to.value !== Domain.BROADCAST)) {
      return this.#faultOnly(msg, MessageFault.INVALID_DOMAINS);
    }
    if (msg.payload.case === 'sessionInfoRequest') {
      const clientKey = msg.payload.value.publicKey;
      const { info, tag } = this.sessionInfo(clientKey, msg.uuid);
      return { kind: 'reply', fault: 0, bytes: this.#reply(msg, { sessionInfo: info, tag }) };
    }
    if (msg.payload.case !== 'protobufMessageAsBytes') {
      return this.#faultOnly(msg, MessageFault.DECODING);
    }
    const sigData = msg.subSigData.value;
    if (!sigData) {
      // Unsigned: only information requests are meant to pass; the app layer decides.
      return this.#command(msg, msg.payload.value, new Uint8Array(), undefined);
    }
    const identity = sigData.signerIdentity?.identityType;
    if (identity?.case !== 'publicKey' || !this.#isAuthorized(identity.value)) {
      return this.#faultOnly(msg, MessageFault.UNKNOWN_KEY_ID);
    }
    const clientKey = identity.value;
    const outcome: VerifyOutcome = this.#peer(clientKey).verify(msg);
    if (!outcome.ok) {
      if (!outcome.withSessionInfo) return this.#faultOnly(msg, outcome.fault);
      const { info, tag } = this.sessionInfo(clientKey, msg.uuid);
      return {
        kind: 'reply',
        fault: outcome.fault,
        bytes: this.#reply(msg, { fault: outcome.fault, sessionInfo: info, tag }),
      };
    }
    return this.#command(msg, outcome.plaintext, clientKey, outcome);
  }

  #command(
    msg: RoutableMessage,
    payload: Uint8Array,
    clientKey: Uint8Array,
    verified: Extract<VerifyOutcome, { ok: true }> | undefined,
  ): VerifierResult {
    const encrypt = verified !== undefined && (msg.flags & (1 << FLAG_ENCRYPT_RESPONSE)) !== 0;
    return {
      kind: 'command',
      payload,
      clientPublicKey: clientKey,
      signed: verified !== undefined,
      respond: (appPayload) => {
        if (!encrypt || !verified) return this.#reply(msg, { payload: appPayload });
        const peer = this.#peer(clientKey);
        const counter = peer.nextResponseCounter();
        const flags = 0;
        const metadata = responseMetadata({
          domain: this.domain,
          vin: this.#vin,
          counter,
          flags,
          requestHash: verified.requestHash,
          fault: 0,
        });
        const nonce = randomBytes(NONCE_BYTES);
        const sealed = peer.keys.encrypt(nonce, appPayload, metadata);
        return this.#reply(msg, {
          payload: sealed.ciphertext,
          flags,
          gcm: { nonce, counter, tag: sealed.tag },
        });
      },
      fail: (fault, o = {}) => {
        if (!o.sessionInfo || !verified) return this.#reply(msg, { fault });
        const { info, tag } = this.sessionInfo(clientKey, msg.uuid);
        return this.#reply(msg, { fault, sessionInfo: info, tag });
      },
    };
  }

  #faultOnly(msg: RoutableMessage | undefined, fault: number): VerifierResult {
    return { kind: 'reply', fault, bytes: this.#reply(msg, { fault }) };
  }

  #reply(
    req: RoutableMessage | undefined,
    r: {
      fault?: number;
      sessionInfo?: Uint8Array;
      tag?: Uint8Array | undefined;
      payload?: Uint8Array;
      flags?: number;
      gcm?: { nonce: Uint8Array; counter: number; tag: Uint8Array };
    },
  ): Uint8Array {
    const from = req?.fromDestination?.subDestination;
    // Session info is tagged with the request's uuid as challenge, so its reply must name it.
    const omitUuid =
      r.sessionInfo === undefined &&
      this.domain === Domain.VEHICLE_SECURITY &&
      !this.#vcsecRequestUuid;
    const out = create(RoutableMessageSchema, {
      fromDestination: { subDestination: { case: 'domain', value: this.domain } },
      requestUuid: req && !omitUuid ? req.uuid : new Uint8Array(),
      flags: r.flags ?? 0,
    });
    if (from?.case === 'routingAddress') {
      out.toDestination = create(DestinationSchema, {
        subDestination: { case: 'routingAddress', value: from.value },
      });
    }
    if (r.fault) {
      // UniversalMessage.OperationStatus_E.OPERATIONSTATUS_ERROR = 2.
      out.signedMessageStatus = create(MessageStatusSchema, {
        operationStatus: 2,
        signedMessageFault: r.fault,
      });
    }
    if (r.sessionInfo) {
      out.payload = { case: 'sessionInfo', value: r.sessionInfo };
      if (r.tag) {
        out.subSigData = {
          case: 'signatureData',
          value: create(SignatureDataSchema, {
            sigType: { case: 'sessionInfoTag', value: { tag: r.tag } },
          }),
        };
      }
    } else if (r.payload) {
      out.payload = { case: 'protobufMessageAsBytes', value: r.payload };
    }
    if (r.gcm) {
      out.subSigData = {
        case: 'signatureData',
        value: create(SignatureDataSchema, {
          sigType: { case: 'AESGCMResponseData', value: r.gcm },
        }),
      };
    }
    return toBinary(RoutableMessageSchema, out);
  }
}
