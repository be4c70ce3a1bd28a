/**
 * Key builders (toolset `keys`): key removal, the unsigned VCSEC information requests used for
 * key checks (whitelist, body-controller state), and the owner resets: erase user data, PIN to
 * Drive reset and admin clear, Speed Limit PIN admin clear.
 *
 * Mirrors vehicle-command pkg/vehicle/security.go (`RemoveKey`, `KeySummary`, `KeyInfoBySlot`,
 * and the Infotainment resets), pkg/vehicle/state.go (`BodyControllerState`) and
 * pkg/vehicle/vcsec.go.
 *
 * @module
 */
import { InformationRequestType } from '../gen/vcsec_pb.js';
import { checkInt } from './check.js';
import type { Command } from './types.js';
import { infotainment, vcsec, vcsecUnsigned } from './wrap.js';

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

/** `reset_pin_to_drive_pin`. */
export const resetPinToDrivePin = (): Command =>
  infotainment({ case: 'vehicleControlResetPinToDriveAction', value: {} });

/** `clear_pin_to_drive_admin` (fleet manager / owner). */
export const clearPinToDriveAdmin = (): Command =>
  infotainment({ case: 'vehicleControlResetPinToDriveAdminAction', value: {} });

/** `speed_limit_clear_pin_admin`. */
export const speedLimitClearPinAdmin = (): Command =>
  infotainment({ case: 'drivingClearSpeedLimitPinAdminAction', value: {} });

/** `erase_user_data`: erase guest data (upstream sets the message empty, `reason` unset). */
export const eraseUserData = (): Command =>
  infotainment({ case: 'eraseUserDataAction', value: {} });
