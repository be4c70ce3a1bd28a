/**
 * BLE identifiers (protocol.md "BLE"): the advertised local name of a vehicle.
 *
 * @module
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex, utf8ToBytes } from './bytes.js';

/** `S` + lowercase hex of the first 8 bytes of SHA1(VIN) + `C`. */
export function bleLocalName(vin: string): string {
  return `S${bytesToHex(sha1(utf8ToBytes(vin)).subarray(0, 8))}C`;
}
