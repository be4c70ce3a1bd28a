/**
 * `enable_toolsets`: when the operator has not pinned `--toolsets` / `TESLA_MCP_TOOLSETS`, the
 * model can turn on a further toolset for its session. The server then lists the new tools and
 * sends `notifications/tools/list_changed` (MCP spec, server/tools: "List Changed
 * Notification"); `--read-only` still applies to them. Pinned, the tool is not offered.
 *
 * @module
 */
import { z } from 'zod';
import { defineTool, type Tool } from './tool.js';
import {
  DEFAULT_TOOLSETS,
  TOOLSET_NAMES,
  TOOLSET_SUMMARIES,
  type ToolsetName,
} from './toolsets/index.js';

export const ENABLE_TOOLSETS = 'enable_toolsets';

/** What the tool needs from its server: the session's toolsets and a way to add some. */
export interface ToolsetSession {
  isOn(name: ToolsetName): boolean;
  /** Turns the toolsets on; returns those that were off. */
  enable(names: readonly ToolsetName[]): ToolsetName[];
  /** The names of a toolset's tools this server offers (after `--read-only`). */
  toolNames(name: ToolsetName): string[];
}

const OPT_IN = TOOLSET_NAMES.filter((n) => !DEFAULT_TOOLSETS.includes(n));

const output = z.object({
  enabled: z.array(z.string()).describe('Toolsets this call turned on.'),
  toolsets: z.array(
    z.object({
      name: z.string(),
      on: z.boolean(),
      holds: z.string(),
      tools: z.array(z.string()),
    }),
  ),
});

/**
 * The tool, one for every server: the session whose toolsets it turns on comes with each call
 * (`ToolContext.toolsets`), so its schemas and listing are derived once, not per session.
 */
export const enableToolsetsTool: Tool = defineTool({
  name: ENABLE_TOOLSETS,
  title: 'Enable toolsets',
  description: `Turn on more tools for this session: ${OPT_IN.join(', ')}. Without toolsets, lists every toolset and what it holds. Local; free.`,
  // It changes what this session lists, never the car or the account.
  effect: 'read',
  local: true,
  scopes: [],
  input: z.object({
    toolsets: z
      .array(z.enum(TOOLSET_NAMES as [ToolsetName, ...ToolsetName[]]))
      .max(TOOLSET_NAMES.length)
      .optional()
      .describe('Toolsets to turn on; omit to list them.'),
  }),
  handler: async (a, _deps, ctx) => {
    const session = ctx.toolsets;
    if (!session) throw new Error(`${ENABLE_TOOLSETS} needs a server session`);
    const enabled = session.enable(a.toolsets ?? []);
    const answer: z.infer<typeof output> & { message?: string } = {
      enabled,
      toolsets: TOOLSET_NAMES.map((name) => ({
        name,
        on: session.isOn(name),
        holds: TOOLSET_SUMMARIES[name],
        tools: session.toolNames(name),
      })),
    };
    if (enabled.length) {
      answer.message = `Turned on ${enabled.join(', ')}: their tools are listed now.`;
    } else if (a.toolsets?.length) {
      answer.message = `Already on: ${a.toolsets.join(', ')}.`;
    }
    return answer;
  },
});
