/**
 * Registry rows of toolset `account`: the managed (fleet) charging commands, REST only. The Go
 * proxy's JSON parameters (vehicle-command pkg/proxy/command.go) are read by `./params.ts`.
 *
 * @module
 */
import type { FleetCommandName } from './names.js';
import { type Row, rest } from './rows.js';
import { CHARGING_CMDS } from './scopes.js';

export const ACCOUNT_ROWS = {
  set_managed_charge_current_request: rest(
    'idempotent',
    'rest-api',
    'Fleet managed-charging REST command (business fleets); the JSON body is passed as given.',
    CHARGING_CMDS,
  ),
  set_managed_charger_location: rest(
    'idempotent',
    'rest-api',
    'Fleet managed-charging REST command (business fleets); the JSON body is passed as given.',
    CHARGING_CMDS,
  ),
  set_managed_scheduled_charging_time: rest(
    'idempotent',
    'rest-api',
    'Fleet managed-charging REST command (business fleets); the JSON body is passed as given.',
    CHARGING_CMDS,
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
