/**
 * Toolset `charging`: charge start/stop, limits, amps, port, schedules, departure, managed
 * charging (REST; in `account`), and Supercharging history, sessions and invoices (in `account`).
 *
 * @module
 */
import { z } from 'zod';
import { DEVICE_DATA } from '../../commands/scopes.js';
import { ToolInputError } from '../errors.js';
import {
  commandTool,
  daysOfWeek,
  isoDateTime,
  latitude,
  longitude,
  minutesAfterMidnight,
  vinString,
} from '../fields.js';
import { defineTool, EmbeddedFile } from '../tool.js';

export const chargingTools = [
  commandTool({
    name: 'charge_start',
    title: 'Start charging',
  }),
  commandTool({
    name: 'charge_stop',
    title: 'Stop charging',
  }),
  commandTool({
    name: 'charge_standard',
    title: 'Standard charge limit',
  }),
  commandTool({
    name: 'charge_max_range',
    title: 'Max range charge limit',
  }),
  commandTool({
    name: 'set_charge_limit',
    title: 'Set charge limit',
    shape: { percent: z.number().int().min(50).max(100).describe('Charge limit, percent.') },
  }),
  commandTool({
    name: 'set_charging_amps',
    title: 'Set charging current',
    shape: { charging_amps: z.number().int().min(1).max(80).describe('Charging current, A.') },
  }),
  commandTool({
    name: 'charge_port_door_open',
    title: 'Open charge port',
  }),
  commandTool({
    name: 'charge_port_door_close',
    title: 'Close charge port',
  }),
  commandTool({
    name: 'set_scheduled_charging',
    title: 'Scheduled charging',
    shape: {
      enable: z.boolean().describe('true to enable scheduled charging.'),
      time_minutes: minutesAfterMidnight('Start time', true),
    },
    toParams: (a) => ({ enable: a.enable, time: a.time_minutes ?? 0 }),
  }),
  commandTool({
    name: 'set_scheduled_departure',
    title: 'Scheduled departure',
    shape: {
      enable: z.boolean().describe('true to enable scheduled departure.'),
      departure_time_minutes: minutesAfterMidnight('Departure time', true),
      preconditioning_enabled: z.boolean().optional().describe('Precondition.'),
      preconditioning_weekdays_only: z.boolean().optional().describe('Weekdays only.'),
      off_peak_charging_enabled: z.boolean().optional().describe('Off-peak charging.'),
      off_peak_charging_weekdays_only: z.boolean().optional().describe('Weekdays only.'),
      end_off_peak_time_minutes: minutesAfterMidnight('End of off-peak hours', true),
    },
    toParams: (a) => ({
      enable: a.enable,
      departure_time: a.departure_time_minutes ?? 0,
      preconditioning_enabled: a.preconditioning_enabled ?? false,
      preconditioning_weekdays_only: a.preconditioning_weekdays_only ?? false,
      off_peak_charging_enabled: a.off_peak_charging_enabled ?? false,
      off_peak_charging_weekdays_only: a.off_peak_charging_weekdays_only ?? false,
      end_off_peak_time: a.end_off_peak_time_minutes ?? 0,
    }),
  }),
  commandTool({
    name: 'add_charge_schedule',
    title: 'Add charge schedule',
    shape: {
      id: z
        .number()
        .int()
        .min(0)
        .max(4_294_967_295)
        .optional()
        .describe('Id to replace; omit for new.'),
      days_of_week: daysOfWeek,
      lat: latitude,
      lon: longitude,
      start_time_minutes: minutesAfterMidnight('Start time', true),
      end_time_minutes: minutesAfterMidnight('End time', true),
      one_time: z.boolean().optional().describe('Run once.'),
      enabled: z.boolean().optional().describe('Enabled (default true).'),
    },
    toParams: (a) => ({
      id: a.id ?? 0,
      days_of_week: a.days_of_week,
      lat: a.lat,
      lon: a.lon,
      start_enabled: a.start_time_minutes !== undefined,
      start_time: a.start_time_minutes ?? 0,
      end_enabled: a.end_time_minutes !== undefined,
      end_time: a.end_time_minutes ?? 0,
      one_time: a.one_time ?? false,
      enabled: a.enabled ?? true,
    }),
  }),
  removeScheduleTool('charge'),
  batchRemoveSchedulesTool('charge'),
] as const;

function parseBody(text: string): Record<string, unknown> {
  try {
    const v: unknown = JSON.parse(text);
    if (v !== null && typeof v === 'object' && !Array.isArray(v))
      return v as Record<string, unknown>;
  } catch {}
  throw new ToolInputError('body_json must be a JSON object.');
}

/** Supercharging history and invoices, business-fleet charging: in the `account` toolset. */
export const fleetChargingTools = [
  defineTool({
    name: 'charging_history',
    title: 'Supercharging history',
    description:
      'Paid Supercharger sessions (newest first), optionally for one VIN and a time range. One data request.',
    effect: 'read',
    scopes: DEVICE_DATA,
    input: z.object({
      vin: vinString().optional().describe('Only sessions of this VIN (default: all vehicles).'),
      start_time: isoDateTime('Start of the range'),
      end_time: isoDateTime('End of the range'),
      page: z.number().int().min(1).max(1000).optional().describe('Page number (default 1).'),
      page_size: z.number().int().min(1).max(100).optional().describe('Page size (default 25).'),
    }),
    handler: async (a, deps, ctx) =>
      deps.fleet.charging.history({
        vin: a.vin,
        startTime: a.start_time,
        endTime: a.end_time,
        pageNo: a.page ?? 1,
        pageSize: a.page_size ?? 25,
        sortBy: 'StartDateTime',
        sortOrder: 'DESC',
        signal: ctx.signal,
      }),
  }),
  defineTool({
    name: 'charging_invoice',
    title: 'Charging invoice',
    description:
      'One Supercharging invoice by id (invoices[].contentId in charging_history): the PDF as an embedded resource, with its size. One data request.',
    effect: 'read',
    scopes: DEVICE_DATA,
    input: z.object({
      id: z
        .string()
        .regex(/^[A-Za-z0-9-]{1,64}$/)
        .describe('Invoice id from charging_history.'),
    }),
    // Tesla answers with the invoice PDF (Fleet API docs, "Charging Endpoints"): the bytes go to
    // the client as an MCP embedded resource (`blob`), never through JSON.
    handler: async (a, deps, ctx) => {
      const pdf = await deps.fleet.charging.invoice(a.id, ctx.signal);
      const isPdf = Buffer.from(pdf.subarray(0, 5)).toString('latin1') === '%PDF-';
      const mimeType = isPdf ? 'application/pdf' : 'application/octet-stream';
      return new EmbeddedFile(`tesla://charging/invoice/${a.id}`, mimeType, pdf, {
        id: a.id,
        content_type: mimeType,
        size_bytes: pdf.byteLength,
      });
    },
  }),
  defineTool({
    name: 'charging_sessions',
    title: 'Charging sessions (business)',
    description:
      'Charging sessions of business fleet accounts, optionally filtered. One data request.',
    effect: 'read',
    scopes: DEVICE_DATA,
    input: z.object({
      vin: vinString().optional().describe('Only sessions of this VIN.'),
      date_from: isoDateTime('Start date'),
      date_to: isoDateTime('End date'),
      limit: z.number().int().min(1).max(100).optional().describe('Max sessions (default 25).'),
      offset: z.number().int().min(0).max(100_000).optional().describe('Sessions to skip.'),
    }),
    handler: async (a, deps, ctx) =>
      deps.fleet.charging.sessions({
        vin: a.vin,
        dateFrom: a.date_from,
        dateTo: a.date_to,
        limit: a.limit ?? 25,
        offset: a.offset,
        signal: ctx.signal,
      }),
  }),
  ...(
    [
      'set_managed_charge_current_request',
      'set_managed_charger_location',
      'set_managed_scheduled_charging_time',
    ] as const
  ).map((name) =>
    commandTool({
      name,
      title: name.replace(/_/g, ' ').replace(/^set managed/, 'Managed charging:'),
      shape: {
        body_json: z.string().max(2000).describe('The JSON object body from Tesla docs.'),
      },
      toParams: (a) => parseBody(a.body_json),
    }),
  ),
] as const;

/** `remove_charge_schedule` / `remove_precondition_schedule`: one schedule by id. */
export function removeScheduleTool(kind: 'charge' | 'precondition') {
  return commandTool({
    name: `remove_${kind}_schedule`,
    title: `Remove ${kind} schedule`,
    shape: { id: z.number().int().min(0).max(4_294_967_295).describe('Schedule id.') },
    confirm: (a, vin) => `Remove ${kind} schedule ${a.id} from ${vin}.`,
  });
}

/** `batch_remove_charge_schedules` / `batch_remove_precondition_schedules`: same shape. */
export function batchRemoveSchedulesTool(kind: 'charge' | 'precondition') {
  return commandTool({
    name: `batch_remove_${kind}_schedules`,
    title: `Remove ${kind} schedules`,
    shape: {
      home: z.boolean().optional().describe('At home.'),
      work: z.boolean().optional().describe('At work.'),
      other: z.boolean().optional().describe('Elsewhere.'),
    },
    toParams: (a) => ({ home: a.home ?? false, work: a.work ?? false, other: a.other ?? false }),
    confirm: (a, vin) => `Remove all ${kind} schedules (${locationsText(a)}) from ${vin}.`,
  });
}

/** "home, work" for the confirmation text. */
export function locationsText(a: {
  home?: boolean | undefined;
  work?: boolean | undefined;
  other?: boolean | undefined;
}): string {
  const where = (['home', 'work', 'other'] as const).filter((k) => a[k]);
  return where.length ? where.join(', ') : 'no location selected';
}
