/**
 * When may the HTTP server run without auth? The rule of the README ("Remote access over HTTP"):
 * configured auth is always enforced; with none configured, only a loopback host (the rule of
 * `src/util/loopback.ts`) with `--simulator` or an explicit `--no-auth` may start.
 *
 * @module
 */
import { cliCommand } from '../../util/cli-command.js';
import { isLoopbackHost } from '../../util/loopback.js';

export interface AuthConfigInput {
  /** The bind host (`--host`). */
  host: string;
  /** `--simulator`: the fleet is fake. */
  simulator: boolean;
  /** `--no-auth` given explicitly. */
  noAuth: boolean;
  /** OAuth configured (static client present). */
  oauth: boolean;
  /** API key configured. */
  apiKey: boolean;
  /** `--public-url` / `MCP_BASE_URL`, if any: a non-loopback public URL exposes the server. */
  publicUrl?: string | undefined;
}

/**
 * `undefined` when the HTTP server may start with this configuration, else the message to print
 * (it names the settings to use), so `serve` can refuse to start.
 */
export function checkAuthConfig(o: AuthConfigInput): string | undefined {
  const configured = o.oauth || o.apiKey;
  if (configured && o.noAuth) {
    return '--no-auth was given but MCP auth is configured (MCP_CLIENT_ID/MCP_CLIENT_SECRET, CONFIG/mcp-client.json, MCP_API_KEY or --api-key): configured auth is always enforced, so drop --no-auth or the auth settings';
  }
  if (configured) return undefined;
  const how = `set MCP_CLIENT_ID and MCP_CLIENT_SECRET (or run \`${cliCommand('oauth-client')}\`) for OAuth, or MCP_API_KEY / --api-key for an API key`;
  const loopback = isLoopbackHost(o.host);
  const exposed = o.publicUrl !== undefined && !isLoopbackHost(safeHostname(o.publicUrl));
  if (!loopback || exposed) {
    const where = loopback ? `public URL ${o.publicUrl}` : `host ${o.host}`;
    return `refusing to serve MCP over HTTP without auth on ${where}: ${how}. Only a loopback host may run without auth (with --simulator or --no-auth)`;
  }
  if (o.simulator || o.noAuth) return undefined;
  return `refusing to serve the real Fleet API over HTTP without auth: ${how}; or, on this loopback host only, pass --no-auth`;
}

function safeHostname(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return url;
  }
}
