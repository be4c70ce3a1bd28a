/**
 * The registry's rows by group, one entry per `src/commands/registry-<group>.ts` file, for the
 * tests that check the module map (a tool's toolset, its row's file and its golden's file share
 * one name). Imported statically: test files run bundled, not through tsx.
 *
 * @module
 */
import { ACCOUNT_ROWS } from '../../src/commands/registry-account.js';
import { CHARGING_ROWS } from '../../src/commands/registry-charging.js';
import { CLIMATE_ROWS } from '../../src/commands/registry-climate.js';
import { KEYS_ROWS } from '../../src/commands/registry-keys.js';
import { MEDIA_ROWS } from '../../src/commands/registry-media.js';
import { NAVIGATION_ROWS } from '../../src/commands/registry-navigation.js';
import { PARENTAL_ROWS } from '../../src/commands/registry-parental.js';
import { SECURITY_ROWS } from '../../src/commands/registry-security.js';
import { VEHICLE_ROWS } from '../../src/commands/registry-vehicle.js';

/** Group name → the rows of `src/commands/registry-<group>.ts`, keyed by Fleet command name. */
export const ROWS_BY_GROUP: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {
  account: ACCOUNT_ROWS,
  charging: CHARGING_ROWS,
  climate: CLIMATE_ROWS,
  keys: KEYS_ROWS,
  media: MEDIA_ROWS,
  navigation: NAVIGATION_ROWS,
  parental: PARENTAL_ROWS,
  security: SECURITY_ROWS,
  vehicle: VEHICLE_ROWS,
};
