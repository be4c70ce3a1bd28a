/**
 * Result shapes of the tools whose results are structured, sent as `outputSchema` (MCP spec,
 * server/tools "Output Schema"). They name the fields people ask about, typed as Tesla's Fleet
 * API documents them; objects stay open, since Tesla adds fields and `vehicle_data` with
 * `full` returns everything.
 *
 * @module
 */
import { z } from 'zod';

const str = z.string();
const num = z.number();
const bool = z.boolean();

export const vehicleOutput = z.object({
  vin: str,
  display_name: str.optional(),
  state: str.optional(),
  in_service: bool.optional(),
});

export const vehicleListOutput = z.object({ vehicles: z.array(vehicleOutput) });

export const vehicleDataOutput = z.object({
  vin: str,
  state: str.optional(),
  charge_state: z
    .object({
      battery_level: num.optional(),
      charge_limit_soc: num.optional(),
      charging_state: str.optional(),
    })
    .optional(),
  climate_state: z
    .object({ inside_temp: num.nullable().optional(), is_climate_on: bool.optional() })
    .optional(),
  vehicle_state: z.object({ locked: bool.optional(), sentry_mode: bool.optional() }).optional(),
  location: z.object({ latitude: num.optional(), longitude: num.optional() }).optional(),
});

export const fleetStatusOutput = z.object({
  key_paired_vins: z.array(str),
  unpaired_vins: z.array(str),
  vehicle_info: z.record(str, z.object({ firmware_version: str.optional() })).optional(),
});

const billingTotals = z.object({ data: num, command: num, wake: num });

export const billingOutput = z.object({
  text: str,
  scope: str.optional(),
  since: str.optional(),
  totals: billingTotals.optional(),
  costUsd: num.optional(),
  thisProcess: z.object({ since: str, totals: billingTotals, costUsd: num }).optional(),
  sharedError: str.optional(),
  uncountedCalls: num.optional(),
});

export const liveStatusOutput = z.object({
  solar_power: num.optional(),
  battery_power: num.optional(),
  grid_power: num.optional(),
  load_power: num.optional(),
  percentage_charged: num.optional(),
  grid_status: str.optional(),
  storm_mode_active: bool.optional(),
});
