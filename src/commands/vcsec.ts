/**
 * VCSEC (vehicle security) builders: locks, remote start, auto-secure, trunk, frunk, tonneau,
 * key removal, and the unsigned information requests used for key checks.
 *
 * Mirrors vehicle-command pkg/vehicle/vcsec.go, pkg/vehicle/security.go (`Lock`, `Unlock`,
 * `RemoveKey`, `KeySummary`, `KeyInfoBySlot`), pkg/vehicle/state.go (`BodyControllerState`) and
 * the closure half of pkg/vehicle/actions.go.
 *
 * @module
 */
import { ClosureMoveType_E, InformationRequestType, RKEAction_E } from '../gen/vcsec_pb.js';
import { checkInt, checkOneOf } from './check.js';
import type { Command } from './types.js';
import { vcsec, vcsecUnsigned } from './wrap.js';

const rke = (action: RKEAction_E): Command => vcsec({ case: 'RKEAction', value: action });

/** `door_lock`. */
export const doorLock = (): Command => rke(RKEAction_E.RKE_ACTION_LOCK);

/** `door_unlock` (RKE_ACTION_UNLOCK is 0; the oneof member is still encoded: `1000`). */
export const doorUnlock = (): Command => rke(RKEAction_E.RKE_ACTION_UNLOCK);

/** `remote_start_drive`: keyless driving for two minutes. */
export const remoteStartDrive = (): Command => rke(RKEAction_E.RKE_ACTION_REMOTE_DRIVE);

/** `auto_secure_vehicle`: close the closures and lock (`AutoSecureVehicle`). */
export const autoSecureVehicle = (): Command => rke(RKEAction_E.RKE_ACTION_AUTO_SECURE_VEHICLE);

/** `actuate_trunk` with `front` opens the frunk; with `rear` it toggles the rear trunk. */
export const TRUNKS = ['front', 'rear'] as const;
export type Trunk = (typeof TRUNKS)[number];

export function actuateTrunk(which: Trunk): Command {
  checkOneOf('trunk', which, TRUNKS);
  const move = ClosureMoveType_E.CLOSURE_MOVE_TYPE_MOVE;
  return vcsec({
    case: 'closureMoveRequest',
    value: which === 'front' ? { frontTrunk: move } : { rearTrunk: move },
  });
}

/** Close a powered rear trunk (`CloseTrunk`; no Fleet command name). */
export const closeTrunk = (): Command =>
  vcsec({
    case: 'closureMoveRequest',
    value: { rearTrunk: ClosureMoveType_E.CLOSURE_MOVE_TYPE_CLOSE },
  });

const tonneau = (move: ClosureMoveType_E): Command =>
  vcsec({ case: 'closureMoveRequest', value: { tonneau: move } });

/** `open_tonneau` (Cybertruck). */
export const openTonneau = (): Command => tonneau(ClosureMoveType_E.CLOSURE_MOVE_TYPE_OPEN);

/** `close_tonneau`. */
export const closeTonneau = (): Command => tonneau(ClosureMoveType_E.CLOSURE_MOVE_TYPE_CLOSE);

/** `stop_tonneau`. */
export const stopTonneau = (): Command => tonneau(ClosureMoveType_E.CLOSURE_MOVE_TYPE_STOP);

/**
 * Remove a key from the vehicle's whitelist (`RemoveKey`; signed by an owner key). The vehicle
 * answers with a whitelist operation status.
 */
export function removeKey(publicKey: Uint8Array): Command {
  if (!(publicKey instanceof Uint8Array) || publicKey.length !== 65 || publicKey[0] !== 0x04) {
    throw new RangeError(
      `public key must be a 65-byte uncompressed P-256 point (0x04…), got ${publicKey?.length ?? 0} bytes`,
    );
  }
  return vcsec({
    case: 'WhitelistOperation',
    value: {
      subMessage: {
        case: 'removePublicKeyFromWhitelist',
        value: { PublicKeyRaw: publicKey },
      },
    },
  });
}

/** Unsigned: the whitelist summary (number of keys, their ids, slot mask), `0a020805`. */
export const whitelistInfo = (): Command =>
  vcsecUnsigned({
    case: 'InformationRequest',
    value: { informationRequestType: InformationRequestType.GET_WHITELIST_INFO },
  });

/** Unsigned: one whitelist entry (key, role, form factor) by slot. */
export function whitelistEntryInfo(slot: number): Command {
  checkInt('key slot', slot, 0, 0xfffffffe);
  return vcsecUnsigned({
    case: 'InformationRequest',
    value: {
      informationRequestType: InformationRequestType.GET_WHITELIST_ENTRY_INFO,
      key: { case: 'slot', value: slot },
    },
  });
}

/** Unsigned: the body controller state (locks, closures, sleep, user presence). */
export const bodyControllerState = (): Command =>
  vcsecUnsigned({
    case: 'InformationRequest',
    value: { informationRequestType: InformationRequestType.GET_STATUS },
  });
