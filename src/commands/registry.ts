/**
 * The command registry: one row per Fleet command name (route, effect, OAuth scopes, resend
 * policy, description, and for signed commands a builder from the Go proxy's JSON parameters).
 * It replaces the `switch` of vehicle-command pkg/proxy/command.go; the MCP tools, the README and
 * the tests iterate it.
 *
 * ```ts
 * const spec = getCommand('set_charge_limit');
 * const cmd = spec?.build?.({ percent: 80 }, { now: Date.now() }); // { domain: 3, payload }
 * ```
 *
 * @module
 */
import { FLEET_COMMAND_NAMES, type FleetCommandName } from './names.js';
import { ACCOUNT_ROWS } from './registry-account.js';
import { CHARGING_ROWS } from './registry-charging.js';
import { CLIMATE_ROWS } from './registry-climate.js';
import { KEYS_ROWS } from './registry-keys.js';
import { MEDIA_ROWS } from './registry-media.js';
import { NAVIGATION_ROWS } from './registry-navigation.js';
import { PARENTAL_ROWS } from './registry-parental.js';
import { SECURITY_ROWS } from './registry-security.js';
import { VEHICLE_ROWS } from './registry-vehicle.js';
import type { Row } from './rows.js';
import type { CommandSpec } from './types.js';

/** One rows file per MCP toolset (`src/mcp/toolsets/<name>.ts` ↔ `./registry-<name>.ts`). */
const ROWS = {
  ...VEHICLE_ROWS,
  ...CLIMATE_ROWS,
  ...CHARGING_ROWS,
  ...SECURITY_ROWS,
  ...MEDIA_ROWS,
  ...NAVIGATION_ROWS,
  ...ACCOUNT_ROWS,
  ...KEYS_ROWS,
  ...PARENTAL_ROWS,
} satisfies Record<FleetCommandName, Row>;

function named(rows: Record<FleetCommandName, Row>): Record<FleetCommandName, CommandSpec> {
  const out = {} as Record<FleetCommandName, CommandSpec>;
  for (const name of FLEET_COMMAND_NAMES) out[name] = Object.freeze({ name, ...rows[name] });
  return Object.freeze(out);
}

/** Every Fleet command, by name. */
export const COMMANDS: Readonly<Record<FleetCommandName, CommandSpec>> = named(ROWS);

/** Whether `name` is a Fleet command the registry knows (own keys only). */
export function isFleetCommandName(name: string): name is FleetCommandName {
  return Object.hasOwn(COMMANDS, name);
}

/** The row for a Fleet command name, or undefined (the Go proxy answers `invalid_command`). */
export function getCommand(name: string): CommandSpec | undefined {
  return isFleetCommandName(name) ? COMMANDS[name] : undefined;
}

/** All rows, in the Go proxy's order and then the extra commands. */
export function listCommands(): readonly CommandSpec[] {
  return FLEET_COMMAND_NAMES.map((n) => COMMANDS[n]);
}

export type { FleetCommandName } from './names.js';
