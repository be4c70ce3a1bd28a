/**
 * Shared zod fields for tool inputs (every field described; units in names) and the helper
 * that declares a Fleet vehicle command as a tool ({@link commandTool}).
 *
 * @module
 */
import { z } from 'zod';
import { getCommand } from '../commands/registry.js';
import { DEVICE_DATA } from '../commands/scopes.js';
import type { FleetEndpoints } from '../fleet/api/index.js';
import { isVin, VIN_RE } from '../util/vin.js';
import type { ToolDeps } from './deps.js';
import { type AnyObject, defineTool, type Tool, type ToolContext } from './tool.js';

/**
 * A VIN argument (`src/util/vin.ts`). Checked with a refinement rather than a `pattern`, so the
 * rule costs no bytes in the `tools/list` entry of every tool that takes a vin.
 */
export const vinString = () =>
  z
    .string()
    .refine(isVin, { error: 'must be a 17-character VIN (letters and digits, no I, O, Q)' });

/**
 * The `vin` of every vehicle tool. It carries no description: it is in ~100 schemas (4 KB of
 * `tools/list`), and the server instructions say once what it defaults to.
 */
export const vin = vinString().optional();

/** One VIN in a list (`src/util/vin.ts`); handlers upper-case it. */
export const vinItem = z.string().regex(VIN_RE);

export const pin4 = (what: string) =>
  z
    .string()
    .regex(/^\d{4}$/)
    .describe(`4-digit ${what} PIN.`);

const ISO_8601 =
  /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether `s` is an ISO 8601 date (`2026-01-31`) or date-time (`2026-01-31T08:00:00Z`). */
export function isIsoDateTime(s: string): boolean {
  return s.length <= 40 && ISO_8601.test(s) && !Number.isNaN(Date.parse(s));
}

/** An optional ISO 8601 date or date-time that goes into a Fleet query string. */
export const isoDateTime = (what: string) =>
  z
    .string()
    .refine(isIsoDateTime, { error: 'must be an ISO 8601 date or date-time, e.g. 2026-01-31' })
    .optional()
    .describe(`${what} (ISO 8601).`);

/** Whether `s` names a time zone this runtime knows (IANA, e.g. `Europe/Berlin`). */
export function isTimeZone(s: string): boolean {
  if (s.length > 64 || !/^[A-Za-z][A-Za-z0-9_+\-/]*$/.test(s)) return false;
  try {
    new Intl.DateTimeFormat('en', { timeZone: s });
    return true;
  } catch {
    return false;
  }
}

export const latitude = z.number().min(-90).max(90).describe('Latitude, degrees.');
export const longitude = z.number().min(-180).max(180).describe('Longitude, degrees.');
export function minutesAfterMidnight(what: string): z.ZodNumber;
export function minutesAfterMidnight(what: string, optional: true): z.ZodOptional<z.ZodNumber>;
export function minutesAfterMidnight(what: string, optional?: true) {
  const text = `${what}, minutes after midnight.`;
  const n = z.number().int().min(0).max(1439);
  return optional ? n.optional().describe(text) : n.describe(text);
}
export const daysOfWeek = z
  .string()
  .regex(/^[A-Za-z, ]{3,80}$/)
  .describe('All, Weekdays, or a list like Mon,Tues,Wed,Thurs,Fri,Sat,Sun.');

/** Appended to the description of commands signed with our extension module (`proto-ext/`). */
export const EXTENSION_NOTE = "Signed with a message outside Tesla's public protos (see README).";

type Shape = Record<string, z.ZodType>;

/**
 * A Fleet vehicle command as a tool. Its description, effect and scopes are the registry row's
 * (`src/commands/registry-<toolset>.ts`): the tool adds only what is about MCP.
 */
export interface CommandToolSpec<S extends Shape> {
  /** The Fleet command name (`POST /api/1/vehicles/{vin}/command/<name>`). */
  name: string;
  title: string;
  /** Inputs besides `vin`. */
  shape?: S;
  /** Our inputs → the Fleet JSON body (default: the inputs unchanged). */
  toParams?: (args: z.infer<z.ZodObject<S>>) => Record<string, unknown>;
  confirm?: (args: z.infer<z.ZodObject<S>>, vin: string) => string;
}

/** Declares the tool for one Fleet vehicle command: resolves the VIN, then `deps.command`. */
export function commandTool<S extends Shape>(spec: CommandToolSpec<S>): Tool<AnyObject> {
  const input = z.object({ vin, ...(spec.shape ?? ({} as S)) });
  type Args = z.infer<z.ZodObject<S>> & { vin?: string | undefined };
  const toParams = (args: Args): Record<string, unknown> => {
    const { vin: _v, ...rest } = args;
    const own = rest as z.infer<z.ZodObject<S>>;
    return spec.toParams ? spec.toParams(own) : (own as Record<string, unknown>);
  };
  const confirm = spec.confirm;
  const row = getCommand(spec.name);
  if (!row) throw new Error(`mcp: ${spec.name} is not in the command registry`);
  const note = row.source === 'teslemetry-ext' ? ` ${EXTENSION_NOTE}` : '';
  return defineTool({
    name: spec.name,
    title: spec.title,
    description: `${row.description}${note}`,
    effect: row.effect,
    scopes: row.scopes,
    input,
    ...(confirm
      ? { confirm: (args: Args) => confirm(args, args.vin ?? 'the default vehicle') }
      : {}),
    handler: async (args: Args, deps: ToolDeps, ctx: ToolContext) => {
      const v = await deps.resolveVin(args.vin, ctx.signal);
      return deps.command(v, spec.name, toParams(args), { signal: ctx.signal });
    },
  } as unknown as Parameters<typeof defineTool>[0]);
}

/** A read tool on one vehicle: resolves the VIN, then `read` calls its `src/fleet/api` method. */
export const vinRead = (
  name: string,
  title: string,
  description: string,
  read: (api: FleetEndpoints, vin: string, signal: AbortSignal) => Promise<unknown>,
) =>
  defineTool({
    name,
    title,
    description,
    effect: 'read',
    scopes: DEVICE_DATA,
    input: z.object({ vin }),
    handler: async (a, deps, ctx) =>
      read(deps.fleet, await deps.resolveVin(a.vin, ctx.signal), ctx.signal),
  });
