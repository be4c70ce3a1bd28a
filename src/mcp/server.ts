/**
 * The MCP server: {@link createServer} picks the tools (`--toolsets`, `--read-only`),
 * registers them in one loop, and gates risky ones behind a confirmation (`--confirm`):
 * MCP elicitation when the client supports it, otherwise a first answer that says what would
 * happen and asks for a second call with `confirm: true`; `never` runs them, `deny` refuses.
 *
 * @module
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  ListToolsRequestSchema,
  type Tool as McpTool,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { VERSION } from '../version.js';
import type { ToolDeps } from './deps.js';
import { describeError } from './errors.js';
import {
  CONFIRM_FIELD,
  type Tool,
  type ToolContext,
  type ToolResult,
  toToolError,
  toToolResult,
  wireAnnotations,
} from './tool.js';
import {
  ALL_TOOLS,
  DEFAULT_TOOLSETS,
  TOOLSET_NAMES,
  TOOLSETS,
  type ToolsetName,
} from './toolsets/index.js';

export type ConfirmMode = 'elicit' | 'never' | 'deny';
export const CONFIRM_MODES: readonly ConfirmMode[] = ['elicit', 'never', 'deny'];

export interface ServerConfig {
  /** Toolset names (default {@link DEFAULT_TOOLSETS}). */
  toolsets?: readonly ToolsetName[];
  readOnly?: boolean;
  /** Tools offered whatever the toolsets (`get_login_link` while not logged in). */
  extraTools?: readonly string[];
  confirm?: ConfirmMode;
  /** One line per tool failure (code only; never arguments, tokens or keys). */
  log?: (line: string) => void;
  /** Tool calls in progress are added here (so a closing transport can let them finish). */
  inflight?: Set<Promise<unknown>>;
}

export const INSTRUCTIONS = `Tesla vehicles and energy sites through Tesla's Fleet API; vehicle commands are signed in-process.
- Vehicle commands need the car online: if one answers "asleep", call wake_up, then retry.
- Prefer cheap reads: list_vehicles / vehicle show online/asleep without waking the car; vehicle_data answers only when online.
- Wake only when needed (wakes are billed and rate limited); never wake just to read.
- Confirm risky actions (unlock, remote start, trunk, PINs, invites, erase) with the user; when a tool asks for confirm: true, get the user's explicit OK first.
- When an error says the command may have executed, read the state before retrying.
- vin: omit it for the default car (TESLA_VIN, or the account's only vehicle).`;

/** Parses a `--toolsets` / `TESLA_MCP_TOOLSETS` value (`all`, or a comma list). */
export function parseToolsets(value: string | undefined): ToolsetName[] {
  if (value === undefined || value.trim() === '') return [...DEFAULT_TOOLSETS];
  const parts = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  if (parts.includes('all')) return [...TOOLSET_NAMES];
  const unknown = parts.filter((p) => !(TOOLSET_NAMES as string[]).includes(p));
  if (unknown.length) {
    throw new Error(
      `mcp: unknown toolset ${unknown.join(', ')}: use all or a comma list of ${TOOLSET_NAMES.join(', ')}`,
    );
  }
  return [...new Set(parts)] as ToolsetName[];
}

export function parseConfirmMode(value: string | undefined): ConfirmMode {
  if (value === undefined || value === '') return 'elicit';
  if ((CONFIRM_MODES as string[]).includes(value)) return value as ConfirmMode;
  throw new Error(`mcp: --confirm must be one of ${CONFIRM_MODES.join(', ')}, got "${value}"`);
}

/** The tools a configuration exposes, in toolset order. */
export function selectTools(config: ServerConfig = {}): Tool[] {
  const sets = config.toolsets ?? DEFAULT_TOOLSETS;
  const tools = TOOLSET_NAMES.filter((n) => sets.includes(n)).flatMap(
    (n) => TOOLSETS[n] as readonly Tool[],
  );
  for (const name of config.extraTools ?? []) {
    const extra = ALL_TOOLS.find((t) => t.name === name);
    if (extra && !tools.includes(extra)) tools.push(extra);
  }
  return config.readOnly ? tools.filter((t) => t.effect === 'read') : tools;
}

// Derived once per tool, not per server: `serve --http` builds a server for every session, and
// re-deriving ~100 zod schemas and their JSON Schema each time cost about 12 ms and several MB of
// garbage per `initialize` (RSS climbed to ~300 MB under reconnecting clients).
const inputs = new WeakMap<Tool, Tool['input']>();
const entries = new WeakMap<Tool, McpTool>();

/** A tool's input as registered: risky tools get the `confirm` field. */
export function registeredInput(tool: Tool): Tool['input'] {
  let input = inputs.get(tool);
  if (input === undefined) {
    input = tool.confirm ? tool.input.extend({ confirm: CONFIRM_FIELD }) : tool.input;
    inputs.set(tool, input);
  }
  return input;
}

type Args = Record<string, unknown> & { confirm?: boolean };

/** One `tools/list` entry: JSON Schema of the registered input, the non-default annotations. */
export function listEntry(tool: Tool): McpTool {
  let entry = entries.get(tool);
  if (entry === undefined) {
    entry = computeListEntry(tool);
    entries.set(tool, entry);
  }
  return entry;
}

function computeListEntry(tool: Tool): McpTool {
  const { $schema: _s, ...inputSchema } = z.toJSONSchema(registeredInput(tool), {
    io: 'input',
    target: 'draft-7',
  }) as Record<string, unknown>;
  const annotations = wireAnnotations(tool.annotations);
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: inputSchema as McpTool['inputSchema'],
    ...(annotations ? { annotations } : {}),
  };
}

async function confirmGate(
  tool: Tool,
  args: Args,
  mode: ConfirmMode,
  mcp: McpServer,
  simulated: boolean,
): Promise<ToolResult | undefined> {
  const what = tool.confirm?.(args);
  if (!what || mode === 'never') return undefined;
  if (mode === 'deny') {
    return toToolError(
      Object.assign(
        new Error(
          `${tool.name} is refused: this server runs with --confirm deny (TESLA_MCP_CONFIRM=deny), which blocks risky commands.`,
        ),
        { code: 'confirmation_denied' },
      ),
      { simulated },
    );
  }
  if (mcp.server.getClientCapabilities()?.elicitation) {
    let accepted = false;
    try {
      const r = await mcp.server.elicitInput({
        mode: 'form',
        message: `${what} Proceed?`,
        requestedSchema: {
          type: 'object',
          properties: { confirm: { type: 'boolean', title: 'Proceed', description: what } },
          required: ['confirm'],
        },
      });
      accepted = r.action === 'accept' && r.content?.confirm === true;
    } catch {
      accepted = false;
    }
    if (accepted) return undefined;
    return toToolResult(
      {
        executed: false,
        status: 'declined',
        action: what,
        message: 'The user did not approve; nothing was sent.',
      },
      simulated,
    );
  }
  if (args.confirm === true) return undefined;
  return toToolResult(
    {
      executed: false,
      status: 'confirmation_required',
      action: what,
      next: `Ask the user to approve: "${what}" If they agree, call ${tool.name} again with the same arguments and confirm: true.`,
    },
    simulated,
  );
}

export function createServer(config: ServerConfig, deps: ToolDeps): McpServer {
  const mcp = new McpServer(
    { name: 'tesla-mcp', title: 'Tesla (Fleet API)', version: VERSION },
    { instructions: INSTRUCTIONS, capabilities: { tools: {} } },
  );
  const mode = config.confirm ?? 'elicit';
  const tools = selectTools(config);
  for (const tool of tools) {
    mcp.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: registeredInput(tool),
        annotations: tool.annotations,
      },
      (rawArgs: unknown, extra) => {
        const p = call(tool, rawArgs, extra);
        config.inflight?.add(p);
        void p.finally(() => config.inflight?.delete(p));
        return p;
      },
    );
  }
  // Our own tools/list: the same schemas without the per-tool `$schema`, `execution` and
  // duplicated annotation title the SDK adds (about 15 KB over all tools of model context).
  const listed = tools.map(listEntry);
  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  return mcp;

  async function call(
    tool: Tool,
    rawArgs: unknown,
    extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
  ): Promise<ToolResult> {
    const args = (rawArgs ?? {}) as Args;
    const token = extra._meta?.progressToken;
    const ctx: ToolContext = {
      signal: extra.signal,
      progress: async (progress, total, message) => {
        if (token === undefined) return;
        await extra
          .sendNotification({
            method: 'notifications/progress',
            params: {
              progressToken: token,
              progress,
              ...(total !== undefined ? { total } : {}),
              ...(message !== undefined ? { message } : {}),
            },
          })
          .catch(() => {});
      },
    };
    try {
      if (tool.scopes.length) await deps.requireScopes?.(tool.scopes);
      const gate = await confirmGate(tool, args, mode, mcp, deps.simulated);
      if (gate) return gate;
      const { confirm: _c, ...toolArgs } = args;
      const value = await tool.handler(toolArgs as z.infer<Tool['input']>, deps, ctx);
      return toToolResult(value, deps.simulated);
    } catch (err) {
      const d = describeError(err);
      config.log?.(`tool ${tool.name} failed: ${d.code}${d.retryable ? ' (retryable)' : ''}`);
      return toToolError(err, { simulated: deps.simulated, redact: deps.redact });
    }
  }
}
