/**
 * `tesla-mcp/signing`: Tesla's vehicle-command protocol in portable TypeScript.
 *
 * Implements the client and vehicle sides of the protocol described in Tesla's
 * [protocol.md](https://github.com/teslamotors/vehicle-command/blob/main/pkg/protocol/protocol.md):
 * ECDH P-256 key agreement, session-info authentication, HMAC_PERSONALIZED and
 * AES_GCM_PERSONALIZED requests, AES-GCM response decryption with an anti-replay window,
 * counters, epochs and clock tracking, and the `Tesla.SS256` JWS for fleet telemetry config.
 * It speaks `Uint8Array` and plain objects only, imports nothing from Node, and runs in Node,
 * browsers, Deno, Bun and edge workers.
 *
 * @module
 */
export { bleLocalName } from './ble.js';
export { fromBase64, toBase64 } from './bytes.js';
export {
  DEFAULT_FLAGS,
  Domain,
  type DomainId,
  FLAG_ENCRYPT_RESPONSE,
} from './constants.js';
export {
  faultName,
  MessageFault,
  ProtocolError,
  type ProtocolErrorCode,
  shouldRetry,
} from './errors.js';
export {
  completeHandshake,
  createHandshake,
  createUnsignedRequest,
  type HandshakeRequest,
  openUnsignedResponse,
  type UnsignedRequest,
} from './handshake.js';
export {
  FLEET_TELEMETRY_AUDIENCE,
  JWS_ALGORITHM,
  signFleetTelemetryConfig,
  signJws,
  signVehicleJws,
  type VerifiedJws,
  type VerifyJwsOptions,
  verifyJws,
} from './jws.js';
export {
  type KeyAgreement,
  PrivateKey,
  PublicKey,
  type SchnorrSigningKey,
} from './keys.js';
export {
  decodeSessionInfoFields as decodeSessionInfo,
  type SessionInfoFields,
} from './session-info.js';
export { type ExportedSession, type SignedRequest, Signer, type SignOptions } from './signer.js';
export {
  type VehicleKey,
  Verifier,
  type VerifierOptions,
  type VerifierResult,
} from './verifier.js';
