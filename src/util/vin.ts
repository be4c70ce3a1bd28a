/**
 * The VIN rule, written once: 17 characters of the VIN alphabet (ISO 3779: the digits and the
 * Latin capitals except I, O and Q, which read as 1 and 0). Tesla's Fleet API names a vehicle
 * by its VIN in every `/api/1/vehicles/{vin}/…` path, so anything else is refused before it can
 * reach a path (`..%2F..` included). Input may be lower case; {@link normalizeVin} upper-cases.
 *
 * @module
 */

/** The length of every VIN. */
export const VIN_LENGTH = 17;

/** A whole VIN, either case (the MCP schemas' `pattern`; {@link normalizeVin} upper-cases). */
export const VIN_RE = /^[A-HJ-NPR-Z0-9]{17}$/i;

/** Whether `s` is a VIN as it stands (either case, no surrounding space). */
export function isVin(s: string): boolean {
  return VIN_RE.test(s);
}

/** `s` trimmed and upper-cased when it is a VIN, else undefined. */
export function normalizeVin(s: string): string | undefined {
  const v = s.trim().toUpperCase();
  return VIN_RE.test(v) ? v : undefined;
}
