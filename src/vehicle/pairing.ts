/**
 * Pairing facts for error messages and `checkPairing`: our key's fingerprint, the pairing link
 * (`https://tesla.com/_ak/<domain>`), and the "not paired" error that names the VIN, the key
 * and the next step, so the user can tell *which* key is not enrolled.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { cliCommand } from '../util/cli-command.js';
import { VehicleCommandError } from './errors.js';

/** A short, stable id of a public key: SHA-256 of the 65-byte key, first 8 bytes, in hex. */
export function keyFingerprint(publicKey: Uint8Array): string {
  return createHash('sha256').update(publicKey).digest('hex').slice(0, 16);
}

/** The link that opens the Tesla app's "add virtual key" screen for the app at `appDomain`. */
export function pairingUrl(appDomain: string): string {
  const host = appDomain
    .trim()
    .replace(/^https?:\/\//i, '')
    .replace(/\/.*$/, '')
    .toLowerCase();
  return `https://tesla.com/_ak/${host}`;
}

/** What to do to enrol the key: the link when the app domain is known, else `tesla-mcp pair`. */
export function pairingHint(appDomain: string | undefined): string {
  return appDomain
    ? `open ${pairingUrl(appDomain)} on a phone with the Tesla app, approve the key in the vehicle, then retry`
    : `run \`${cliCommand('pair')}\` to enrol the key, then retry`;
}

export function notPairedError(
  vin: string,
  publicKey: Uint8Array,
  appDomain: string | undefined,
  cause?: unknown,
): VehicleCommandError {
  return new VehicleCommandError(
    'key_not_paired',
    `vehicle ${vin} does not know our public key (fingerprint ${keyFingerprint(publicKey)}): ${pairingHint(appDomain)}`,
    { vin, cause },
  );
}

/** The answer of {@link Vehicle.checkPairing}. */
export interface PairingStatus {
  vin: string;
  paired: boolean;
  /** Fingerprint of our public key (see {@link keyFingerprint}). */
  fingerprint: string;
  /** The `_ak` link, when the app domain is configured. */
  pairingUrl?: string;
  message: string;
}
