/**
 * The command layer: pure builders (typed arguments → `{ domain, payload }`), one namespace per
 * area, and the registry of Fleet command names.
 *
 * ```ts
 * import { charging, getCommand } from './commands/index.js';
 * charging.setChargeLimit(80);                           // typed builder
 * getCommand('set_charge_limit')?.build?.({ percent: 80 }); // from Fleet JSON params
 * ```
 *
 * @module
 */
export * as actions from './actions.js';
export * as charging from './charging.js';
export * as climate from './climate.js';
export * as media from './media.js';
export {
  EXTRA_SIGNED_COMMAND_NAMES,
  FLEET_COMMAND_NAMES,
  NO_PUBLIC_PROTO_COMMAND_NAMES,
  PROXY_COMMAND_NAMES,
} from './names.js';
export { CommandParamError, parseDays } from './params.js';
export {
  COMMANDS,
  commandRegistry,
  type FleetCommandName,
  getCommand,
  isFleetCommandName,
  listCommands,
} from './registry.js';
export * as schedules from './schedules.js';
export * as security from './security.js';
export * as software from './software.js';
export * as state from './state.js';
export type {
  BuildContext,
  Command,
  CommandRoute,
  CommandSpec,
  Effect,
  OAuthScope,
  RestReason,
} from './types.js';
export * as vcsec from './vcsec.js';
export { infotainment, vcsec as vcsecMessage } from './wrap.js';
