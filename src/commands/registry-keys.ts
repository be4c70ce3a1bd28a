/**
 * Registry rows of toolset `keys`: erase user data and the owner resets of PIN to Drive and the
 * Speed Limit PIN, mapped onto `./keys.ts`. The Go proxy's JSON parameters (vehicle-command
 * pkg/proxy/command.go) are read by `./params.ts`.
 *
 * @module
 */
import * as keys from './keys.js';
import type { FleetCommandName } from './names.js';
import { info, type Row } from './rows.js';

export const KEYS_ROWS = {
  erase_user_data: info(
    'destructive',
    'Erase all user data (profiles, settings, history) from the vehicle. Irreversible.',
    () => keys.eraseUserData(),
  ),
  reset_pin_to_drive_pin: info('destructive', 'Reset the PIN to Drive PIN.', () =>
    keys.resetPinToDrivePin(),
  ),
  clear_pin_to_drive_admin: info(
    'destructive',
    'Clear PIN to Drive as owner/fleet manager (firmware 2023.44+).',
    () => keys.clearPinToDriveAdmin(),
  ),
  speed_limit_clear_pin_admin: info(
    'destructive',
    'Clear the Speed Limit Mode PIN as owner/fleet manager.',
    () => keys.speedLimitClearPinAdmin(),
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
