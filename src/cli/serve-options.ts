/**
 * `tesla-mcp serve`'s settings: its flags over the environment (README "Environment"; flags win),
 * including the Python server's names (`TESLA_MCP_TRANSPORT`, `TESLA_MCP_PORT_APIKEY`), and its
 * `--help` text.
 *
 * @module
 */
import type { Env } from '../config/paths.js';

export const USAGE = `Usage: tesla-mcp serve [options]

Runs the MCP server: stdio by default, Streamable HTTP with --http.

Options:
  --http                 serve Streamable HTTP at /mcp (env TESLA_MCP_TRANSPORT=streamable-http)
  --host H               HTTP bind address (env TESLA_MCP_HOST, default 127.0.0.1)
  --port P               HTTP port (env TESLA_MCP_PORT, default 8752)
  --public-url URL       the URL clients use (env MCP_BASE_URL): an origin, or one with a path
                         prefix behind a reverse proxy (https://example.com/tesla)
  --tls-cert FILE        serve HTTPS with this certificate, PEM (env TESLA_MCP_TLS_CERT)
  --tls-key FILE         and this private key, PEM (env TESLA_MCP_TLS_KEY)
  --simulator            run the built-in simulated fleet in process (no Tesla account)
  --toolsets a,b         toolsets to expose, or all (env TESLA_MCP_TOOLSETS,
                         default vehicle,climate,charging,security,navigation)
  --read-only            expose only read tools (env TESLA_MCP_READ_ONLY=1)
  --confirm MODE         elicit | never | deny for risky commands (env TESLA_MCP_CONFIRM)
  --api-key [KEY]        HTTP API-key auth; without KEY, reads or generates CONFIG/api-key
  --no-auth              HTTP without auth on a loopback host (real Fleet API)
  --trust-proxy          behind a reverse proxy: rate-limit by its X-Forwarded-For client
                         (env TESLA_MCP_TRUST_PROXY=1)
  --redis URL            share vehicle sessions, counters and locks, Tesla tokens and OAuth
                         grants with other instances through Redis (env TESLA_MCP_REDIS_URL)
  -h, --help             show this help
`;

export interface ServeOptions {
  http: boolean;
  host: string;
  port: number;
  publicUrl: string | undefined;
  simulator: boolean;
  toolsets: string | undefined;
  readOnly: boolean;
  confirm: string | undefined;
  apiKey: boolean | string | undefined;
  noAuth: boolean;
  trustProxy: boolean;
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  redisUrl: string | undefined;
  help: boolean;
  /** Lines to log about how the environment was read (the Python server's names). */
  notes: string[];
}

/** Parses `serve` flags over the environment. Throws `Error` with a usage hint. */
export function parseServeArgs(argv: string[], env: Env): ServeOptions {
  const o: ServeOptions = {
    http: env.TESLA_MCP_TRANSPORT === 'streamable-http',
    host: env.TESLA_MCP_HOST || '127.0.0.1',
    port: Number(env.TESLA_MCP_PORT || env.TESLA_MCP_PORT_APIKEY || 8752),
    publicUrl: env.MCP_BASE_URL || undefined,
    simulator: false,
    toolsets: env.TESLA_MCP_TOOLSETS,
    readOnly: env.TESLA_MCP_READ_ONLY === '1' || env.TESLA_MCP_READ_ONLY === 'true',
    confirm: env.TESLA_MCP_CONFIRM,
    apiKey: undefined,
    noAuth: false,
    trustProxy: env.TESLA_MCP_TRUST_PROXY === '1' || env.TESLA_MCP_TRUST_PROXY === 'true',
    tlsCert: env.TESLA_MCP_TLS_CERT || undefined,
    tlsKey: env.TESLA_MCP_TLS_KEY || undefined,
    redisUrl: env.TESLA_MCP_REDIS_URL || undefined,
    help: false,
    notes: [],
  };
  if (env.TESLA_MCP_PORT_APIKEY) {
    o.notes.push(
      env.TESLA_MCP_PORT
        ? `TESLA_MCP_PORT_APIKEY is ignored: OAuth and the API key share one port now, and TESLA_MCP_PORT=${env.TESLA_MCP_PORT} is set`
        : `TESLA_MCP_PORT_APIKEY=${env.TESLA_MCP_PORT_APIKEY} used as the port: OAuth and the API key share one port now (TESLA_MCP_PORT is the new name)`,
    );
  }
  if (env.TESLA_MCP_TRANSPORT && !['stdio', 'streamable-http'].includes(env.TESLA_MCP_TRANSPORT)) {
    throw new Error('TESLA_MCP_TRANSPORT must be stdio or streamable-http');
  }
  for (let i = 0; i < argv.length; i++) {
    const raw = argv[i] as string;
    const eq = raw.indexOf('=');
    const flag = raw.startsWith('--') && eq > 0 ? raw.slice(0, eq) : raw;
    const inline = raw.startsWith('--') && eq > 0 ? raw.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const v = argv[++i];
      if (v === undefined || v.startsWith('--')) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--http':
        o.http = true;
        break;
      case '--stdio':
        o.http = false;
        break;
      case '--host':
        o.host = value();
        break;
      case '--port':
        o.port = Number(value());
        break;
      case '--public-url':
        o.publicUrl = value();
        break;
      case '--simulator':
        o.simulator = true;
        break;
      case '--toolsets':
        o.toolsets = value();
        break;
      case '--read-only':
        o.readOnly = true;
        break;
      case '--confirm':
        o.confirm = value();
        break;
      case '--no-auth':
        o.noAuth = true;
        break;
      case '--trust-proxy':
        o.trustProxy = true;
        break;
      case '--tls-cert':
        o.tlsCert = value();
        break;
      case '--tls-key':
        o.tlsKey = value();
        break;
      case '--redis':
        o.redisUrl = value();
        break;
      case '--api-key': {
        const next = argv[i + 1];
        if (inline !== undefined) o.apiKey = inline;
        else if (next !== undefined && !next.startsWith('-')) o.apiKey = argv[++i] as string;
        else o.apiKey = true;
        break;
      }
      case '-h':
      case '--help':
        o.help = true;
        break;
      default:
        throw new Error(`unknown option ${raw}`);
    }
  }
  if (!Number.isInteger(o.port) || o.port < 0 || o.port > 65_535) {
    throw new Error('--port must be an integer from 0 to 65535');
  }
  if ((o.tlsCert === undefined) !== (o.tlsKey === undefined)) {
    throw new Error('TLS needs both --tls-cert FILE and --tls-key FILE');
  }
  return o;
}
