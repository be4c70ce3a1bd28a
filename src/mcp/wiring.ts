/**
 * The seam between the MCP server and the modules it runs on that land separately: the command
 * registry (`src/commands/registry.ts`) and the simulator (`src/sim`), adapted to the narrow
 * interfaces the server declares (`CommandRegistry`, `StartSimulator`), so tests can pass fakes.
 *
 * @module
 */
import { commandRegistry as registry } from '../commands/registry.js';
import { startSimulator as start } from '../sim/index.js';
import type { CommandRegistry } from './deps.js';
import type { StartSimulator } from './runtime.js';

/** The Fleet command registry as the tools use it. */
export const commandRegistry: CommandRegistry = registry;

/** `startSimulator` from `src/sim`. */
export const startSimulator: StartSimulator = (o) => start({ pairKeys: o.pairKeys });
