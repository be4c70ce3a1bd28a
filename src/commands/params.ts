/**
 * Reading the Fleet API's JSON command parameters exactly as Tesla's Go proxy does
 * (vehicle-command pkg/proxy/command.go: `getString`, `getBool`, `getNumber`, `getDays`,
 * `getPolicy`, `getTimeAfterMidnight`), so that our proxy and tools accept and refuse the same
 * bodies:
 *
 * - numbers must be JSON numbers, bools JSON bools, strings strings; a present value of the
 *   wrong type (including `null`) is "invalid X param";
 * - a missing required param is "missing X param";
 * - a missing optional param reads as 0 / false / "".
 *
 * @module
 */
import type { ChargingPolicy } from './charging.js';
import type { ScheduleLocations } from './check.js';
import type { BuildContext } from './types.js';

/** A parameter the Go proxy would refuse; `message` is the Go proxy's reason text. */
export class CommandParamError extends Error {
  override readonly name = 'CommandParamError';
  /** The JSON parameter at fault, when there is one. */
  readonly param: string | undefined;

  constructor(message: string, param?: string) {
    super(message);
    this.param = param;
  }
}

export type Params = Readonly<Record<string, unknown>>;

function has(p: Params, key: string): boolean {
  return Object.hasOwn(p, key) && p[key] !== undefined;
}

const missing = (key: string) => new CommandParamError(`missing ${key} param`, key);
const invalid = (key: string) => new CommandParamError(`invalid ${key} param`, key);

/** A JSON string; absent and optional gives "". */
export function getString(p: Params, key: string, required: boolean): string {
  if (has(p, key)) {
    const v = p[key];
    if (typeof v === 'string') return v;
    throw invalid(key);
  }
  if (!required) return '';
  throw missing(key);
}

/** A JSON bool; absent and optional gives false. */
export function getBool(p: Params, key: string, required: boolean): boolean {
  if (has(p, key)) {
    const v = p[key];
    if (typeof v === 'boolean') return v;
    throw invalid(key);
  }
  if (!required) return false;
  throw missing(key);
}

/** A JSON number (Go float64); absent and optional gives 0. */
export function getNumber(p: Params, key: string, required: boolean): number {
  if (has(p, key)) {
    const v = p[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    throw invalid(key);
  }
  if (!required) return 0;
  throw missing(key);
}

/** Go's conversion of a float64 to an integer type: truncation toward zero. */
export function goInt(n: number): number {
  return Math.trunc(n) + 0; // + 0 turns -0 into 0
}

/** Day-name bits of `days_of_week` (command.go `dayNamesBitMask`); "TUE" and "THU" are not names. */
export const DAY_BITS: ReadonlyMap<string, number> = new Map([
  ['SUN', 1],
  ['SUNDAY', 1],
  ['MON', 2],
  ['MONDAY', 2],
  ['TUES', 4],
  ['TUESDAY', 4],
  ['WED', 8],
  ['WEDNESDAY', 8],
  ['THURS', 16],
  ['THURSDAY', 16],
  ['FRI', 32],
  ['FRIDAY', 32],
  ['SAT', 64],
  ['SATURDAY', 64],
  ['ALL', 127],
  ['WEEKDAYS', 62],
]);

/** Parses a comma list of day names (case-insensitive) into the schedule bit mask. */
export function parseDays(days: string): number {
  let mask = 0;
  for (const d of days.split(',')) {
    const bits = DAY_BITS.get(d.toUpperCase().trim());
    if (bits === undefined) throw new CommandParamError(`unrecognized day name: ${d}`);
    mask |= bits;
  }
  return mask;
}

/** `days_of_week`: a string param holding a comma list of day names. */
export function getDays(p: Params, key: string, required: boolean): number {
  return parseDays(getString(p, key, required));
}

/** command.go `getPolicy`: weekdays-only wins, else enabled means all week, else off. */
export function getPolicy(p: Params, enabledKey: string, weekdaysOnlyKey: string): ChargingPolicy {
  const enabled = getBool(p, enabledKey, false);
  const weekdaysOnly = getBool(p, weekdaysOnlyKey, false);
  if (weekdaysOnly) return 'weekdays';
  if (enabled) return 'all_week';
  return 'off';
}

/** command.go `getTimeAfterMidnight`: optional minutes, truncated to whole minutes. */
export function getMinutesAfterMidnight(p: Params, key: string): number {
  return goInt(getNumber(p, key, false));
}

/**
 * command.go's schedule `id`: 0 (or absent) means "now" in Unix seconds. Builders have no clock,
 * so the caller passes it as `ctx.now`.
 */
export function getScheduleId(p: Params, ctx: BuildContext | undefined): number {
  const id = getNumber(p, 'id', false);
  if (id !== 0) return goInt(id);
  if (ctx?.now === undefined) {
    throw new TypeError(
      'commands: id 0 means "now": pass { now: Date.now() } as the build context',
    );
  }
  return Math.floor(ctx.now / 1000);
}

/** The `home`, `work`, `other` flags of a batch schedule removal (all optional). */
export const getLocations = (p: Params): ScheduleLocations => ({
  home: getBool(p, 'home', false),
  work: getBool(p, 'work', false),
  other: getBool(p, 'other', false),
});
