/**
 * Toolset `energy`: Powerwall and solar sites (site info, live power, history, backup reserve,
 * operation mode, storm mode, grid export, off-grid EV reserve, time-of-use). Opt-in.
 *
 * @module
 */
import { z } from 'zod';
import { ToolInputError } from '../errors.js';
import { ENERGY_CMDS, ENERGY_DATA } from '../fields.js';
import { defineTool, type Effect } from '../tool.js';

const siteId = z
  .string()
  .regex(/^\d{1,20}$/)
  .describe('energy_site_id from products.');
const sitePath = (id: string, tail: string) => `/api/1/energy_sites/${id}${tail}`;
const dateTime = (what: string) => z.string().max(40).optional().describe(`${what} (ISO 8601).`);
const timeZone = z.string().max(64).optional().describe('IANA time zone, e.g. Europe/Berlin.');

const siteRead = (name: string, title: string, description: string, tail: string) =>
  defineTool({
    name,
    title,
    description,
    effect: 'read',
    scopes: ENERGY_DATA,
    input: z.object({ energy_site_id: siteId }),
    handler: async (a, deps, ctx) =>
      deps.fleet.request('GET', sitePath(a.energy_site_id, tail), { signal: ctx.signal }),
  });

const history = (
  name: string,
  title: string,
  description: string,
  tail: string,
  kinds: readonly [string, ...string[]],
) =>
  defineTool({
    name,
    title,
    description,
    effect: 'read',
    scopes: ENERGY_DATA,
    input: z.object({
      energy_site_id: siteId,
      kind: z.enum(kinds).optional().describe(`History kind (default ${kinds[0]}).`),
      period: z.enum(['day', 'week', 'month', 'year']).optional().describe('Period (default day).'),
      start_date: dateTime('Start'),
      end_date: dateTime('End'),
      time_zone: timeZone,
    }),
    handler: async (a, deps, ctx) =>
      deps.fleet.request('GET', sitePath(a.energy_site_id, tail), {
        signal: ctx.signal,
        query: {
          kind: a.kind ?? kinds[0],
          period: a.period ?? 'day',
          start_date: a.start_date,
          end_date: a.end_date,
          time_zone: a.time_zone,
        },
      }),
  });

function siteWrite<S extends Record<string, z.ZodType>>(o: {
  name: string;
  title: string;
  description: string;
  effect?: Effect;
  tail: string;
  shape: S;
  body: (a: z.infer<z.ZodObject<S>>) => Record<string, unknown>;
}) {
  return defineTool({
    name: o.name,
    title: o.title,
    description: o.description,
    effect: o.effect ?? 'idempotent',
    scopes: ENERGY_CMDS,
    input: z.object({ energy_site_id: siteId, ...o.shape }),
    handler: async (a, deps, ctx) => {
      const { energy_site_id, ...rest } = a as { energy_site_id: string } & z.infer<z.ZodObject<S>>;
      return deps.fleet.request('POST', sitePath(energy_site_id, o.tail), {
        signal: ctx.signal,
        body: o.body(rest as z.infer<z.ZodObject<S>>),
      });
    },
  });
}

export const energyTools = [
  siteRead(
    'site_info',
    'Energy site info',
    'Site configuration: Powerwalls, solar, backup reserve, operation mode, tariff.',
    '/site_info',
  ),
  siteRead(
    'live_status',
    'Energy live status',
    'Live power flows (solar, battery, grid, home in W), charge percent, grid status.',
    '/live_status',
  ),
  history(
    'calendar_history',
    'Energy history',
    'Energy or backup-event history for a period.',
    '/calendar_history',
    ['energy', 'backup'],
  ),
  history(
    'telemetry_history',
    'Wall Connector charge history',
    'Wall Connector charging history of the site.',
    '/telemetry_history',
    ['charge'],
  ),
  siteWrite({
    name: 'backup',
    title: 'Set backup reserve',
    description: 'Set the Powerwall backup reserve in percent (0-100).',
    tail: '/backup',
    shape: {
      backup_reserve_percent: z.number().int().min(0).max(100).describe('Reserve, percent.'),
    },
    body: (a) => ({ backup_reserve_percent: a.backup_reserve_percent }),
  }),
  siteWrite({
    name: 'operation',
    title: 'Set operation mode',
    description:
      'Set the Powerwall operation mode: self_consumption, autonomous (time-based) or backup.',
    tail: '/operation',
    shape: {
      mode: z.enum(['self_consumption', 'autonomous', 'backup']).describe('Operation mode.'),
    },
    body: (a) => ({ default_real_mode: a.mode }),
  }),
  siteWrite({
    name: 'storm_mode',
    title: 'Storm watch',
    description: 'Turn Storm Watch on or off (charge to full before severe weather).',
    tail: '/storm_mode',
    shape: { enabled: z.boolean().describe('true turns Storm Watch on.') },
    body: (a) => ({ enabled: a.enabled }),
  }),
  siteWrite({
    name: 'grid_import_export',
    title: 'Grid import/export rules',
    description: 'Allow or forbid grid charging with solar, and choose what may be exported.',
    tail: '/grid_import_export',
    shape: {
      disallow_charge_from_grid_with_solar_installed: z
        .boolean()
        .optional()
        .describe('true forbids charging the Powerwall from the grid.'),
      customer_preferred_export_rule: z
        .enum(['battery_ok', 'pv_only', 'never'])
        .optional()
        .describe('What may be exported to the grid.'),
    },
    body: (a) => {
      if (
        a.disallow_charge_from_grid_with_solar_installed === undefined &&
        a.customer_preferred_export_rule === undefined
      ) {
        throw new ToolInputError('Pass at least one of the two settings.');
      }
      const b: Record<string, unknown> = {};
      if (a.disallow_charge_from_grid_with_solar_installed !== undefined)
        b.disallow_charge_from_grid_with_solar_installed =
          a.disallow_charge_from_grid_with_solar_installed;
      if (a.customer_preferred_export_rule !== undefined)
        b.customer_preferred_export_rule = a.customer_preferred_export_rule;
      return b;
    },
  }),
  siteWrite({
    name: 'off_grid_vehicle_charging_reserve',
    title: 'Off-grid EV charging reserve',
    description: 'Battery percent kept when charging a vehicle during an outage (0-100).',
    tail: '/off_grid_vehicle_charging_reserve',
    shape: {
      off_grid_vehicle_charging_reserve_percent: z
        .number()
        .int()
        .min(0)
        .max(100)
        .describe('Reserve, percent.'),
    },
    body: (a) => ({
      off_grid_vehicle_charging_reserve_percent: a.off_grid_vehicle_charging_reserve_percent,
    }),
  }),
  siteWrite({
    name: 'time_of_use_settings',
    title: 'Time-of-use tariff',
    description: 'Replace the site tariff with a Tesla tariff_content_v2 JSON object.',
    tail: '/time_of_use_settings',
    shape: {
      tariff_content_v2_json: z.string().max(20_000).describe('tariff_content_v2 as JSON.'),
    },
    body: (a) => {
      let tariff: unknown;
      try {
        tariff = JSON.parse(a.tariff_content_v2_json);
      } catch {
        throw new ToolInputError('tariff_content_v2_json must be valid JSON.');
      }
      return { tou_settings: { tariff_content_v2: tariff } };
    },
  }),
] as const;
