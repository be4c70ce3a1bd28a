/**
 * Toolset `keys`: our command key and its pairing status, the partner-registered key, admin PIN
 * resets and erase. Opt-in: nothing here is in the default set (the pairing link is in `vehicle`,
 * so the tool a "key not paired" error names is always listed).
 *
 * @module
 */

import { z } from 'zod';
import { cliCommand } from '../../util/cli-command.js';
import { pairingUrl } from '../../vehicle/pairing.js';
import { commandTool, vin } from '../fields.js';
import { defineTool } from '../tool.js';
import { partnerDomainTool } from './telemetry.js';

export const keysTools = [
  defineTool({
    name: 'get_key_status',
    title: 'Command key and pairing status',
    description:
      "Our command key's fingerprint and hosting URL; with check_vehicle, asks the vehicle (one signed-command request) whether the key is paired.",
    effect: 'read',
    scopes: [],
    input: z.object({
      vin,
      check_vehicle: z
        .boolean()
        .optional()
        .describe('Ask the vehicle (billed request; default false).'),
    }),
    handler: async (a, deps, ctx) => {
      const out: Record<string, unknown> = {};
      if (deps.key) {
        out.fingerprint = deps.key.fingerprint;
        out.public_key_pem = deps.key.publicKeyPem;
      } else {
        out.key = `no command key configured: run \`${cliCommand('keygen')}\``;
      }
      if (deps.appDomain) {
        out.hosted_key_url = `https://${deps.appDomain}/.well-known/appspecific/com.tesla.3p.public-key.pem`;
        out.pairing_url = pairingUrl(deps.appDomain);
      }
      if (a.check_vehicle) {
        const v = await deps.resolveVin(a.vin, ctx.signal);
        const s = await deps.vehicle(v).checkPairing({ signal: ctx.signal });
        out.vehicle = { vin: s.vin, paired: s.paired, message: s.message };
      }
      return out;
    },
  }),
  partnerDomainTool({
    name: 'public_key',
    title: 'Registered partner public key',
    description:
      "The public key Tesla has registered for an app domain (partner endpoint; needs the app's client credentials). Compare with get_key_status.",
    read: async (api, domain, signal) => ({
      public_key: await api.partner.publicKey(domain, { signal }),
    }),
  }),
  commandTool({
    name: 'erase_user_data',
    title: 'Erase user data',
    confirm: (_a, v) => `Erase ALL user data from ${v}. This cannot be undone.`,
  }),
  commandTool({
    name: 'reset_pin_to_drive_pin',
    title: 'Reset PIN to Drive PIN',
    confirm: (_a, v) => `Reset the PIN to Drive PIN of ${v}.`,
  }),
  commandTool({
    name: 'clear_pin_to_drive_admin',
    title: 'Clear PIN to Drive (admin)',
    confirm: (_a, v) => `Clear PIN to Drive on ${v} as administrator.`,
  }),
  commandTool({
    name: 'speed_limit_clear_pin_admin',
    title: 'Clear speed limit PIN (admin)',
    confirm: (_a, v) => `Clear the speed limit PIN of ${v} as administrator.`,
  }),
] as const;
