/**
 * How a tool is declared (`docs/design/tools.md`): {@link defineTool} takes one declaration object
 * (name, title, description, effect, scopes, flat zod input, handler) and {@link toToolError}
 * turns any failure into an `isError` result that says what happened, whether the command may
 * have executed, and what to do next, without tokens, keys or stack traces.
 *
 * @module
 */
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import type { z } from 'zod';
import type { Effect } from '../commands/effect.js';
import type { ToolDeps } from './deps.js';
import type { ToolsetSession } from './enable-toolsets.js';
import { describeError } from './errors.js';

/** Effect → annotations (`docs/design/tools.md`), before the two overrides of {@link annotationsFor}. */
export const EFFECT_ANNOTATIONS: Record<Effect, Required<Omit<ToolAnnotations, 'title'>>> = {
  read: { readOnlyHint: true, destructiveHint: false, idempotentHint: true, openWorldHint: true },
  idempotent: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: true,
    openWorldHint: true,
  },
  write: {
    readOnlyHint: false,
    destructiveHint: false,
    idempotentHint: false,
    openWorldHint: true,
  },
  destructive: {
    readOnlyHint: false,
    destructiveHint: true,
    idempotentHint: false,
    openWorldHint: true,
  },
};

/**
 * The one rule for a tool's annotations (`docs/design/tools.md`): the effect's row, except that a
 * confirmation-gated tool is always `destructiveHint: true` (a client that asks before
 * destructive tools asks before an unlock too), and a tool that only reads local state is
 * `openWorldHint: false`. The effect itself stays what it is: it also decides whether a command
 * may be resent after an unknown outcome (`src/commands/effect.ts`), and an unlock may be.
 */
export function annotationsFor(
  effect: Effect,
  o: { gated: boolean; local: boolean },
): Required<Omit<ToolAnnotations, 'title'>> {
  const a = { ...EFFECT_ANNOTATIONS[effect] };
  if (o.gated) a.destructiveHint = true;
  if (o.local) a.openWorldHint = false;
  return a;
}

/**
 * A tool's annotations as `tools/list` sends them: the hints whose value differs from the default
 * the MCP schema gives (`ToolAnnotations`: readOnlyHint false, destructiveHint true,
 * idempotentHint false, openWorldHint true; destructiveHint and idempotentHint "meaningful only
 * when readOnlyHint == false"), plus `destructiveHint: true` whenever it is true: every
 * destructive or gated tool says so on the wire, for clients that do not apply the defaults.
 * Dropping the other defaults keeps the list ~9 KB shorter.
 */
export function wireAnnotations(a: ToolAnnotations): ToolAnnotations | undefined {
  const out: ToolAnnotations = {};
  if (a.readOnlyHint === true) out.readOnlyHint = true;
  else {
    if (a.destructiveHint !== undefined) out.destructiveHint = a.destructiveHint;
    if (a.idempotentHint === true) out.idempotentHint = true;
  }
  if (a.openWorldHint === false) out.openWorldHint = false;
  return Object.keys(out).length ? out : undefined;
}

/** What a handler gets besides its arguments: progress reporting and cancellation. */
export interface ToolContext {
  signal: AbortSignal;
  /** Sends a `notifications/progress` when the client asked for progress (else a no-op). */
  progress(progress: number, total?: number, message?: string): Promise<void>;
  /** The session's toolsets (for `enable_toolsets`); absent outside a server. */
  toolsets?: ToolsetSession;
}

// biome-ignore lint/suspicious/noExplicitAny: the declaration list holds tools of any input shape.
export type AnyObject = z.ZodObject<any>;

export interface ToolSpec<I extends AnyObject> {
  /** `^[a-z][a-z0-9_]{0,47}$`; the Fleet API's own name where one exists. */
  name: string;
  title: string;
  /** At most 300 characters: what it does, what it costs, what it needs. */
  description: string;
  effect: Effect;
  /** Tesla OAuth scopes, any one of which allows the call (empty: local or partner tools). */
  scopes: readonly string[];
  /**
   * Set for risky commands (unlock, remote start, trunk, PINs, invites, erase...): the sentence
   * the user is asked to approve ("Unlock the doors of VIN"), or '' for arguments that need no
   * approval (Sentry Mode on). A tool with `confirm` is gated, so `destructiveHint: true`; the
   * server adds the `confirmation_token` input (`src/mcp/confirmations.ts`).
   */
  confirm?: (args: z.infer<I>) => string;
  /**
   * Set when the tool only reads state of this process or machine (billing summary, token
   * status, pairing link) and never calls Tesla: `openWorldHint: false`.
   */
  local?: true;
  /** A flat top-level object; `.describe()` on every field. */
  input: I;
  /**
   * The shape of a successful result, for tools whose results are structured: sent as
   * `outputSchema`, so clients can check `structuredContent`. Objects stay open (Tesla adds
   * fields), and an error result (`{error}`) satisfies it too.
   */
  output?: AnyObject;
  handler: (args: z.infer<I>, deps: ToolDeps, ctx: ToolContext) => Promise<unknown>;
}

/** A declared tool: the spec plus its annotations. */
export interface Tool<I extends AnyObject = AnyObject> extends ToolSpec<I> {
  readonly annotations: ToolAnnotations;
}

export function defineTool<I extends AnyObject>(spec: ToolSpec<I>): Tool<I> {
  return {
    ...spec,
    annotations: {
      title: spec.title,
      ...annotationsFor(spec.effect, {
        gated: spec.confirm !== undefined,
        local: spec.local === true,
      }),
    },
  };
}

/** A text block, or a file embedded as an MCP resource (base64 `blob`). */
export type ToolContent =
  | { type: 'text'; text: string }
  | { type: 'resource'; resource: { uri: string; mimeType: string; blob: string } };

export interface ToolResult {
  [key: string]: unknown;
  content: ToolContent[];
  structuredContent?: Record<string, unknown>;
  isError?: boolean;
}

/**
 * A handler result that carries a file (the charging invoice PDF): the model gets `summary` as
 * structured content and text, and the bytes as an MCP embedded resource (`blob`, base64).
 */
export class EmbeddedFile {
  constructor(
    readonly uri: string,
    readonly mimeType: string,
    readonly bytes: Uint8Array,
    readonly summary: Record<string, unknown>,
  ) {}
}

/** Wraps a handler's plain value as structured content plus the same JSON as text. */
export function toToolResult(value: unknown, simulated: boolean): ToolResult {
  if (value instanceof EmbeddedFile) {
    const structured: Record<string, unknown> = { ...value.summary };
    if (simulated) structured.simulated = true;
    return {
      content: [
        { type: 'text', text: JSON.stringify(structured) },
        {
          type: 'resource',
          resource: {
            uri: value.uri,
            mimeType: value.mimeType,
            blob: Buffer.from(value.bytes).toString('base64'),
          },
        },
      ],
      structuredContent: structured,
    };
  }
  let structured: Record<string, unknown>;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    structured = { ...(value as Record<string, unknown>) };
  } else {
    structured = { result: value ?? null };
  }
  if (simulated) structured.simulated = true;
  return {
    content: [{ type: 'text', text: JSON.stringify(structured) }],
    structuredContent: structured,
  };
}

/**
 * Any failure as an `isError` result. The text names what failed, whether the command may have
 * executed, and the next step; `structuredContent.error = {code, retryable, mayHaveSucceeded}`.
 * `redact` removes known secret values (tokens, API key) in case a lower layer leaked one.
 */
export function toToolError(
  err: unknown,
  o: { simulated?: boolean; redact?: (text: string) => string } = {},
): ToolResult {
  const d = describeError(err);
  const redact = o.redact ?? ((s: string) => s);
  const outcome = d.mayHaveSucceeded
    ? 'The command may have executed: check the vehicle state before sending it again.'
    : 'Nothing was executed.';
  const message = /[.!?]$/.test(d.message) ? d.message : `${d.message}.`;
  const text = redact(`${message} ${outcome}${d.next ? ` Next: ${d.next}` : ''}`);
  const error: Record<string, unknown> = {
    code: d.code,
    retryable: d.retryable,
    mayHaveSucceeded: d.mayHaveSucceeded,
    message: redact(d.message),
  };
  if (d.nextTool) error.nextTool = d.nextTool;
  for (const [k, v] of Object.entries(d.extra)) error[k] = typeof v === 'string' ? redact(v) : v;
  const structured: Record<string, unknown> = { error };
  if (o.simulated) structured.simulated = true;
  return { content: [{ type: 'text', text }], structuredContent: structured, isError: true };
}
