/**
 * The MCP server: {@link createServer} picks the tools (`--toolsets`, `--read-only`),
 * answers `tools/list` and `tools/call` itself (schemas derived once per process, not per
 * session), checks every call's arguments against the tool's strict schema
 * (`./arguments.ts`), and gates risky ones behind a confirmation (`--confirm`, `./gate.ts`):
 * MCP elicitation when the client supports it, otherwise a one-time `confirmation_token` bound to
 * the tool, the arguments and the session; `never` runs them, `deny` refuses.
 *
 * @module
 */
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import {
  CallToolRequestSchema,
  ListToolsRequestSchema,
  type Tool as McpTool,
  type ServerNotification,
  type ServerRequest,
} from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import type { jsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/types.js';
import { z } from 'zod';
import { VERSION } from '../version.js';
import { parseArguments } from './arguments.js';
import { randomToken } from './auth/crypto.js';
import { Confirmations } from './confirmations.js';
import type { ToolDeps } from './deps.js';
import { ENABLE_TOOLSETS, enableToolsetsTool, type ToolsetSession } from './enable-toolsets.js';
import { describeError } from './errors.js';
import { CONFIRM_MODES, type ConfirmMode, confirmGate, TOKEN_FIELD, TOKEN_INPUT } from './gate.js';
import {
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
  toolsetOf,
} from './toolsets/index.js';

export { CONFIRM_MODES, type ConfirmMode } from './gate.js';

export interface ServerConfig {
  /**
   * Toolset names pinned by the operator (`--toolsets`). Unset: {@link DEFAULT_TOOLSETS}, and the
   * model may turn on more for its session with `enable_toolsets`.
   */
  toolsets?: readonly ToolsetName[];
  readOnly?: boolean;
  /** Tools offered whatever the toolsets (`get_login_link` while not logged in). */
  extraTools?: readonly string[];
  confirm?: ConfirmMode;
  /**
   * Pending confirmation tokens, shared by every session of a process (`serve --http` builds one
   * server per session). Default: a new in-memory store for this server.
   */
  confirmations?: Confirmations;
  /** One line per tool failure (code only; never arguments, tokens or keys). */
  log?: (line: string) => void;
  /** Tool calls in progress are added here (so a closing transport can let them finish). */
  inflight?: Set<Promise<unknown>>;
}

export const INSTRUCTIONS = `Tesla vehicles and energy sites through Tesla's Fleet API; vehicle commands are signed in-process.
- Vehicle commands need the car online: if one answers "asleep", call wake_up, then retry.
- Prefer cheap reads: list_vehicles / vehicle show online/asleep without waking the car; vehicle_data answers only when online.
- Wake only when needed (wakes are billed and rate limited); never wake just to read.
- Risky actions (unlock, remote start, trunk, PINs, invites, erase) need the user's OK: when a tool answers confirmation_required, tell the user what it will do and call again with its confirmation_token only if they agree.
- When an error says the command may have executed, read the state before retrying.
- vin: omit it for the default car (TESLA_VIN, or the account's only vehicle).`;

/** Added to the instructions when the operator did not pin the toolsets. */
export const ENABLE_INSTRUCTION =
  '- More tools (Powerwall and solar, media, sharing, account, keys, parental controls, telemetry): call enable_toolsets with the toolset names; without arguments it lists what each holds.';

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
const inputs = {
  token: new WeakMap<Tool, Tool['input']>(),
  plain: new WeakMap<Tool, Tool['input']>(),
};
const entries = { token: new WeakMap<Tool, McpTool>(), plain: new WeakMap<Tool, McpTool>() };

/** Whether a tool takes `confirmation_token` under `mode` (gated tools, `elicit` only). */
const takesToken = (tool: Tool, mode: ConfirmMode) =>
  tool.confirm !== undefined && mode === 'elicit';

/**
 * A tool's input as the server checks and lists it: strict (an unknown property is refused:
 * `additionalProperties: false`), and in `elicit` mode gated tools take `confirmation_token`.
 */
export function registeredInput(tool: Tool, mode: ConfirmMode = 'elicit'): Tool['input'] {
  const kind = takesToken(tool, mode) ? 'token' : 'plain';
  let input = inputs[kind].get(tool);
  if (input === undefined) {
    const strict = tool.input.strict();
    input = kind === 'token' ? strict.extend({ [TOKEN_FIELD]: TOKEN_INPUT }) : strict;
    inputs[kind].set(tool, input);
  }
  return input;
}

/** One `tools/list` entry: JSON Schema of the registered input, the non-default annotations. */
export function listEntry(tool: Tool, mode: ConfirmMode = 'elicit'): McpTool {
  const kind = takesToken(tool, mode) ? 'token' : 'plain';
  let entry = entries[kind].get(tool);
  if (entry === undefined) {
    entry = computeListEntry(tool, mode);
    entries[kind].set(tool, entry);
  }
  return entry;
}

function computeListEntry(tool: Tool, mode: ConfirmMode): McpTool {
  const { $schema: _s, ...inputSchema } = z.toJSONSchema(registeredInput(tool, mode), {
    io: 'input',
    target: 'draft-7',
  }) as Record<string, unknown>;
  const annotations = wireAnnotations(tool.annotations);
  return {
    name: tool.name,
    title: tool.title,
    description: tool.description,
    inputSchema: inputSchema as McpTool['inputSchema'],
    ...(tool.output ? { outputSchema: outputSchemaOf(tool.output) } : {}),
    ...(annotations ? { annotations } : {}),
  };
}

/**
 * A declared result as `outputSchema`. Objects stay open (`io: 'input'` adds no
 * `additionalProperties: false`: Tesla adds fields), and the required fields are asked of a
 * success only: a failed call's `structuredContent` is `{error}` ({@link toToolError}), and SDK
 * clients validate that too.
 */
function outputSchemaOf(output: NonNullable<Tool['output']>): McpTool['outputSchema'] {
  const {
    $schema: _s,
    required,
    ...schema
  } = z.toJSONSchema(output, {
    io: 'input',
    target: 'draft-7',
  }) as Record<string, unknown> & { required?: string[] };
  const anyOf = required?.length ? { anyOf: [{ required }, { required: ['error'] }] } : {};
  return { ...schema, ...anyOf } as McpTool['outputSchema'];
}

/** A call of a tool this server does not offer (as the SDK answers it: a failed call). */
function unknownTool(name: string, pinned: boolean): ToolResult {
  const more = pinned ? '' : ', or enable_toolsets to list the toolsets';
  const text = `Tool ${name} not found: call tools/list for the tools this session offers${more}.`;
  return { content: [{ type: 'text', text }], isError: true };
}

/**
 * The SDK checks an elicitation answer against its schema with Ajv, and by default builds an
 * Ajv instance (with its meta-schemas and formats, about 90 KB) in every server's constructor.
 * `serve --http` builds a server per session and few sessions ever elicit, so the instance is
 * built on a server's first elicitation instead. Not shared between servers: Ajv keeps every
 * schema it compiled, and the gate compiles one per confirmation.
 */
function lazyValidator(): jsonSchemaValidator {
  let ajv: AjvJsonSchemaValidator | undefined;
  return {
    getValidator: (schema) => {
      ajv ??= new AjvJsonSchemaValidator();
      return ajv.getValidator(schema);
    },
  };
}

export function createServer(config: ServerConfig, deps: ToolDeps): McpServer {
  // Toolsets the operator did not pin can grow for the session through enable_toolsets.
  const pinned = config.toolsets !== undefined;
  const mcp = new McpServer(
    { name: 'tesla-mcp', title: 'Tesla (Fleet API)', version: VERSION },
    {
      instructions: pinned ? INSTRUCTIONS : `${INSTRUCTIONS}\n${ENABLE_INSTRUCTION}`,
      capabilities: { tools: { listChanged: true } },
      jsonSchemaValidator: lazyValidator(),
    },
  );
  const mode = config.confirm ?? 'elicit';
  const confirmations = config.confirmations ?? new Confirmations();
  // The session a token is bound to: the transport's `Mcp-Session-Id` where there is one
  // (Streamable HTTP), else this server instance (stdio has one session per process).
  const instance = randomToken('server_');
  const on = new Set<ToolsetName>(config.toolsets ?? DEFAULT_TOOLSETS);
  const session: ToolsetSession = {
    isOn: (name) => on.has(name),
    enable(names) {
      const added = [...new Set(names)].filter((n) => !on.has(n));
      if (!added.length) return [];
      for (const n of added) on.add(n);
      refresh();
      mcp.sendToolListChanged();
      return added;
    },
    toolNames: (name) =>
      selectTools({ ...config, toolsets: [name], extraTools: [] }).map((t) => t.name),
  };
  // Unpinned, every tool is registered and the ones whose toolset is off answer with the way
  // to turn it on; tools/list shows only those on.
  const offered = pinned
    ? selectTools(config)
    : selectTools({ ...config, toolsets: TOOLSET_NAMES });
  if (!pinned) offered.push(enableToolsetsTool);
  let listedTools = new Set<Tool>();
  let listed: McpTool[] = [];
  refresh();
  // Our own tools/list: the same schemas without the per-tool `$schema`, `execution` and
  // duplicated annotation title the SDK adds (about 15 KB over all tools of model context).
  mcp.server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: listed }));
  // Our own tools/call too, over a name lookup: `registerTool` builds a record with five
  // closures for each of ~100 tools, in every session's server (about 80 KB per `initialize`).
  // Arguments are checked in `call`, as they were with the SDK given any object.
  const byName = new Map(offered.map((t) => [t.name, t]));
  mcp.server.setRequestHandler(CallToolRequestSchema, (request, extra) => {
    const tool = byName.get(request.params.name);
    if (!tool) return unknownTool(request.params.name, pinned);
    const p = call(tool, request.params.arguments ?? {}, extra);
    config.inflight?.add(p);
    void p.finally(() => config.inflight?.delete(p));
    return p;
  });
  return mcp;

  function refresh(): void {
    const now = selectTools({ ...config, toolsets: [...on] });
    if (!pinned) now.push(...offered.filter((t) => t.name === ENABLE_TOOLSETS));
    listedTools = new Set(now);
    listed = now.map((t) => listEntry(t, mode));
  }

  async function call(
    tool: Tool,
    rawArgs: unknown,
    extra: RequestHandlerExtra<ServerRequest, ServerNotification>,
  ): Promise<ToolResult> {
    const progressToken = extra._meta?.progressToken;
    const ctx: ToolContext = {
      signal: extra.signal,
      toolsets: session,
      progress: async (progress, total, message) => {
        if (progressToken === undefined) return;
        await extra
          .sendNotification({
            method: 'notifications/progress',
            params: {
              progressToken,
              progress,
              ...(total !== undefined ? { total } : {}),
              ...(message !== undefined ? { message } : {}),
            },
          })
          .catch(() => {});
      },
    };
    try {
      if (!listedTools.has(tool)) {
        const set = toolsetOf(tool.name);
        throw Object.assign(
          new Error(
            `${tool.name} is in the ${set} toolset, which is off in this session: call enable_toolsets with toolsets: ["${set}"], then retry.`,
          ),
          { code: 'toolset_off' },
        );
      }
      const parsed = parseArguments(tool.name, registeredInput(tool, mode), rawArgs);
      const { [TOKEN_FIELD]: presented, ...args } = parsed;
      if (tool.scopes.length) await deps.requireScopes?.(tool.scopes);
      const gate = await confirmGate(tool, args, presented as string | undefined, {
        mode,
        mcp,
        simulated: deps.simulated,
        confirmations,
        session: extra.sessionId ?? instance,
      });
      if (gate) return gate;
      const value = await tool.handler(args as z.infer<Tool['input']>, deps, ctx);
      return toToolResult(value, deps.simulated);
    } catch (err) {
      const d = describeError(err);
      config.log?.(`tool ${tool.name} failed: ${d.code}${d.retryable ? ' (retryable)' : ''}`);
      return toToolError(err, { simulated: deps.simulated, redact: deps.redact });
    }
  }
}
