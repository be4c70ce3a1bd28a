/**
 * Toolset `vehicle`: the vehicle list, state, data (trimmed), wake with progress, cheap
 * read endpoints, the virtual-key pairing link, software updates, naming, and the session's
 * billable-call summary.
 *
 * @module
 */
import { z } from 'zod';
import { COMMANDS } from '../../commands/registry.js';
import { DEVICE_DATA } from '../../commands/scopes.js';
import { DEFAULT_VEHICLE_DATA } from '../../fleet/api/vehicles.js';
import { cliCommand } from '../../util/cli-command.js';
import { pairingUrl } from '../../vehicle/pairing.js';
import { isAsleep } from '../deps.js';
import { ToolInputError } from '../errors.js';
import { commandTool, vin, vinItem, vinRead, vinString } from '../fields.js';
import {
  billingOutput,
  fleetStatusOutput,
  vehicleDataOutput,
  vehicleListOutput,
  vehicleOutput,
} from '../outputs.js';
import { projectVehicle, projectVehicleData } from '../projections.js';
import { defineTool } from '../tool.js';

/** A state as Tesla spells it; anything else counts as offline. */
const stateOf = (s: unknown) => (s === 'online' || s === 'asleep' ? s : 'offline');

/** The sections the tool offers: Tesla's default selection, and location on request. */
const ENDPOINTS = [...DEFAULT_VEHICLE_DATA, 'location_data'] as const;

export const vehicleTools = [
  defineTool({
    name: 'list_vehicles',
    title: 'List vehicles',
    description:
      'Vehicles on the account with VIN, name and state (online/asleep/offline). Cheap; never wakes a car.',
    effect: 'read',
    scopes: DEVICE_DATA,
    input: z.object({
      page: z.number().int().min(1).max(1000).optional().describe('Page number (default 1).'),
      per_page: z.number().int().min(1).max(100).optional().describe('Page size (default 100).'),
    }),
    output: vehicleListOutput,
    handler: async (a, deps, ctx) => {
      const r = await deps.fleet.vehicles.list({
        page: a.page,
        perPage: a.per_page,
        signal: ctx.signal,
      });
      for (const car of r) deps.states.note(String(car.vin), stateOf(car.state));
      return { vehicles: r.map(projectVehicle) };
    },
  }),
  defineTool({
    name: 'vehicle',
    title: 'Vehicle state',
    description:
      'One vehicle: name and state (online/asleep/offline). The cheapest check before a command; never wakes the car.',
    effect: 'read',
    scopes: DEVICE_DATA,
    input: z.object({ vin }),
    output: vehicleOutput,
    handler: async (a, deps, ctx) => {
      const v = await deps.resolveVin(a.vin, ctx.signal);
      const car = await deps.fleet.vehicles.get(v, ctx.signal);
      deps.states.note(v, stateOf((car as { state?: unknown }).state));
      return projectVehicle(car);
    },
  }),
  defineTool({
    name: 'vehicle_data',
    title: 'Vehicle data',
    description:
      'Live data: battery, charging, climate, locks, doors, software; trimmed unless full. Asleep cars answer "asleep". Location only on request.',
    effect: 'read',
    scopes: DEVICE_DATA,
    input: z.object({
      vin,
      endpoints: z
        .array(z.enum(ENDPOINTS))
        .max(ENDPOINTS.length)
        .optional()
        .describe('Sections to fetch (default all but location_data).'),
      full: z.boolean().optional().describe('Return the full untrimmed answer (large).'),
    }),
    output: vehicleDataOutput,
    handler: async (a, deps, ctx) => {
      const v = await deps.resolveVin(a.vin, ctx.signal);
      const data = await deps.fleet.vehicles
        .data(v, { endpoints: a.endpoints ?? DEFAULT_VEHICLE_DATA, signal: ctx.signal })
        .catch((err: unknown) => {
          if (isAsleep(err)) deps.states.note(v, 'asleep');
          throw err;
        });
      deps.states.note(v, 'online');
      deps.limits?.remember(v, data);
      return a.full ? data : projectVehicleData(data);
    },
  }),
  defineTool({
    name: 'wake_up',
    title: 'Wake vehicle',
    description:
      'Wake the vehicle and wait until online (with progress). No wake when already online (the state is read first, unless a call in the last 30 s said asleep); a real wake is billed and rate limited: only when a call said asleep.',
    // Effect and scopes are the registry row's, as for every command tool (`commandTool`).
    effect: COMMANDS.wake_up.effect,
    scopes: COMMANDS.wake_up.scopes,
    input: z.object({
      vin,
      wait_seconds: z
        .number()
        .int()
        .min(0)
        .max(120)
        .optional()
        .describe('How long to wait for online (default 60; 0 = do not wait).'),
    }),
    handler: async (a, deps, ctx) => {
      const v = await deps.resolveVin(a.vin, ctx.signal);
      const timeoutMs = (a.wait_seconds ?? 60) * 1000;
      const r = await deps.wake(v, {
        timeoutMs,
        signal: ctx.signal,
        onWake: () => void ctx.progress(0, timeoutMs, 'wake_up sent'),
        onPoll: (state, ms) =>
          void ctx.progress(Math.min(ms, timeoutMs), timeoutMs, `state: ${state}`),
      });
      const out: Record<string, unknown> = { ...r };
      if (!r.woke) {
        out.message =
          r.checked === 'recent_call'
            ? 'Already awake (a call seconds ago reached it): no wake sent.'
            : 'Already awake: no wake sent (one state read).';
      } else if (r.state !== 'online' && timeoutMs > 0) {
        out.hint = 'Not online yet: wait a minute, then call vehicle to check.';
      }
      return out;
    },
  }),
  vinRead(
    'mobile_enabled',
    'Mobile access enabled',
    'Whether mobile access is enabled in the vehicle settings.',
    async (api, v, signal) => ({ result: await api.vehicles.mobileEnabled(v, signal) }),
  ),
  defineTool({
    name: 'nearby_charging_sites',
    title: 'Nearby charging sites',
    description:
      'Superchargers and destination chargers near the vehicle, with availability. The vehicle must be online.',
    effect: 'read',
    scopes: DEVICE_DATA,
    input: z.object({
      vin,
      count: z.number().int().min(1).max(50).optional().describe('Max sites (default 10).'),
      radius_miles: z.number().int().min(1).max(200).optional().describe('Search radius, miles.'),
      detail: z.boolean().optional().describe('Include site details.'),
    }),
    handler: async (a, deps, ctx) => {
      const v = await deps.resolveVin(a.vin, ctx.signal);
      return deps.fleet.vehicles.nearbyChargingSites(v, {
        count: a.count ?? 10,
        radius: a.radius_miles,
        detail: a.detail,
        signal: ctx.signal,
      });
    },
  }),
  defineTool({
    name: 'release_notes',
    title: 'Release notes',
    description: 'Software release notes of the installed (or staged) firmware.',
    effect: 'read',
    scopes: DEVICE_DATA,
    input: z.object({
      vin,
      staged: z.boolean().optional().describe('Notes of the staged update instead.'),
      language: z
        .string()
        .regex(/^[a-z]{2}(-[A-Z]{2})?$/)
        .optional()
        .describe('Language, e.g. en-US.'),
    }),
    handler: async (a, deps, ctx) => {
      const v = await deps.resolveVin(a.vin, ctx.signal);
      return deps.fleet.vehicles.releaseNotes(v, {
        staged: a.staged,
        language: a.language,
        signal: ctx.signal,
      });
    },
  }),
  vinRead(
    'service_data',
    'Service status',
    'Whether the vehicle is in service, with its status.',
    (api, v, signal) => api.vehicles.serviceData(v, signal),
  ),
  vinRead(
    'recent_alerts',
    'Recent alerts',
    'Recent vehicle alerts (warnings, faults).',
    (api, v, signal) => api.vehicles.recentAlerts(v, signal),
  ),
  defineTool({
    name: 'fleet_status',
    title: 'Fleet status',
    description:
      'Per VIN: whether our key is paired and whether signed commands are required, plus firmware. Without vins: every vehicle on the account (one more data request lists them). Use to diagnose pairing.',
    effect: 'read',
    scopes: DEVICE_DATA,
    input: z.object({
      vins: z
        .array(vinItem)
        .max(50)
        .optional()
        .describe('VINs to check (default: every vehicle on the account).'),
    }),
    output: fleetStatusOutput,
    handler: async (a, deps, ctx) => {
      const vins = a.vins?.length
        ? a.vins.map((s) => s.toUpperCase())
        : (await deps.fleet.vehicles.list({ signal: ctx.signal }))
            .map((v) => String(v.vin ?? ''))
            .filter(Boolean);
      if (vins.length === 0) throw new ToolInputError('The account has no vehicles.');
      return deps.fleet.vehicles.fleetStatus(vins.slice(0, 50), ctx.signal);
    },
  }),
  defineTool({
    name: 'get_pairing_link',
    title: 'Virtual key pairing link',
    description:
      'The https://tesla.com/_ak/<domain> link that adds our virtual key: open it on a phone with the Tesla app, then approve in the vehicle with a key card.',
    effect: 'read',
    local: true,
    scopes: [],
    input: z.object({
      vin: vinString().optional().describe('Preselect this VIN in the Tesla app.'),
    }),
    handler: async (a, deps) => {
      if (!deps.appDomain) {
        throw new ToolInputError(
          `TESLA_DOMAIN is not set: set it to the domain hosting your public key, or run \`${cliCommand('pair')}\`.`,
        );
      }
      const base = pairingUrl(deps.appDomain);
      const url = a.vin ? `${base}?vin=${encodeURIComponent(a.vin.trim().toUpperCase())}` : base;
      const out: Record<string, unknown> = {
        url,
        steps:
          'Open on the phone with the Tesla app, approve in the car (key card on the console), then call get_key_status with check_vehicle.',
      };
      if (deps.key) out.fingerprint = deps.key.fingerprint;
      return out;
    },
  }),
  commandTool({
    name: 'set_vehicle_name',
    title: 'Rename vehicle',
    shape: { vehicle_name: z.string().trim().min(1).max(50).describe('New vehicle name.') },
  }),
  commandTool({
    name: 'schedule_software_update',
    title: 'Schedule software update',
    shape: {
      offset_sec: z.number().int().min(0).max(86_400).describe('Delay, seconds (0 = now).'),
    },
    confirm: (a, vin) =>
      `Install the downloaded software update on ${vin} ${a.offset_sec === 0 ? 'now' : `in ${a.offset_sec} s`}; the car cannot be driven while it installs.`,
  }),
  commandTool({
    name: 'cancel_software_update',
    title: 'Cancel software update',
  }),
  defineTool({
    name: 'get_billing_summary',
    title: 'Billable calls',
    description:
      'Billable Fleet API requests by category (data, command, wake) with the estimated USD cost: this month for all instances sharing the state store (scope says which), and this process since it started. Local; free.',
    effect: 'read',
    local: true,
    scopes: [],
    input: z.object({}),
    output: billingOutput,
    handler: async (_a, deps) => {
      const b = await deps.billing();
      return b === undefined
        ? { text: 'no billing data: the Fleet client does not report it' }
        : (b as Record<string, unknown>);
    },
  }),
] as const;

/** Ownership reads (options, specs, warranty, purchasable upgrades): in the `account` toolset. */
export const vehicleInfoTools = [
  vinRead(
    'options',
    'Vehicle options',
    'Factory options (trim, paint, wheels) of the vehicle.',
    (api, v, signal) => api.vehicles.options(v, signal),
  ),
  vinRead(
    'specs',
    'Vehicle specs',
    "As-sold specifications of the vehicle. Needs the app's partner token (TESLA_CLIENT_ID and TESLA_CLIENT_SECRET); billed per result.",
    (api, v, signal) => api.vehicles.specs(v, signal),
  ),
  vinRead(
    'warranty_details',
    'Warranty details',
    'Warranty coverage of the vehicle.',
    (api, v, signal) => api.vehicles.warrantyDetails(v, signal),
  ),
  vinRead(
    'eligible_subscriptions',
    'Eligible subscriptions',
    'Subscriptions (connectivity...) the vehicle can buy.',
    (api, v, signal) => api.vehicles.eligibleSubscriptions(v, signal),
  ),
  vinRead(
    'eligible_upgrades',
    'Eligible upgrades',
    'Software upgrades the vehicle can buy.',
    (api, v, signal) => api.vehicles.eligibleUpgrades(v, signal),
  ),
] as const;
