/**
 * The session handshake (protocol.md "Handshake", "Response authentication") and unsigned
 * requests (e.g. VCSEC information requests used to check pairing).
 *
 * @module
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { RoutableMessageSchema } from '../gen/universal_message_pb.js';
import { randomBytes } from './bytes.js';
import {
  type DomainId,
  isDomainId,
  MAX_LATENCY_MS,
  ROUTING_ADDRESS_BYTES,
  UUID_BYTES,
} from './constants.js';
import { faultError, MessageFault, ProtocolError } from './errors.js';
import type { KeyAgreement } from './keys.js';
import { checkReplyRouting, decodeRoutable, sessionInfoChallenges } from './response.js';
import { decodeSessionInfoFields, SessionInfoStatus } from './session-info.js';
import { Signer } from './signer.js';

/** A message sent without a signature, and what is needed to match its reply. */
export interface UnsignedRequest {
  readonly bytes: Uint8Array;
  readonly domain: DomainId;
  readonly uuid: Uint8Array;
  readonly routingAddress: Uint8Array;
  /** Local time (ms) the request was built. */
  readonly sentAt: number;
}

export type HandshakeRequest = UnsignedRequest;

export interface RequestOptions {
  now?: number;
  /** Fixed values, for test vectors only. */
  uuid?: Uint8Array;
  routingAddress?: Uint8Array;
}

function checkDomain(domain: number): asserts domain is DomainId {
  if (!isDomainId(domain)) {
    throw new ProtocolError(
      'invalid-argument',
      `domain must be 2 (VCSEC) or 3 (Infotainment), got ${domain}`,
    );
  }
}

/** A session-info request for `publicKey` (65 bytes) to `domain`. No signature, no flags. */
export function createHandshake(
  publicKey: Uint8Array,
  domain: DomainId,
  o: RequestOptions = {},
): HandshakeRequest {
  checkDomain(domain);
  if (publicKey.length !== 65 || publicKey[0] !== 4) {
    throw new ProtocolError(
      'invalid-argument',
      'handshake needs a 65-byte uncompressed public key',
    );
  }
  const uuid = o.uuid ?? randomBytes(UUID_BYTES);
  const routingAddress = o.routingAddress ?? randomBytes(ROUTING_ADDRESS_BYTES);
  const bytes = toBinary(
    RoutableMessageSchema,
    create(RoutableMessageSchema, {
      toDestination: { subDestination: { case: 'domain', value: domain } },
      fromDestination: { subDestination: { case: 'routingAddress', value: routingAddress } },
      payload: { case: 'sessionInfoRequest', value: { publicKey } },
      uuid,
    }),
  );
  return { bytes, domain, uuid, routingAddress, sentAt: o.now ?? Date.now() };
}

/** An unsigned application message (e.g. a VCSEC InformationRequest) to `domain`. */
export function createUnsignedRequest(
  domain: DomainId,
  payload: Uint8Array,
  o: RequestOptions = {},
): UnsignedRequest {
  checkDomain(domain);
  const uuid = o.uuid ?? randomBytes(UUID_BYTES);
  const routingAddress = o.routingAddress ?? randomBytes(ROUTING_ADDRESS_BYTES);
  const bytes = toBinary(
    RoutableMessageSchema,
    create(RoutableMessageSchema, {
      toDestination: { subDestination: { case: 'domain', value: domain } },
      fromDestination: { subDestination: { case: 'routingAddress', value: routingAddress } },
      payload: { case: 'protobufMessageAsBytes', value: payload },
      uuid,
    }),
  );
  return { bytes, domain, uuid, routingAddress, sentAt: o.now ?? Date.now() };
}

/** The plain payload of the reply to an unsigned request; faults become typed errors. */
export function openUnsignedResponse(request: UnsignedRequest, response: Uint8Array): Uint8Array {
  const msg = decodeRoutable(response);
  checkReplyRouting(msg, request);
  const fault = msg.signedMessageStatus?.signedMessageFault ?? MessageFault.NONE;
  if (fault !== MessageFault.NONE) throw faultError(fault);
  return msg.payload.case === 'protobufMessageAsBytes' ? msg.payload.value : new Uint8Array();
}

/**
 * Checks the vehicle's answer to a handshake and starts the session. Throws `key-not-paired`
 * when the vehicle does not know our key, `bad-session-info` when the tag does not verify.
 */
export async function completeHandshake(o: {
  key: KeyAgreement;
  vin: string;
  request: HandshakeRequest;
  response: Uint8Array;
  now?: number;
}): Promise<Signer> {
  const now = o.now ?? Date.now();
  const msg = decodeRoutable(o.response);
  checkReplyRouting(msg, o.request);
  const fault = msg.signedMessageStatus?.signedMessageFault ?? MessageFault.NONE;
  if (fault !== MessageFault.NONE) throw faultError(fault);
  if (msg.payload.case !== 'sessionInfo') {
    throw new ProtocolError('unexpected-response', 'handshake reply carries no session info');
  }
  const info = decodeSessionInfoFields(msg.payload.value);
  if (info.status === SessionInfoStatus.KEY_NOT_ON_WHITELIST) {
    throw new ProtocolError(
      'key-not-paired',
      'vehicle rejected request: your public key has not been paired with the vehicle',
      { fault: MessageFault.UNKNOWN_KEY_ID },
    );
  }
  if (info.status !== SessionInfoStatus.OK) {
    throw new ProtocolError('bad-session-info', `unknown session info status ${info.status}`);
  }
  const sig = msg.subSigData.value?.sigType;
  if (sig?.case !== 'sessionInfoTag') {
    throw new ProtocolError('bad-session-info', 'session info is not authenticated (no tag)');
  }
  if (now - o.request.sentAt > MAX_LATENCY_MS) {
    throw new ProtocolError('bad-session-info', 'handshake reply arrived too late to be trusted', {
      retryable: true,
    });
  }
  return Signer.fromSessionInfo({
    key: o.key,
    vin: o.vin,
    domain: o.request.domain,
    sessionInfo: msg.payload.value,
    tag: sig.value.tag,
    challenge: sessionInfoChallenges(msg.requestUuid, o.request.uuid),
    now,
  });
}
