/**
 * Registry rows of toolset `account`: the managed (fleet) charging commands, REST only. The Go
 * proxy's JSON parameters (vehicle-command pkg/proxy/command.go) are read by `./params.ts`.
 *
 * @module
 */
import type { FleetCommandName } from './names.js';
import { CHARGING, type Row, rest } from './rows.js';

export const ACCOUNT_ROWS = {
  set_managed_charge_current_request: rest(
    'idempotent',
    'rest-api',
    'Set the managed charging current (fleet charging; REST only).',
    CHARGING,
  ),
  set_managed_charger_location: rest(
    'idempotent',
    'rest-api',
    'Set the managed charger location (fleet charging; REST only).',
    CHARGING,
  ),
  set_managed_scheduled_charging_time: rest(
    'idempotent',
    'rest-api',
    'Set the managed scheduled charging time (fleet charging; REST only).',
    CHARGING,
  ),
} satisfies Partial<Record<FleetCommandName, Row>>;
