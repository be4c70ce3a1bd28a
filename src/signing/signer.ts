/**
 * The client side of one authenticated session with one vehicle domain (protocol.md
 * "Authorizing commands", "Response handling", "Caching session state", "Recovering from
 * synchronization errors"); mirrors vehicle-command internal/authentication/signer.go.
 *
 * State: the session key K, the vehicle's epoch and public key, the anti-replay counter (only
 * ever raised), and `timeZero`, the local instant at which the vehicle clock read 0.
 *
 * @module
 */
import { create, type MessageInitShape, toBinary } from '@bufbuild/protobuf';
import { type SignatureData, SignatureDataSchema } from '../gen/signatures_pb.js';
import { type RoutableMessage, RoutableMessageSchema } from '../gen/universal_message_pb.js';
import { equalBytes, randomBytes, utf8ToBytes } from './bytes.js';
import {
  COUNTER_MAX,
  DEFAULT_FLAGS,
  DEFAULT_LIFETIME_MS,
  type DomainId,
  EPOCH_LENGTH_SECONDS,
  ROUTING_ADDRESS_BYTES,
  UUID_BYTES,
} from './constants.js';
import { ProtocolError } from './errors.js';
import { type KeyAgreement, PublicKey } from './keys.js';
import { requestHash as makeRequestHash, requestMetadata, SignatureType } from './metadata.js';
import { openResponse } from './response.js';
import { EPOCH_BYTES, NONCE_BYTES, SessionKeys } from './session.js';
import {
  decodeSessionInfoFields,
  encodeSessionInfo,
  type SessionInfoFields,
} from './session-info.js';

/** A signed command ready to send, with what is needed to open its reply. */
export interface SignedRequest {
  /** RoutableMessage bytes for `signed_command` (base64 them for the Fleet API). */
  readonly bytes: Uint8Array;
  readonly domain: DomainId;
  readonly uuid: Uint8Array;
  readonly routingAddress: Uint8Array;
  readonly counter: number;
  /** Seconds on the vehicle's clock after which the vehicle refuses the command. */
  readonly expiresAt: number;
  /** Signature type byte followed by the tag (17 bytes for VCSEC HMAC). */
  readonly requestHash: Uint8Array;
  readonly flags: number;
  /** Local time (ms) of signing: session info arriving more than 10 s later is not trusted. */
  readonly sentAt: number;
}

/** The opened reply to a signed command. */
export interface OpenedResponse {
  /** The application payload: CarServer.Response (Infotainment) or FromVCSECMessage (VCSEC). */
  payload: Uint8Array;
  /** Whether the vehicle encrypted the reply (firmware 2024.38+ with FLAG_ENCRYPT_RESPONSE). */
  encrypted: boolean;
}

export interface SignOptions {
  /** Time left until the caller's deadline; the signature expires then (default 5 s). */
  lifetimeMs?: number;
  /** Request flags (default 2: FLAG_ENCRYPT_RESPONSE). */
  flags?: number;
  /** Local time in ms (default `Date.now()`). */
  now?: number;
  /** `hmac` (Fleet API, default) or `gcm` (BLE: the Fleet API refuses encrypted commands). */
  method?: 'hmac' | 'gcm';
  /**
   * A counter reserved for this signature elsewhere (a store shared by several signers of one
   * key); it must be unused. Default: one above the highest this session has used.
   */
  counter?: number;
  /** Fixed values, for test vectors only. */
  uuid?: Uint8Array;
  routingAddress?: Uint8Array;
  nonce?: Uint8Array;
}

/** Session state for a cache: the vehicle's session info as of `exportedAt` (ms). */
export interface ExportedSession {
  sessionInfo: Uint8Array;
  exportedAt: number;
  /** The domain has answered encrypted: plaintext replies are refused from then on. */
  encryptsResponses?: boolean;
}

type SignatureInit = MessageInitShape<typeof SignatureDataSchema>;

interface SignerState {
  counter: number;
  epoch: Uint8Array;
  clockTime: number;
  timeZero: number;
  vehicleKey: Uint8Array;
}

function checkSessionInfo(info: SessionInfoFields): void {
  if (info.epoch.length !== EPOCH_BYTES) {
    throw new ProtocolError('bad-session-info', `session info epoch must be ${EPOCH_BYTES} bytes`);
  }
  let valid = info.publicKey.length === 65 && info.publicKey[0] === 4;
  if (valid) {
    try {
      // On the curve, before any KeyAgreement (perhaps an external one) sees it.
      PublicKey.fromBytes(info.publicKey);
    } catch {
      valid = false;
    }
  }
  if (!valid) {
    throw new ProtocolError('bad-session-info', 'session info carries no valid vehicle public key');
  }
}

export class Signer {
  readonly vin: string;
  readonly domain: DomainId;
  readonly #vin: Uint8Array;
  readonly #keys: SessionKeys;
  readonly #clientKey: Uint8Array;
  readonly #state: SignerState;
  #rolledOver = false;
  #encryptsResponses = false;

  private constructor(
    vin: string,
    domain: DomainId,
    keys: SessionKeys,
    clientKey: Uint8Array,
    state: SignerState,
  ) {
    this.vin = vin;
    this.domain = domain;
    this.#vin = utf8ToBytes(vin);
    this.#keys = keys;
    this.#clientKey = clientKey.slice();
    this.#state = state;
  }

  /**
   * Starts a session from authenticated session info: derives K with the vehicle key it names,
   * then checks `tag` over the exact received bytes. `challenge`: the reply's `request_uuid`, or
   * the candidates `sessionInfoChallenges` (response.ts) gives when the reply names none.
   */
  static async fromSessionInfo(o: {
    key: KeyAgreement;
    vin: string;
    domain: DomainId;
    sessionInfo: Uint8Array;
    tag: Uint8Array;
    challenge: Uint8Array | readonly Uint8Array[];
    now?: number;
  }): Promise<Signer> {
    const receivedAt = o.now ?? Date.now();
    const info = decodeSessionInfoFields(o.sessionInfo);
    checkSessionInfo(info);
    const keys = new SessionKeys(await o.key.sessionKey(info.publicKey));
    if (!keys.verifySessionInfoTag(utf8ToBytes(o.vin), o.challenge, o.sessionInfo, o.tag)) {
      throw new ProtocolError('bad-session-info', 'session info tag is invalid', {
        sessionInfoRejected: true,
      });
    }
    return new Signer(o.vin, o.domain, keys, o.key.publicKey, {
      counter: info.counter,
      epoch: info.epoch,
      clockTime: info.clockTime,
      timeZero: receivedAt - info.clockTime * 1000,
      vehicleKey: info.publicKey,
    });
  }

  /** Restores a session exported by {@link Signer.export} (trusted: no tag to check). */
  static async import(
    key: KeyAgreement,
    vin: string,
    domain: DomainId,
    exported: ExportedSession,
  ): Promise<Signer> {
    const info = decodeSessionInfoFields(exported.sessionInfo);
    checkSessionInfo(info);
    if (!Number.isFinite(exported.exportedAt)) {
      throw new ProtocolError('invalid-argument', 'exported session has no valid export time');
    }
    const keys = new SessionKeys(await key.sessionKey(info.publicKey));
    const signer = new Signer(vin, domain, keys, key.publicKey, {
      counter: info.counter,
      epoch: info.epoch,
      clockTime: info.clockTime,
      timeZero: exported.exportedAt - info.clockTime * 1000,
      vehicleKey: info.publicKey,
    });
    if (exported.encryptsResponses === true) signer.requireEncryptedResponses();
    return signer;
  }

  get counter(): number {
    return this.#state.counter;
  }

  get epoch(): Uint8Array {
    return this.#state.epoch.slice();
  }

  get vehiclePublicKey(): Uint8Array {
    return this.#state.vehicleKey.slice();
  }

  /**
   * Whether this domain has answered encrypted (in this session, or as recorded by
   * {@link Signer.export}). From then on a plaintext reply to a request with
   * FLAG_ENCRYPT_RESPONSE is refused (`unencrypted-response`, may have executed).
   */
  get encryptsResponses(): boolean {
    return this.#encryptsResponses;
  }

  /** Holds this session to encrypted replies (e.g. a new session with a domain known to). */
  requireEncryptedResponses(): void {
    this.#encryptsResponses = true;
  }

  /** The vehicle clock (seconds since its epoch began) as this session estimates it. */
  vehicleTime(now = Date.now()): number {
    return Math.floor((now - this.#state.timeZero) / 1000);
  }

  /** Exports the session for a cache, with the time of export so the clock survives restarts. */
  export(now = Date.now()): ExportedSession {
    const sessionInfo = encodeSessionInfo({
      counter: this.#state.counter,
      publicKey: this.#state.vehicleKey,
      epoch: this.#state.epoch,
      clockTime: Math.max(0, this.vehicleTime(now)),
    });
    return this.#encryptsResponses
      ? { sessionInfo, exportedAt: now, encryptsResponses: true }
      : { sessionInfo, exportedAt: now };
  }

  /**
   * Applies authentic session info (a handshake reply, or one attached to a fault). Returns
   * whether it changed the session. Throws `bad-session-info` if the tag is wrong or the info
   * names another vehicle key; the session is then left unchanged.
   */
  applySessionInfo(
    sessionInfo: Uint8Array,
    tag: Uint8Array,
    challenge: Uint8Array | readonly Uint8Array[],
    now = Date.now(),
  ): boolean {
    if (!this.#keys.verifySessionInfoTag(this.#vin, challenge, sessionInfo, tag)) {
      throw new ProtocolError('bad-session-info', 'session info tag is invalid', {
        sessionInfoRejected: true,
      });
    }
    const info = decodeSessionInfoFields(sessionInfo);
    checkSessionInfo(info);
    if (!equalBytes(info.publicKey, this.#state.vehicleKey)) {
      throw new ProtocolError('bad-session-info', 'session info names a different vehicle key', {
        sessionInfoRejected: true,
      });
    }
    const s = this.#state;
    const epochChanged = !equalBytes(info.epoch, s.epoch);
    if (!epochChanged && info.clockTime < s.clockTime) return false;
    // Never roll the counter back, not even on a new epoch (the vehicle accepts higher ones).
    if (info.counter > s.counter) s.counter = info.counter;
    if (epochChanged) this.#rolledOver = false;
    s.epoch = info.epoch;
    s.clockTime = info.clockTime;
    s.timeZero = now - info.clockTime * 1000;
    return true;
  }

  /** Signs `payload` (VCSEC UnsignedMessage or CarServer Action bytes) with a new counter. */
  sign(payload: Uint8Array, o: SignOptions = {}): SignedRequest {
    const now = o.now ?? Date.now();
    const lifetime = o.lifetimeMs ?? DEFAULT_LIFETIME_MS;
    const flags = o.flags ?? DEFAULT_FLAGS;
    const expiresAt = Math.floor((now + lifetime - this.#state.timeZero) / 1000);
    if (!(lifetime >= 0) || expiresAt < 0 || expiresAt > EPOCH_LENGTH_SECONDS) {
      throw new ProtocolError('invalid-argument', 'out of bounds expiration time');
    }
    const reserved = o.counter;
    if (reserved !== undefined && !(Number.isSafeInteger(reserved) && reserved >= 1)) {
      throw new ProtocolError('invalid-argument', 'a reserved counter must be a positive integer');
    }
    const exhausted =
      reserved === undefined ? this.#state.counter >= COUNTER_MAX : reserved > COUNTER_MAX;
    if (this.#rolledOver || exhausted) {
      this.#rolledOver = true;
      throw new ProtocolError(
        'counter-rollover',
        'session counter exhausted: start a new session',
        {
          fault: 6,
        },
      );
    }
    let counter: number;
    if (reserved === undefined) counter = ++this.#state.counter;
    else {
      counter = reserved;
      if (counter > this.#state.counter) this.#state.counter = counter;
    }
    const method = o.method ?? 'hmac';
    const sigType =
      method === 'gcm' ? SignatureType.AES_GCM_PERSONALIZED : SignatureType.HMAC_PERSONALIZED;
    const metadata = requestMetadata({
      signatureType: sigType,
      domain: this.domain,
      vin: this.#vin,
      epoch: this.#state.epoch,
      expiresAt,
      counter,
      flags,
    });
    let signatureData: SignatureData;
    let body = payload;
    let requestHash: Uint8Array;
    if (method === 'gcm') {
      const nonce = o.nonce ?? randomBytes(NONCE_BYTES);
      const sealed = this.#keys.encrypt(nonce, payload, metadata);
      body = sealed.ciphertext;
      requestHash = makeRequestHash(sigType, this.domain, sealed.tag);
      signatureData = this.#signatureData({
        case: 'AESGCMPersonalizedData',
        value: { epoch: this.#state.epoch, nonce, counter, expiresAt, tag: sealed.tag },
      });
    } else {
      const tag = this.#keys.commandTag(metadata, payload);
      requestHash = makeRequestHash(sigType, this.domain, tag);
      signatureData = this.#signatureData({
        case: 'HMACPersonalizedData',
        value: { epoch: this.#state.epoch, counter, expiresAt, tag },
      });
    }
    const uuid = o.uuid ?? randomBytes(UUID_BYTES);
    const routingAddress = o.routingAddress ?? randomBytes(ROUTING_ADDRESS_BYTES);
    const msg: RoutableMessage = create(RoutableMessageSchema, {
      toDestination: { subDestination: { case: 'domain', value: this.domain } },
      fromDestination: { subDestination: { case: 'routingAddress', value: routingAddress } },
      payload: { case: 'protobufMessageAsBytes', value: body },
      subSigData: { case: 'signatureData', value: signatureData },
      uuid,
      flags,
    });
    return {
      bytes: toBinary(RoutableMessageSchema, msg),
      domain: this.domain,
      uuid,
      routingAddress,
      counter,
      expiresAt,
      requestHash,
      flags,
      sentAt: now,
    };
  }

  #signatureData(sigType: NonNullable<SignatureInit['sigType']>): SignatureData {
    const init: SignatureInit = {
      signerIdentity: { identityType: { case: 'publicKey', value: this.#clientKey } },
      sigType,
    };
    return create(SignatureDataSchema, init);
  }

  /**
   * Opens the vehicle's reply to `request`: checks it belongs to the request, applies
   * authentic session info it carries, throws a {@link ProtocolError} for a fault, decrypts an
   * encrypted payload (with the per-request anti-replay window) and returns the plaintext.
   */
  openResponse(request: SignedRequest, response: Uint8Array, now = Date.now()): OpenedResponse {
    return openResponse(
      {
        vin: this.#vin,
        keys: this.#keys,
        encryptsResponses: this.#encryptsResponses,
        onEncrypted: () => {
          this.#encryptsResponses = true;
        },
        applySessionInfo: (info, tag, challenges) =>
          this.applySessionInfo(info, tag, challenges, now),
      },
      request,
      response,
      now,
    );
  }
}
