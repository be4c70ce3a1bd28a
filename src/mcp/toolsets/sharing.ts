/**
 * Toolset `sharing`: drivers and share invites. Invites and driver removal grant or take
 * access and ask the user to confirm. Opt-in.
 *
 * @module
 */
import { z } from 'zod';
import { DEVICE_DATA, VEHICLE_CMDS } from '../../commands/scopes.js';
import { vin, vinRead } from '../fields.js';
import { defineTool } from '../tool.js';

const id = (what: string) =>
  z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .describe(what);

export const sharingTools = [
  vinRead(
    'drivers',
    'Drivers',
    'People with driver access to the vehicle (owner only).',
    (api, v, signal) => api.sharing.drivers(v, signal),
  ),
  defineTool({
    name: 'drivers_remove',
    title: 'Remove driver',
    description: "Remove a driver's access to the vehicle.",
    effect: 'destructive',
    scopes: VEHICLE_CMDS,
    input: z.object({ vin, share_user_id: id('share_user_id from drivers.') }),
    confirm: (a) => `Remove driver ${a.share_user_id} from ${a.vin ?? 'the default vehicle'}.`,
    handler: async (a, deps, ctx) => {
      const v = await deps.resolveVin(a.vin, ctx.signal);
      return deps.fleet.sharing.removeDriver(v, a.share_user_id, ctx.signal);
    },
  }),
  defineTool({
    name: 'share_invites',
    title: 'Share invites',
    description: 'Active share invites of the vehicle (without invite links).',
    effect: 'read',
    scopes: DEVICE_DATA,
    input: z.object({ vin }),
    handler: async (a, deps, ctx) => {
      const v = await deps.resolveVin(a.vin, ctx.signal);
      const list = await deps.fleet.sharing.invitations(v, ctx.signal);
      return {
        invites: list.map((i) => {
          const { share_link: _l, code: _c, ...rest } = (i ?? {}) as Record<string, unknown>;
          return rest;
        }),
      };
    },
  }),
  defineTool({
    name: 'share_invites_create',
    title: 'Create share invite',
    description:
      'Create a single-use driver invite (expires in 24 h; up to 5 drivers). Grants access to the car.',
    effect: 'write',
    scopes: VEHICLE_CMDS,
    input: z.object({ vin }),
    confirm: (a) =>
      `Create an invite that gives a new driver access to ${a.vin ?? 'the default vehicle'}.`,
    handler: async (a, deps, ctx) => {
      const v = await deps.resolveVin(a.vin, ctx.signal);
      return deps.fleet.sharing.createInvitation(v, ctx.signal);
    },
  }),
  defineTool({
    name: 'share_invites_revoke',
    title: 'Revoke share invite',
    description: 'Revoke a share invite by id (from share_invites).',
    effect: 'idempotent',
    scopes: VEHICLE_CMDS,
    input: z.object({ vin, invite_id: id('Invite id from share_invites.') }),
    confirm: (a) =>
      `Revoke share invite ${a.invite_id} of ${a.vin ?? 'the default vehicle'}; whoever holds it can no longer join.`,
    handler: async (a, deps, ctx) => {
      const v = await deps.resolveVin(a.vin, ctx.signal);
      return deps.fleet.sharing.revokeInvitation(v, a.invite_id, ctx.signal);
    },
  }),
  defineTool({
    name: 'share_invites_redeem',
    title: 'Redeem share invite',
    description: 'Redeem a share invite code for this account (adds the shared vehicle).',
    effect: 'write',
    scopes: VEHICLE_CMDS,
    input: z.object({
      code: z
        .string()
        .regex(/^[A-Za-z0-9_-]{1,200}$/)
        .describe('Invite code.'),
    }),
    confirm: () => 'Redeem a share invite and add the shared vehicle to this account.',
    handler: async (a, deps, ctx) => deps.fleet.sharing.redeemInvitation(a.code, ctx.signal),
  }),
] as const;
