/**
 * Tool arguments are checked here, not by the SDK: the SDK answers a bad argument with a
 * JSON-RPC-style text ("MCP error -32602: Input validation error") and no structure, while every
 * other failure is an `isError` result with `structuredContent.error.code`. So the server
 * registers each tool with a schema that accepts any object and calls {@link parseArguments}
 * with the tool's own strict schema; a failure becomes `invalid_argument` with a sentence
 * naming each field.
 *
 * @module
 */
import type { z } from 'zod';
import { ToolInputError } from './errors.js';
import type { AnyObject } from './tool.js';

/** At most this many problems are named in one message. */
const MAX_ISSUES = 5;

/** The parsed arguments, or throws {@link ToolInputError} naming the fields at fault. */
export function parseArguments(
  toolName: string,
  input: AnyObject,
  raw: unknown,
): Record<string, unknown> {
  const r = input.safeParse(raw ?? {});
  if (r.success) return r.data as Record<string, unknown>;
  throw new ToolInputError(describeIssues(toolName, input, raw, r.error));
}

function describeIssues(toolName: string, input: AnyObject, raw: unknown, e: z.ZodError): string {
  const fields = Object.keys(input.shape);
  const parts = e.issues.slice(0, MAX_ISSUES).map((i) => {
    if (i.code === 'unrecognized_keys') {
      const names = i.keys.map((k) => JSON.stringify(k.slice(0, 40))).join(', ');
      const takes = fields.length ? `it takes ${fields.join(', ')}` : 'it takes no arguments';
      return `${names} ${i.keys.length > 1 ? 'are not parameters' : 'is not a parameter'} of ${toolName} (${takes})`;
    }
    const field = i.path.map(String).join('.') || 'arguments';
    if (i.code === 'invalid_type' && valueAt(raw, i.path) === undefined)
      return `${field} is required`;
    return `${field}: ${i.message}`;
  });
  const more = e.issues.length > MAX_ISSUES ? ` (and ${e.issues.length - MAX_ISSUES} more)` : '';
  return `Invalid arguments for ${toolName}: ${parts.join('; ')}${more}.`;
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
