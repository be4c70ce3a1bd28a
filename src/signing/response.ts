/**
 * Opening a vehicle reply on the client side (protocol.md "Response handling",
 * "Recovering from synchronization errors"; vehicle-command internal/dispatcher/dispatcher.go
 * `process` and internal/authentication/signer.go `Decrypt`).
 *
 * Order: decode; check the reply belongs to the request (domain, routing address, uuid);
 * apply authentic session info it carries (also on faults); surface a fault; decrypt an
 * encrypted payload and check its counter against the request's anti-replay window; refuse a
 * plaintext reply from a domain known to encrypt ("hold response encryption").
 *
 * @module
 */
import { fromBinary } from '@bufbuild/protobuf';
import { type RoutableMessage, RoutableMessageSchema } from '../gen/universal_message_pb.js';
import { equalBytes } from './bytes.js';
import { domainName, FLAG_ENCRYPT_RESPONSE, MAX_LATENCY_MS } from './constants.js';
import { faultError, MessageFault, ProtocolError } from './errors.js';
import { responseMetadata } from './metadata.js';
import type { SessionKeys } from './session.js';
import type { OpenedResponse, SignedRequest } from './signer.js';
import { ResponseWindow } from './window.js';

export interface ResponseContext {
  vin: Uint8Array;
  keys: SessionKeys;
  /** This domain has answered encrypted before: hold it to that. */
  encryptsResponses: boolean;
  /** Called after an encrypted reply opened. */
  onEncrypted(): void;
  /** Verifies and applies session info; throws `bad-session-info` when it is not authentic. */
  applySessionInfo(info: Uint8Array, tag: Uint8Array, challenges: readonly Uint8Array[]): boolean;
}

/** Anti-replay windows, one per request, kept as long as the request object lives. */
const windows = new WeakMap<SignedRequest, ResponseWindow>();

/** Decodes a RoutableMessage, mapping any parse failure to a typed error. */
export function decodeRoutable(bytes: Uint8Array, mayHaveSucceeded = false): RoutableMessage {
  try {
    return fromBinary(RoutableMessageSchema, bytes);
  } catch {
    throw new ProtocolError('decoding', 'reply is not a valid RoutableMessage', {
      mayHaveSucceeded,
    });
  }
}

function unexpected(what: string): ProtocolError {
  return new ProtocolError('unexpected-response', `reply does not match the request: ${what}`, {
    mayHaveSucceeded: true,
  });
}

/** Checks that `msg` answers `request`: right domain, our routing address, our uuid or none. */
export function checkReplyRouting(
  msg: RoutableMessage,
  request: { domain: number; routingAddress: Uint8Array; uuid: Uint8Array },
): void {
  const from = msg.fromDestination?.subDestination;
  if (from?.case !== 'domain' || from.value !== request.domain) {
    throw unexpected(`expected a reply from ${domainName(request.domain)}`);
  }
  const to = msg.toDestination?.subDestination;
  if (to?.case !== 'routingAddress' || !equalBytes(to.value, request.routingAddress)) {
    throw unexpected('routing address differs');
  }
  if (msg.requestUuid.length !== 0 && !equalBytes(msg.requestUuid, request.uuid)) {
    throw unexpected('request uuid differs');
  }
}

/**
 * The challenges a session-info tag may be computed with, as Tesla's client checks it: the
 * reply's `request_uuid` when it names one (vehicle-command internal/dispatcher/dispatcher.go
 * `checkForSessionUpdate` passes `GetRequestUuid()` to `processHello`; {@link checkReplyRouting}
 * has already required it to be our request's uuid). A reply without one (protocol.md
 * "Messages": VCSEC often leaves it out) is accepted with our request's uuid, or else with the
 * empty challenge, which is what Tesla's client uses then.
 */
export function sessionInfoChallenges(
  replyRequestUuid: Uint8Array,
  requestUuid: Uint8Array,
): readonly Uint8Array[] {
  if (replyRequestUuid.length > 0) return [replyRequestUuid];
  return [requestUuid, new Uint8Array()];
}

export function openResponse(
  ctx: ResponseContext,
  request: SignedRequest,
  bytes: Uint8Array,
  now: number,
): OpenedResponse {
  const msg = decodeRoutable(bytes, true);
  checkReplyRouting(msg, request);

  let sessionUpdated = false;
  let sessionInfoRejected = false;
  const sig = msg.subSigData.value?.sigType;
  if (msg.payload.case === 'sessionInfo') {
    // Trust session info only while the request is recent (a replayed handshake is stale).
    if (sig?.case === 'sessionInfoTag' && now - request.sentAt <= MAX_LATENCY_MS) {
      const challenges = sessionInfoChallenges(msg.requestUuid, request.uuid);
      try {
        sessionUpdated = ctx.applySessionInfo(msg.payload.value, sig.value.tag, challenges);
      } catch (err) {
        if (!(err instanceof ProtocolError)) throw err;
        sessionInfoRejected = true;
      }
    } else {
      sessionInfoRejected = true;
    }
  }

  const status = msg.signedMessageStatus;
  const fault = status?.signedMessageFault ?? MessageFault.NONE;
  if (fault !== MessageFault.NONE) {
    throw faultError(fault, { sessionUpdated, sessionInfoRejected });
  }
  // UniversalMessage.OperationStatus_E: WAIT = 1 means "busy, retry"; ERROR without a fault is
  // sent for legacy clients only and is not an error (upstream GetError).
  if (status?.operationStatus === 1) {
    throw new ProtocolError('fault', 'vehicle is busy: retry shortly', {
      fault: MessageFault.BUSY,
      retryable: true,
      sessionUpdated,
    });
  }

  const payload =
    msg.payload.case === 'protobufMessageAsBytes' ? msg.payload.value : new Uint8Array();
  if (sig?.case !== 'AESGCMResponseData') {
    // Hold response encryption: once a domain has answered encrypted, a plaintext answer to a
    // request with FLAG_ENCRYPT_RESPONSE is a downgrade (or a reply whose AES-GCM data was
    // stripped on the way), never a success.
    if (ctx.encryptsResponses && (request.flags & (1 << FLAG_ENCRYPT_RESPONSE)) !== 0) {
      throw new ProtocolError(
        'unencrypted-response',
        'reply is not encrypted although this vehicle domain encrypts its replies: refused as tampering',
        { mayHaveSucceeded: true },
      );
    }
    return { payload, encrypted: false };
  }
  const gcmData = sig.value;
  const metadata = responseMetadata({
    domain: request.domain,
    vin: ctx.vin,
    counter: gcmData.counter,
    flags: msg.flags,
    requestHash: request.requestHash,
    fault,
  });
  const plaintext = ctx.keys.decrypt(gcmData.nonce, payload, gcmData.tag, metadata);
  if (!plaintext) {
    throw new ProtocolError('bad-response-tag', 'encrypted reply failed authentication', {
      mayHaveSucceeded: true,
    });
  }
  let window = windows.get(request);
  if (!window) {
    window = new ResponseWindow();
    windows.set(request, window);
  }
  if (!window.accept(gcmData.counter)) {
    throw new ProtocolError(
      'replayed-response',
      'encrypted reply reuses a counter: replay refused',
      {
        mayHaveSucceeded: true,
      },
    );
  }
  ctx.onEncrypted();
  return { payload: plaintext, encrypted: true };
}
