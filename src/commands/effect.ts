/**
 * What running a command or a tool does to the world, and the resend rule that follows from it.
 * The MCP annotations (`src/mcp/tool.ts`), `--read-only`, the dispatcher's retries and the
 * proxy all read these; nothing else spells them out.
 *
 * | effect | example | may be resent after an unknown outcome |
 * | --- | --- | --- |
 * | `read` | `vehicle_data` | yes |
 * | `idempotent` | `set_charge_limit`, `door_lock` | yes: once more is the same as once |
 * | `write` | `honk_horn`, `actuate_trunk` (it toggles) | no |
 * | `destructive` | `erase_user_data`, key removal | no |
 *
 * @module
 */

export const EFFECTS = ['read', 'idempotent', 'write', 'destructive'] as const;

/** What running a command does: drives MCP annotations, `--read-only` and the resend rule. */
export type Effect = (typeof EFFECTS)[number];

/**
 * Whether a command may be sent again when the first attempt's outcome is unknown (a dropped
 * reply, a timeout after sending): only when running it twice is the same as running it once.
 * A `write` or `destructive` command is never resent blindly; the caller is told it may have
 * executed instead (vehicle-command's `mayHaveSucceeded`).
 */
export function mayResend(effect: Effect): boolean {
  return effect === 'read' || effect === 'idempotent';
}
