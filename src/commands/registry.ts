/**
 * The command registry: one row per Fleet command name (route, effect, OAuth scopes, resend
 * policy, description, and for signed commands a builder from the Go proxy's JSON parameters).
 * It replaces the `switch` of vehicle-command pkg/proxy/command.go; the MCP tools, the README and
 * the tests iterate it.
 *
 * ```ts
 * build('set_charge_limit', { percent: 80 }); // { domain: 3, payload }
 * getCommand('set_charge_limit')?.effect;     // 'idempotent'
 * ```
 *
 * @module
 */
import { FLEET_COMMAND_NAMES, type FleetCommandName } from './names.js';
import { CommandParamError } from './params.js';
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
import type { BuildContext, Command, CommandSpec } from './types.js';

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

/**
 * Builds the signed payload of a Fleet command from its JSON parameters, read as Tesla's
 * `tesla-http-proxy` reads them (vehicle-command pkg/proxy/command.go):
 * `build('set_charge_limit', { percent: 80 })` gives `{ domain: 3, payload }`. Throws
 * `CommandParamError` for an unknown name, for a command that is not signed (REST-only, no
 * public proto, `wake_up`: send those through the Fleet REST API) and for a missing or mistyped
 * parameter, and `RangeError` for a value out of range.
 */
export function build(
  name: string,
  params: Readonly<Record<string, unknown>> = {},
  ctx?: BuildContext,
): Command {
  const spec = getCommand(name);
  if (!spec) throw new CommandParamError(`unknown Fleet command '${name}'`);
  if (!spec.build) {
    throw new CommandParamError(
      `'${name}' is not a signed command (route ${spec.domain}): send it through the Fleet REST API`,
    );
  }
  return spec.build(params, ctx);
}

export type { FleetCommandName } from './names.js';
