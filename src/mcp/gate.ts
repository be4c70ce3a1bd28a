/**
 * The confirmation gate in front of risky tools (`--confirm`, `TESLA_MCP_CONFIRM`):
 *
 * - `elicit` (default): MCP elicitation where the client supports it, so the user answers in the
 *   client; elsewhere the first call runs nothing and answers with what would happen and a
 *   one-time `confirmation_token` (`./confirmations.ts`); only a second call with that token,
 *   the same arguments and in the same MCP session runs the command.
 * - `never`: risky tools run at once. `deny`: they are refused.
 *
 * A tool is gated when it declares `confirm` (`./tool.ts`); the sentence may be empty for
 * arguments that need no approval (Sentry Mode on).
 *
 * @module
 */
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import type { Confirmations, Redemption } from './confirmations.js';
import { type Tool, type ToolResult, toToolError, toToolResult } from './tool.js';

export type ConfirmMode = 'elicit' | 'never' | 'deny';
export const CONFIRM_MODES: readonly ConfirmMode[] = ['elicit', 'never', 'deny'];

/**
 * The input gated tools get in `elicit` mode (added by the server: declared once, here). Like
 * `vin` it carries no description: it is in every gated tool's schema, and the server
 * instructions say once where it comes from (a `confirmation_required` answer).
 */
export const TOKEN_FIELD = 'confirmation_token';
export const TOKEN_INPUT = z
  .string()
  .refine((s) => s.length <= 100, { error: 'is not a confirmation token' })
  .optional();

export interface Gate {
  mode: ConfirmMode;
  mcp: McpServer;
  simulated: boolean;
  confirmations: Confirmations;
  /** The MCP session this call belongs to. */
  session: string;
}

/** Why a presented token does not allow the call, for the model. */
const REFUSED: Record<Exclude<Redemption, 'ok'>, string> = {
  unknown: 'is unknown or was already used (each token allows one call)',
  expired: 'has expired (tokens last 5 minutes)',
  mismatch: 'was issued for another tool, other arguments or another session',
};

/**
 * Undefined when the call may run; otherwise the answer to send instead (the confirmation
 * request, the user's refusal, or why the token does not allow it). `args` are the validated
 * arguments without the token.
 */
export async function confirmGate(
  tool: Tool,
  args: Record<string, unknown>,
  token: string | undefined,
  g: Gate,
): Promise<ToolResult | undefined> {
  const what = tool.confirm?.(args);
  if (!what || g.mode === 'never') return undefined;
  if (g.mode === 'deny') {
    return toToolError(
      Object.assign(
        new Error(
          `${tool.name} is refused: this server runs with --confirm deny (TESLA_MCP_CONFIRM=deny), which blocks risky commands.`,
        ),
        { code: 'confirmation_denied' },
      ),
      { simulated: g.simulated },
    );
  }
  if (g.mcp.server.getClientCapabilities()?.elicitation) return elicit(what, g);
  const call = { tool: tool.name, session: g.session, args };
  if (token !== undefined) {
    const r = await g.confirmations.redeem(token, call);
    if (r === 'ok') return undefined;
    return toToolError(
      Object.assign(
        new Error(
          `${TOKEN_FIELD} ${REFUSED[r]}: call ${tool.name} without ${TOKEN_FIELD} for a new one, and ask the user again.`,
        ),
        { code: 'confirmation_invalid' },
      ),
      { simulated: g.simulated },
    );
  }
  const issued = await g.confirmations.issue(call);
  return toToolResult(
    {
      executed: false,
      status: 'confirmation_required',
      action: what,
      [TOKEN_FIELD]: issued.token,
      expires_in_seconds: g.confirmations.ttlSeconds,
      next: `Nothing was sent. Tell the user exactly what this does ("${what}") and ask them. Only if they agree, call ${tool.name} again with the same arguments plus ${TOKEN_FIELD}. The token works once, for these arguments, in this session.`,
    },
    g.simulated,
  );
}

async function elicit(what: string, g: Gate): Promise<ToolResult | undefined> {
  let accepted = false;
  try {
    const r = await g.mcp.server.elicitInput({
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
    g.simulated,
  );
}
