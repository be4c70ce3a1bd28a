/**
 * Protocol constants shared by the client and vehicle sides (protocol.md; vehicle-command
 * internal/authentication/crypto.go, pkg/vehicle/vehicle.go).
 *
 * @module
 */

/** `UniversalMessage.Domain`. */
export const Domain = { BROADCAST: 0, VEHICLE_SECURITY: 2, INFOTAINMENT: 3 } as const;
/** A vehicle domain a command can be addressed to. */
export type DomainId = typeof Domain.VEHICLE_SECURITY | typeof Domain.INFOTAINMENT;

/** `UniversalMessage.Flags` values are bit positions. */
export const FLAG_USER_COMMAND = 0;
export const FLAG_ENCRYPT_RESPONSE = 1;
/** The flags every command carries by default: `1 << FLAG_ENCRYPT_RESPONSE` = 2. */
export const DEFAULT_FLAGS = 1 << FLAG_ENCRYPT_RESPONSE;

export const COUNTER_MAX = 0xffffffff;
/** Expiry times are seconds since the epoch started and must stay below 2^30. */
export const EPOCH_LENGTH_SECONDS = 2 ** 30;
/** Commands with counter 0, or out of order, may live at most this long. */
export const MAX_SECONDS_WITHOUT_COUNTER = 30;
/** Signature lifetime when the caller has no deadline (vehicle-command dispatcher/session.go). */
export const DEFAULT_LIFETIME_MS = 5000;
/** Session info older than this (since the request was sent) is not trusted (inet MaxLatency). */
export const MAX_LATENCY_MS = 10_000;
export const UUID_BYTES = 16;
export const ROUTING_ADDRESS_BYTES = 16;

export function isDomainId(d: number): d is DomainId {
  return d === Domain.VEHICLE_SECURITY || d === Domain.INFOTAINMENT;
}

export function domainName(d: number): string {
  if (d === Domain.VEHICLE_SECURITY) return 'VCSEC';
  if (d === Domain.INFOTAINMENT) return 'Infotainment';
  return `domain ${d}`;
}
