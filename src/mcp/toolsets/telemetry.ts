/**
 * Toolset `telemetry`: fleet telemetry configuration (create signed as a JWS with our command
 * key, read, delete) and its errors, per vehicle and per partner domain. Opt-in.
 *
 * @module
 */
import { z } from 'zod';
import { DEVICE_DATA } from '../../commands/scopes.js';
import type { FleetEndpoints } from '../../fleet/api/index.js';
import { cliCommand } from '../../util/cli-command.js';
import { ToolInputError } from '../errors.js';
import { vin, vinItem, vinRead } from '../fields.js';
import { defineTool } from '../tool.js';

/** A read of a partner endpoint that takes the app's domain (default `TESLA_DOMAIN`). */
export function partnerDomainTool(o: {
  name: string;
  title: string;
  description: string;
  read: (api: FleetEndpoints, domain: string, signal: AbortSignal) => Promise<unknown>;
}) {
  return defineTool({
    name: o.name,
    title: o.title,
    description: o.description,
    effect: 'read',
    scopes: [],
    input: z.object({
      domain: z
        .string()
        .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/i)
        .optional()
        .describe('App domain (default TESLA_DOMAIN).'),
    }),
    handler: async (a, deps, ctx) => {
      const domain = a.domain ?? deps.appDomain;
      if (!domain) throw new ToolInputError('Pass domain or set TESLA_DOMAIN.');
      return o.read(deps.fleet, domain, ctx.signal);
    },
  });
}

export const telemetryTools = [
  vinRead(
    'fleet_telemetry_config_get',
    'Telemetry config',
    'The fleet telemetry configuration of a vehicle and whether it is synced.',
    (api, v, signal) => api.telemetry.getConfig(v, signal),
  ),
  defineTool({
    name: 'fleet_telemetry_config_create',
    title: 'Configure telemetry',
    description:
      'Stream vehicle signals to your fleet-telemetry server: the config is signed (Tesla.SS256 JWS) with our command key, which must be paired.',
    effect: 'idempotent',
    scopes: DEVICE_DATA,
    input: z.object({
      vins: z.array(vinItem).min(1).max(50).describe('Vehicles to configure.'),
      hostname: z
        .string()
        .max(253)
        .regex(/^[a-z0-9.-]+$/i)
        .describe('Telemetry server hostname.'),
      port: z.number().int().min(1).max(65_535).optional().describe('Server port (default 443).'),
      ca: z.string().max(10_000).optional().describe('PEM CA chain of the server, if private.'),
      fields_json: z.string().max(20_000).describe('JSON object: field name → {interval_seconds}.'),
      alert_types: z
        .array(z.enum(['service', 'customer']))
        .max(2)
        .optional()
        .describe('Alert types.'),
      expiration_days: z.number().int().min(1).max(365).optional().describe('Validity, days.'),
    }),
    handler: async (a, deps, ctx) => {
      if (!deps.signTelemetryConfig)
        throw new ToolInputError(`No command key configured: run \`${cliCommand('keygen')}\`.`);
      let fields: unknown;
      try {
        fields = JSON.parse(a.fields_json);
      } catch {
        throw new ToolInputError('fields_json must be a JSON object.');
      }
      const config: Record<string, unknown> = {
        hostname: a.hostname,
        port: a.port ?? 443,
        fields,
        alert_types: a.alert_types ?? ['service'],
        exp: Math.floor(Date.now() / 1000) + (a.expiration_days ?? 30) * 86_400,
      };
      if (a.ca) config.ca = a.ca;
      return deps.fleet.telemetry.createConfig(a.vins, config, {
        signJws: deps.signTelemetryConfig,
        signal: ctx.signal,
      });
    },
  }),
  defineTool({
    name: 'fleet_telemetry_config_delete',
    title: 'Delete telemetry config',
    description: 'Remove the fleet telemetry configuration from a vehicle (streaming stops).',
    effect: 'destructive',
    scopes: DEVICE_DATA,
    input: z.object({ vin }),
    confirm: (a) => `Stop fleet telemetry streaming on ${a.vin ?? 'the default vehicle'}.`,
    handler: async (a, deps, ctx) => {
      const v = await deps.resolveVin(a.vin, ctx.signal);
      return deps.fleet.telemetry.deleteConfig(v, ctx.signal);
    },
  }),
  vinRead(
    'fleet_telemetry_errors',
    'Telemetry errors (vehicle)',
    'Recent fleet telemetry errors reported by a vehicle (bad config, unknown issuer...).',
    (api, v, signal) => api.telemetry.errors(v, signal),
  ),
  partnerDomainTool({
    name: 'partner_fleet_telemetry_errors',
    title: 'Telemetry errors (partner)',
    description: "Fleet telemetry errors across the app's vehicles (partner endpoint).",
    read: (api, domain, signal) => api.partner.fleetTelemetryErrors(domain, signal),
  }),
  defineTool({
    name: 'fleet_telemetry_error_vins',
    title: 'VINs with telemetry errors',
    description: 'VINs of the app that reported fleet telemetry errors (partner endpoint).',
    effect: 'read',
    scopes: [],
    input: z.object({}),
    handler: async (_a, deps, ctx) => deps.fleet.partner.fleetTelemetryErrorVins(ctx.signal),
  }),
] as const;
