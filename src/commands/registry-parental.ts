/**
 * Registry rows of toolset `parental`: parental controls, mapped onto `./parental.ts`. The Go
 * proxy's JSON parameters (vehicle-command pkg/proxy/command.go) are read by `./params.ts`.
 *
 * @module
 */
import type { FleetCommandName } from './names.js';
import { CommandParamError, getBool, getNumber, getString, type Params } from './params.js';
import * as parental from './parental.js';
import { info, type Row } from './rows.js';

function parentalSetting(p: Params): parental.ParentalControlsSetting {
  const s = getString(p, 'setting', true);
  const found = parental.PARENTAL_CONTROLS_SETTINGS.find((name) => name === s);
  if (found === undefined) throw new CommandParamError(`invalid setting: ${s}`, 'setting');
  return found;
}

export const PARENTAL_ROWS = {
  parental_controls_activate: info(
    'idempotent',
    'Activate parental controls with a 4-digit PIN.',
    (p) => parental.parentalControlsActivate(getString(p, 'pin', true)),
  ),
  parental_controls_deactivate: info(
    'idempotent',
    'Deactivate parental controls with their 4-digit PIN.',
    (p) => parental.parentalControlsDeactivate(getString(p, 'pin', true)),
  ),
  parental_controls_enable_setting: info(
    'idempotent',
    'Enable or disable one parental controls setting.',
    (p) => {
      const setting = parentalSetting(p);
      return parental.parentalControlsEnableSetting(setting, getBool(p, 'enable', true));
    },
  ),
  parental_controls_set_speed_limit: info(
    'idempotent',
    'Set the parental controls speed limit in mph.',
    (p) => parental.parentalControlsSetSpeedLimit(getNumber(p, 'limit_mph', true)),
  ),
  parental_controls_clear_pin_admin: info(
    'destructive',
    'Clear the parental controls PIN as owner/fleet manager.',
    () => parental.parentalControlsClearPinAdmin(),
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
