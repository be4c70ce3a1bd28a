/**
 * Typed protocol errors. Every failure of the signer, the verifier, the key loaders and the JWS
 * code is a {@link ProtocolError} carrying a stable `code`, the vehicle's `MessageFault` when
 * there is one, and the two facts a caller needs to decide: `retryable` and `mayHaveSucceeded`.
 * The retry rule is upstream's `ShouldRetry` (teslamotors/vehicle-command pkg/protocol/error.go).
 *
 * @module
 */

/** `UniversalMessage.MessageFault_E`, by short name. */
export const MessageFault = {
  NONE: 0,
  BUSY: 1,
  TIMEOUT: 2,
  UNKNOWN_KEY_ID: 3,
  INACTIVE_KEY: 4,
  INVALID_SIGNATURE: 5,
  INVALID_TOKEN_OR_COUNTER: 6,
  INSUFFICIENT_PRIVILEGES: 7,
  INVALID_DOMAINS: 8,
  INVALID_COMMAND: 9,
  DECODING: 10,
  INTERNAL: 11,
  WRONG_PERSONALIZATION: 12,
  BAD_PARAMETER: 13,
  KEYCHAIN_IS_FULL: 14,
  INCORRECT_EPOCH: 15,
  IV_INCORRECT_LENGTH: 16,
  TIME_EXPIRED: 17,
  NOT_PROVISIONED_WITH_IDENTITY: 18,
  COULD_NOT_HASH_METADATA: 19,
  TIME_TO_LIVE_TOO_LONG: 20,
  REMOTE_ACCESS_DISABLED: 21,
  REMOTE_SERVICE_ACCESS_DISABLED: 22,
  COMMAND_REQUIRES_ACCOUNT_CREDENTIALS: 23,
  REQUEST_MTU_EXCEEDED: 24,
  RESPONSE_MTU_EXCEEDED: 25,
  REPEATED_COUNTER: 26,
  INVALID_KEY_HANDLE: 27,
  REQUIRES_RESPONSE_ENCRYPTION: 28,
} as const;

export type MessageFaultName = keyof typeof MessageFault;

const FAULT_NAMES: readonly string[] = (() => {
  const names: string[] = [];
  for (const [name, code] of Object.entries(MessageFault)) names[code] = name;
  return names;
})();

/** The short name of a fault code (`INVALID_SIGNATURE`), or `UNKNOWN_FAULT_<n>`. */
export function faultName(code: number): string {
  return FAULT_NAMES[code] ?? `UNKNOWN_FAULT_${code}`;
}

/** Upstream's display form: `KEYCHAIN_IS_FULL` → `KeychainIsFull`. */
export function faultDisplayName(code: number): string {
  return faultName(code)
    .toLowerCase()
    .split('_')
    .map((w) => (w ? (w[0] as string).toUpperCase() + w.slice(1) : w))
    .join('');
}

/** Faults the vehicle may clear by itself, or that carry fresh session info: re-sign and resend. */
const RETRYABLE_FAULTS: ReadonlySet<number> = new Set([
  MessageFault.BUSY,
  MessageFault.TIMEOUT,
  MessageFault.INVALID_SIGNATURE,
  MessageFault.INVALID_TOKEN_OR_COUNTER,
  MessageFault.INTERNAL,
  MessageFault.INCORRECT_EPOCH,
  MessageFault.TIME_EXPIRED,
  MessageFault.TIME_TO_LIVE_TOO_LONG,
]);

/** Faults after which the command may have run (the reply was too large to send back). */
const MAY_HAVE_SUCCEEDED_FAULTS: ReadonlySet<number> = new Set([
  MessageFault.RESPONSE_MTU_EXCEEDED,
]);

/** Whether upstream's ShouldRetry holds for a vehicle fault: temporary and did not run. */
export function isRetryableFault(code: number): boolean {
  return RETRYABLE_FAULTS.has(code);
}

export type ProtocolErrorCode =
  /** The vehicle answered with a MessageFault (see `fault`). */
  | 'fault'
  /** Our key is not enrolled on this vehicle (UNKNOWN_KEY_ID or KEY_NOT_ON_WHITELIST). */
  | 'key-not-paired'
  /** Session info failed its tag check, or is malformed, or names another vehicle key. */
  | 'bad-session-info'
  /** A message could not be decoded. */
  | 'decoding'
  /** A reply does not belong to our request (domain, routing address, uuid). */
  | 'unexpected-response'
  /** An encrypted reply failed authentication. */
  | 'bad-response-tag'
  /** An encrypted reply reused a counter already seen for this request. */
  | 'replayed-response'
  /**
   * A plaintext reply from a domain that has answered encrypted before, to a request that asked
   * for encryption: tampering (the command may have executed).
   */
  | 'unencrypted-response'
  /** The session counter reached its maximum: a new handshake is needed. */
  | 'counter-rollover'
  /** Bad arguments to a signing function (expiry out of range, wrong sizes...). */
  | 'invalid-argument'
  /** A key could not be loaded or is not a P-256 key. */
  | 'invalid-key'
  /** A JWS did not verify or is malformed. */
  | 'invalid-jws'
  /** The metadata encoder was misused (out-of-order tag, value too long). */
  | 'metadata';

export interface ProtocolErrorInit {
  fault?: number | undefined;
  retryable?: boolean | undefined;
  mayHaveSucceeded?: boolean | undefined;
  sessionUpdated?: boolean | undefined;
  sessionInfoRejected?: boolean | undefined;
}

export class ProtocolError extends Error {
  override readonly name = 'ProtocolError';
  readonly code: ProtocolErrorCode;
  /** The vehicle's MessageFault_E value, when the vehicle sent one. */
  readonly fault: number | undefined;
  readonly faultName: string | undefined;
  /** Re-signing and resending (after applying any session info) may succeed. */
  readonly retryable: boolean;
  /** The command may have executed on the vehicle: never resend a non-idempotent one blindly. */
  readonly mayHaveSucceeded: boolean;
  /** Authentic session info arrived with this error and was applied to the session. */
  readonly sessionUpdated: boolean;
  /**
   * Session info arrived with this error but failed its tag check (or named another vehicle
   * key): the cached session is likely stale, e.g. the vehicle's key changed. Re-handshake.
   */
  readonly sessionInfoRejected: boolean;

  constructor(code: ProtocolErrorCode, message: string, init: ProtocolErrorInit = {}) {
    super(message.startsWith('signing: ') ? message : `signing: ${message}`);
    this.code = code;
    this.fault = init.fault;
    this.faultName = init.fault === undefined ? undefined : faultName(init.fault);
    this.retryable = init.retryable ?? false;
    this.mayHaveSucceeded = init.mayHaveSucceeded ?? false;
    this.sessionUpdated = init.sessionUpdated ?? false;
    this.sessionInfoRejected = init.sessionInfoRejected ?? false;
  }
}

const FAULT_HINTS: Partial<Record<number, string>> = {
  [MessageFault.UNKNOWN_KEY_ID]: 'your public key has not been paired with the vehicle',
  [MessageFault.INACTIVE_KEY]: 'the key is inactive on the vehicle',
  [MessageFault.INSUFFICIENT_PRIVILEGES]: "the key's role does not allow this command",
  [MessageFault.REMOTE_ACCESS_DISABLED]: 'remote access is disabled in the vehicle settings',
  [MessageFault.RESPONSE_MTU_EXCEEDED]: 'the reply was too large; the command may have executed',
};

/** The error for a fault the vehicle returned. */
export function faultError(
  fault: number,
  init: { sessionUpdated?: boolean; sessionInfoRejected?: boolean } = {},
): ProtocolError {
  const hint = FAULT_HINTS[fault];
  const text = `vehicle rejected the message: ${faultDisplayName(fault)}${hint ? ` (${hint})` : ''}`;
  return new ProtocolError(
    fault === MessageFault.UNKNOWN_KEY_ID ? 'key-not-paired' : 'fault',
    text,
    {
      fault,
      retryable: isRetryableFault(fault),
      mayHaveSucceeded: MAY_HAVE_SUCCEEDED_FAULTS.has(fault),
      sessionUpdated: init.sessionUpdated ?? false,
      sessionInfoRejected: init.sessionInfoRejected ?? false,
    },
  );
}

/**
 * Upstream's `ShouldRetry`: a protocol error that is temporary and did not possibly succeed.
 * Anything that is not a {@link ProtocolError} is not retried.
 */
export function shouldRetry(err: unknown): boolean {
  return err instanceof ProtocolError && err.retryable && !err.mayHaveSucceeded;
}
