/**
 * The command layer: pure builders (typed arguments → `{ domain, payload }`), one namespace per
 * MCP toolset (`charging`, `climate`, `keys`, `media`, `navigation`, `parental`, `security`,
 * `vehicle`), and the registry of Fleet command names.
 *
 * ```ts
 * import { build, charging } from 'tesla-mcp/commands';
 * charging.setChargeLimit(80);             // typed builder
 * build('set_charge_limit', { percent: 80 }); // from the Fleet command name and JSON params
 * ```
 *
 * @module
 */
export * as charging from './charging.js';
export * as climate from './climate.js';
export { EFFECTS, type Effect, mayResend } from './effect.js';
export * as keys from './keys.js';
export * as media from './media.js';
export {
  EXTENSION_COMMAND_NAMES,
  EXTRA_SIGNED_COMMAND_NAMES,
  FLEET_COMMAND_NAMES,
  PROXY_COMMAND_NAMES,
} from './names.js';
export * as navigation from './navigation.js';
export { CommandParamError, parseDays } from './params.js';
export * as parental from './parental.js';
export {
  build,
  COMMANDS,
  type FleetCommandName,
  getCommand,
  isFleetCommandName,
  listCommands,
} from './registry.js';
export type { OAuthScope } from './scopes.js';
export * as security from './security.js';
export type {
  BuildContext,
  Command,
  CommandRoute,
  CommandSource,
  CommandSpec,
  RestReason,
} from './types.js';
export * as vehicle from './vehicle.js';
export { infotainment, vcsec as vcsecMessage } from './wrap.js';
