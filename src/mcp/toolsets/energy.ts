/**
 * Toolset `energy`: Powerwall and solar sites (site info, live power, history, backup reserve,
 * operation mode, storm mode, grid export, off-grid EV reserve, time-of-use). Opt-in.
 *
 * @module
 */
import { z } from 'zod';
import type { Effect } from '../../commands/effect.js';
import { ENERGY_CMDS, ENERGY_DATA } from '../../commands/scopes.js';
import type { EnergyApi, EnergyPeriod } from '../../fleet/api/energy.js';
import { ToolInputError } from '../errors.js';
import { isoDateTime, isTimeZone } from '../fields.js';
import { liveStatusOutput } from '../outputs.js';
import { type AnyObject, defineTool } from '../tool.js';

const siteId = z
  .string()
  .regex(/^\d{1,20}$/)
  .describe('energy_site_id from products.');
const timeZone = z
  .string()
  .refine(isTimeZone, { error: 'must be an IANA time zone, e.g. Europe/Berlin' })
  .optional()
  .describe('IANA time zone, e.g. Europe/Berlin.');

const siteRead = (
  name: string,
  title: string,
  description: string,
  read: (energy: EnergyApi, id: string, signal: AbortSignal) => Promise<unknown>,
  output?: AnyObject,
) =>
  defineTool({
    name,
    title,
    description,
    effect: 'read',
    scopes: ENERGY_DATA,
    input: z.object({ energy_site_id: siteId }),
    ...(output ? { output } : {}),
    handler: async (a, deps, ctx) => read(deps.fleet.energy, a.energy_site_id, ctx.signal),
  });

interface HistoryQuery<K extends string> {
  kind: K;
  period: EnergyPeriod;
  startDate: string | undefined;
  endDate: string | undefined;
  timeZone: string | undefined;
  signal: AbortSignal;
}

const history = <K extends string>(
  name: string,
  title: string,
  description: string,
  kinds: readonly [K, ...K[]],
  read: (energy: EnergyApi, id: string, q: HistoryQuery<K>) => Promise<unknown>,
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
      start_date: isoDateTime('Start'),
      end_date: isoDateTime('End'),
      time_zone: timeZone,
    }),
    handler: async (a, deps, ctx) =>
      read(deps.fleet.energy, a.energy_site_id, {
        kind: (a.kind ?? kinds[0]) as K,
        period: a.period ?? 'day',
        startDate: a.start_date,
        endDate: a.end_date,
        timeZone: a.time_zone,
        signal: ctx.signal,
      }),
  });

function siteWrite<S extends Record<string, z.ZodType>>(o: {
  name: string;
  title: string;
  description: string;
  effect?: Effect;
  shape: S;
  /** The sentence the user approves (`docs/design/tools.md`: gated tools are `destructiveHint`). */
  confirm?: (energySiteId: string) => string;
  write: (
    energy: EnergyApi,
    id: string,
    a: z.infer<z.ZodObject<S>>,
    signal: AbortSignal,
  ) => Promise<unknown>;
}) {
  const confirm = o.confirm;
  return defineTool({
    name: o.name,
    title: o.title,
    description: o.description,
    effect: o.effect ?? 'idempotent',
    scopes: ENERGY_CMDS,
    input: z.object({ energy_site_id: siteId, ...o.shape }),
    ...(confirm
      ? { confirm: (a: Record<string, unknown>) => confirm(String(a.energy_site_id)) }
      : {}),
    handler: async (a, deps, ctx) => {
      const { energy_site_id, ...rest } = a as { energy_site_id: string } & z.infer<z.ZodObject<S>>;
      return o.write(
        deps.fleet.energy,
        energy_site_id,
        rest as z.infer<z.ZodObject<S>>,
        ctx.signal,
      );
    },
  });
}

export const energyTools = [
  siteRead(
    'site_info',
    'Energy site info',
    'Site configuration: Powerwalls, solar, backup reserve, operation mode, tariff.',
    (energy, id, signal) => energy.siteInfo(id, signal),
  ),
  siteRead(
    'live_status',
    'Energy live status',
    'Live power flows (solar, battery, grid, home in W), charge percent, grid status.',
    (energy, id, signal) => energy.liveStatus(id, signal),
    liveStatusOutput,
  ),
  history(
    'calendar_history',
    'Energy history',
    'Energy or backup-event history for a period.',
    ['energy', 'backup'],
    (energy, id, q) => energy.calendarHistory(id, q),
  ),
  history(
    'telemetry_history',
    'Wall Connector charge history',
    'Wall Connector charging history of the site.',
    ['charge'],
    (energy, id, { kind: _charge, ...q }) => energy.telemetryHistory(id, q),
  ),
  siteWrite({
    name: 'backup',
    title: 'Set backup reserve',
    description: 'Set the Powerwall backup reserve in percent (0-100).',
    shape: {
      backup_reserve_percent: z.number().int().min(0).max(100).describe('Reserve, percent.'),
    },
    write: (energy, id, a, signal) => energy.setBackupReserve(id, a.backup_reserve_percent, signal),
  }),
  siteWrite({
    name: 'operation',
    title: 'Set operation mode',
    description:
      'Set the Powerwall operation mode: self_consumption, autonomous (time-based) or backup.',
    shape: {
      mode: z.enum(['self_consumption', 'autonomous', 'backup']).describe('Operation mode.'),
    },
    write: (energy, id, a, signal) => energy.setOperationMode(id, a.mode, signal),
  }),
  siteWrite({
    name: 'storm_mode',
    title: 'Storm watch',
    description: 'Turn Storm Watch on or off (charge to full before severe weather).',
    shape: { enabled: z.boolean().describe('true turns Storm Watch on.') },
    write: (energy, id, a, signal) => energy.setStormMode(id, a.enabled, signal),
  }),
  siteWrite({
    name: 'grid_import_export',
    title: 'Grid import/export rules',
    description: 'Allow or forbid grid charging with solar, and choose what may be exported.',
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
    write: (energy, id, a, signal) => {
      if (
        a.disallow_charge_from_grid_with_solar_installed === undefined &&
        a.customer_preferred_export_rule === undefined
      ) {
        throw new ToolInputError('Pass at least one of the two settings.');
      }
      return energy.setGridImportExport(
        id,
        {
          disallowChargeFromGridWithSolarInstalled:
            a.disallow_charge_from_grid_with_solar_installed,
          customerPreferredExportRule: a.customer_preferred_export_rule,
        },
        signal,
      );
    },
  }),
  siteWrite({
    name: 'off_grid_vehicle_charging_reserve',
    title: 'Off-grid EV charging reserve',
    description: 'Battery percent kept when charging a vehicle during an outage (0-100).',
    shape: {
      off_grid_vehicle_charging_reserve_percent: z
        .number()
        .int()
        .min(0)
        .max(100)
        .describe('Reserve, percent.'),
    },
    write: (energy, id, a, signal) =>
      energy.setOffGridVehicleChargingReserve(
        id,
        a.off_grid_vehicle_charging_reserve_percent,
        signal,
      ),
  }),
  siteWrite({
    name: 'time_of_use_settings',
    title: 'Time-of-use tariff',
    description: 'Replace the site tariff with a Tesla tariff_content_v2 JSON object.',
    shape: {
      tariff_content_v2_json: z.string().max(20_000).describe('tariff_content_v2 as JSON.'),
    },
    confirm: (id) =>
      `Replace the time-of-use tariff of energy site ${id} with the one given; the current tariff is not kept.`,
    write: (energy, id, a, signal) => {
      let tariff: unknown;
      try {
        tariff = JSON.parse(a.tariff_content_v2_json);
      } catch {
        throw new ToolInputError('tariff_content_v2_json must be valid JSON.');
      }
      return energy.setTimeOfUseSettings(id, tariff as Record<string, unknown>, signal);
    },
  }),
] as const;
