/**
 * The proxy's view of the command registry (`src/commands/registry.ts`, one row per Fleet
 * command with the Go proxy's JSON parameter rules): a lookup from command name to row.
 *
 * @module
 */
import { getCommand } from '../commands/registry.js';
import type { CommandLookup } from './command-route.js';

/** The registry's rows by Fleet command name (own keys only). */
export const registryLookup: CommandLookup = getCommand;
