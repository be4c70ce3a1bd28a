/**
 * `tesla-mcp logout`: deletes the Tesla token file (`TESLA_TOKEN_FILE`) and says so, with how to
 * revoke the app's access at Tesla too.
 *
 * @module
 */
import { configPaths } from '../config/paths.js';
import { output, parseCommand, type SetupIo } from '../fleet/setup.js';
import { TokenStore } from '../fleet/token-store.js';

const HELP = `Usage: tesla-mcp logout

Deletes the Tesla token file (TESLA_TOKEN_FILE, default CONFIG/tokens.json).
`;

export async function run(argv: string[], io: SetupIo = {}): Promise<number> {
  const { env, out, err } = output(io);
  const args = parseCommand('logout', argv, HELP, { out, err }, []);
  if (typeof args === 'number') return args;
  const path = configPaths(env).tokens;
  const removed = await new TokenStore(path).remove();
  out(
    removed
      ? `Deleted the token file ${path}.\n`
      : `No token file at ${path}: nothing to delete.\n`,
  );
  if (env.TESLA_ACCESS_TOKEN || env.TESLA_REFRESH_TOKEN) {
    out(
      'TESLA_ACCESS_TOKEN / TESLA_REFRESH_TOKEN are still set in this environment; unset them too.\n',
    );
  }
  if (env.TESLA_CLIENT_ID) {
    out(
      `To revoke this app's access at Tesla as well: https://auth.tesla.com/user/revoke/consent?revoke_client_id=${encodeURIComponent(env.TESLA_CLIENT_ID)}\n`,
    );
  }
  return 0;
}
