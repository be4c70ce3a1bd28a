/**
 * Plain types of the vehicle layer: what a command is, what `send` takes and returns.
 *
 * @module
 */
import type { Response as CarServerResponse } from '../gen/car_server_pb.js';
import type { FromVCSECMessage } from '../gen/vcsec_pb.js';

/**
 * A built command (`src/commands`): the domain it goes to (2 = VCSEC `UnsignedMessage`,
 * 3 = Infotainment `CarServer.Action`) and its protobuf bytes.
 */
export interface VehicleCommand {
  readonly domain: 2 | 3;
  readonly payload: Uint8Array;
  /** Sent without a signature (VCSEC information requests used for key checks). */
  readonly unsigned?: true;
}

/**
 * Our command key as the vehicle layer needs it: the 65-byte public key and ECDH. The signing
 * library's `KeyAgreement` (and its `PrivateKey`) have this shape; an external key store can too.
 */
export interface CommandKey {
  readonly publicKey: Uint8Array;
  sessionKey(peerPublicKey: Uint8Array): Uint8Array | Promise<Uint8Array>;
}

export interface SendOptions {
  /**
   * The Fleet command name (`door_lock`, `set_charge_limit`). Needed for the REST fallback of
   * vehicles that do not support the protocol; without it such a vehicle gives
   * `protocol_not_supported`.
   */
  name?: string;
  /** The caller's original JSON parameters, forwarded unchanged on the REST fallback. */
  params?: Record<string, unknown>;
  /**
   * Whether running the command twice is harmless (lock, set_charge_limit). Only idempotent
   * commands are resent once after an unknown outcome. Default false.
   */
  idempotent?: boolean;
  signal?: AbortSignal;
  /** Deadline for the whole call in ms (handshake, retries); default the vehicle's (10 s). */
  timeoutMs?: number;
}

/** A command the vehicle accepted. Mirrors the REST `{ result, reason }` answer. */
export interface CommandResult {
  result: true;
  /** The vehicle's reason text, usually empty. */
  reason: string;
  /**
   * `false` when the vehicle answered that the target state already held (`already_set`,
   * `not_charging` for `charge_stop`, …: `./already.ts`); the command did nothing. Absent for
   * an ordinary success.
   */
  changed?: false;
  /** A sentence for the caller when `reason` means more than "done" ("charge limit was already 80%"). */
  message?: string;
  vin: string;
  /** `signed` (vehicle-command protocol) or `rest` (`command/{name}`, legacy vehicles). */
  via: 'signed' | 'rest';
  domain?: 'vcsec' | 'infotainment';
  /**
   * The decoded application reply of a signed command: `CarServer.Response` (vehicle data,
   * ping, charging sites...) or `FromVCSECMessage` (vehicle status, whitelist info). Protobuf
   * messages: project them before serialising.
   */
  response?: CarServerResponse | FromVCSECMessage;
}
