/**
 * Where tesla-mcp keeps its files (README "Environment"): `CONFIG` is
 * `$TESLA_MCP_CONFIG_DIR`, else `$XDG_CONFIG_HOME/tesla-mcp`, else `~/.config/tesla-mcp`.
 *
 * @module
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export type Env = Readonly<Record<string, string | undefined>>;

export function configDir(env: Env = process.env): string {
  if (env.TESLA_MCP_CONFIG_DIR) return env.TESLA_MCP_CONFIG_DIR;
  const base = env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'tesla-mcp');
}

/** Default file locations, each overridable by the variable the README's "Environment" table names. */
export function configPaths(env: Env = process.env) {
  const dir = configDir(env);
  return {
    dir,
    privateKey: env.TESLA_PRIVATE_KEY_FILE || env.TESLA_KEY_FILE || join(dir, 'private-key.pem'),
    publicKey: join(dir, 'public-key.pem'),
    tokens: env.TESLA_TOKEN_FILE || join(dir, 'tokens.json'),
    /** `off` disables the cache. */
    sessionCache: env.TESLA_SESSION_CACHE || env.TESLA_CACHE_FILE || join(dir, 'sessions.json'),
    apiKey: join(dir, 'api-key'),
    mcpClient: join(dir, 'mcp-client.json'),
    oauthState: join(dir, 'oauth-state.json'),
  };
}
