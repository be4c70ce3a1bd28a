/**
 * Toolset `account`: the user (profile, region, orders, feature flags), vehicle ownership facts
 * (options, specs, warranty, eligible upgrades), Supercharging history and invoices, business-fleet charging, the product list
 * (vehicles and energy sites), and local token facts (expiry, scopes; never the token). Opt-in.
 *
 * @module
 */
import { z } from 'zod';
import { USER_DATA } from '../../commands/scopes.js';
import type { UserApi } from '../../fleet/api/user.js';
import { cliCommand } from '../../util/cli-command.js';
import { ToolInputError } from '../errors.js';
import { defineTool } from '../tool.js';
import { fleetChargingTools } from './charging.js';
import { vehicleInfoTools } from './vehicle.js';

const userRead = (
  name: string,
  title: string,
  description: string,
  read: (user: UserApi, signal: AbortSignal) => Promise<unknown>,
) =>
  defineTool({
    name,
    title,
    description,
    effect: 'read',
    scopes: USER_DATA,
    input: z.object({}),
    handler: async (_a, deps, ctx) => read(deps.fleet.user, ctx.signal),
  });

/**
 * Tesla sign-in from the server (`../login.ts`): the URL for the user, and on a later call
 * whether it completed. Offered outside `account` too while the server is not logged in.
 */
export const loginLink = defineTool({
  name: 'get_login_link',
  title: 'Tesla sign-in link',
  description:
    'Starts the Tesla sign-in (OAuth + PKCE) on this machine and returns the URL for the user to open; call again to learn when it completed. The code goes to the server, never through chat.',
  effect: 'idempotent',
  scopes: [],
  input: z.object({
    relogin: z
      .boolean()
      .optional()
      .describe('Sign in again even when a token exists (after a "login required" error).'),
  }),
  handler: async ({ relogin }, deps) => {
    if (!deps.login) {
      throw new ToolInputError(
        deps.simulated
          ? 'the simulated fleet needs no Tesla login'
          : `sign-in from the server needs TESLA_CLIENT_ID (and TESLA_CLIENT_SECRET) of the Tesla app in the MCP server's environment: ask the user to set them (or run \`${cliCommand('setup')}\` in a terminal)`,
      );
    }
    return deps.login.start(relogin === undefined ? {} : { relogin });
  },
});

export const accountTools = [
  ...vehicleInfoTools,
  ...fleetChargingTools,
  userRead(
    'me',
    'Account profile',
    'The account holder: email, name, profile image.',
    (u, signal) => u.me(signal),
  ),
  userRead(
    'region',
    'Account region',
    'The Fleet API region and base URL of the account.',
    (u, signal) => u.region(signal),
  ),
  userRead('orders', 'Orders', 'Active vehicle orders of the account.', (u, signal) =>
    u.orders(signal),
  ),
  userRead('feature_config', 'Feature config', 'App feature flags of the account.', (u, signal) =>
    u.featureConfig(signal),
  ),
  userRead(
    'backup_key',
    'Backup key',
    'The backup public key registered for the account, if any.',
    (u, signal) => u.backupKey(signal),
  ),
  defineTool({
    name: 'products',
    title: 'Products',
    description: 'Vehicles and energy sites (with energy_site_id) on the account.',
    effect: 'read',
    scopes: [],
    input: z.object({}),
    handler: async (_a, deps, ctx) => {
      return { products: await deps.fleet.energy.products(ctx.signal) };
    },
  }),
  loginLink,
  defineTool({
    name: 'get_token_status',
    title: 'Tesla token status',
    description:
      'Local facts about the Tesla login: expiry, granted scopes, region. Never shows the token. Free.',
    effect: 'read',
    local: true,
    scopes: [],
    input: z.object({}),
    handler: async (_a, deps) =>
      deps.tokenStatus
        ? await deps.tokenStatus()
        : { status: 'unknown: the Fleet client does not report it' },
  }),
] as const;
