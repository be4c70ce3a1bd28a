/**
 * The operator's static OAuth client: the one client this server issues codes to. Its id and
 * secret come from `MCP_CLIENT_ID` + `MCP_CLIENT_SECRET`, else from `CONFIG/mcp-client.json`
 * (created by `tesla-mcp oauth-client`, mode 0600). Also the redirect-URI policy: Claude.ai's and
 * Claude.com's connector callbacks, and loopback `http://` URIs on any port (RFC 8252 §7.3: a
 * native client picks a free port), unless the operator pins an exact list (`MCP_REDIRECT_URIS`).
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Env } from '../../config/paths.js';
import { cliCommand } from '../../util/cli-command.js';
import { writeFileAtomic } from '../../util/fs.js';
import { randomToken } from './crypto.js';
import { AuthConfigError } from './errors.js';

export interface StaticClient {
  clientId: string;
  clientSecret: string;
}

export interface ResolvedStaticClient extends StaticClient {
  /** `env` or the path of the file it was read from. */
  source: string;
}

/** Claude's custom-connector callbacks, accepted exactly. */
export const CLAUDE_REDIRECT_URIS = [
  'https://claude.ai/api/mcp/auth_callback',
  'https://claude.com/api/mcp/auth_callback',
] as const;

const LOOPBACK_REDIRECT_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Whether `uri` may receive an authorization code. With `pinned` (`MCP_REDIRECT_URIS`): exactly
 * one of those. Otherwise one of `CLAUDE_REDIRECT_URIS` exactly, or an `http://` loopback URI
 * (any port, any path) without a fragment or user info.
 */
export function isAllowedRedirectUri(uri: string, pinned?: readonly string[]): boolean {
  if (pinned !== undefined) return pinned.includes(uri);
  if ((CLAUDE_REDIRECT_URIS as readonly string[]).includes(uri)) return true;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return false;
  }
  return (
    url.protocol === 'http:' &&
    LOOPBACK_REDIRECT_HOSTS.has(url.hostname) &&
    url.username === '' &&
    url.password === '' &&
    url.hash === '' &&
    !uri.includes('#')
  );
}

/** What to tell a client whose redirect URI was refused. */
export function redirectUriHint(pinned?: readonly string[]): string {
  return pinned !== undefined
    ? `one of MCP_REDIRECT_URIS: ${pinned.join(', ')}`
    : `${CLAUDE_REDIRECT_URIS.join(', ')} or an http://localhost / http://127.0.0.1 URI (any port)`;
}

/**
 * `MCP_REDIRECT_URIS`: a comma list of exact redirect URIs (https, or http on loopback; no
 * fragment). Undefined when unset or empty; a bad entry is an error naming it.
 */
export function parseRedirectUris(value: string | undefined): string[] | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  const out: string[] = [];
  for (const raw of value.split(',')) {
    const uri = raw.trim();
    if (uri === '') continue;
    let url: URL | undefined;
    try {
      url = new URL(uri);
    } catch {
      url = undefined;
    }
    const ok =
      url !== undefined &&
      !uri.includes('#') &&
      url.username === '' &&
      url.password === '' &&
      (url.protocol === 'https:' ||
        (url.protocol === 'http:' && LOOPBACK_REDIRECT_HOSTS.has(url.hostname)));
    if (!ok) {
      throw new AuthConfigError(
        `MCP_REDIRECT_URIS: ${JSON.stringify(uri.slice(0, 200))} is not an https:// URI (or http:// on localhost / 127.0.0.1) without a fragment`,
      );
    }
    out.push(uri);
  }
  return out.length > 0 ? out : undefined;
}

const MIN_SECRET_LENGTH = 16;

function validate(client: StaticClient, where: string): StaticClient {
  if (!/^[\x21-\x7e]{1,200}$/.test(client.clientId)) {
    throw new AuthConfigError(`${where}: the client id must be 1-200 printable characters`);
  }
  if (client.clientSecret.length < MIN_SECRET_LENGTH) {
    throw new AuthConfigError(
      `${where}: the client secret is shorter than ${MIN_SECRET_LENGTH} characters; run \`${cliCommand('oauth-client')}\` to create a strong one`,
    );
  }
  return client;
}

async function readClientFile(path: string): Promise<StaticClient | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AuthConfigError(`cannot read ${path}: check its owner and permissions`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AuthConfigError(
      `${path} is not valid JSON: delete it and run \`${cliCommand('oauth-client')}\``,
    );
  }
  const rec = (parsed ?? {}) as Record<string, unknown>;
  if (typeof rec.client_id !== 'string' || typeof rec.client_secret !== 'string') {
    throw new AuthConfigError(
      `${path} lacks client_id/client_secret: delete it and run \`${cliCommand('oauth-client')}\``,
    );
  }
  return validate({ clientId: rec.client_id, clientSecret: rec.client_secret }, path);
}

/**
 * The configured static client: `MCP_CLIENT_ID` + `MCP_CLIENT_SECRET` (both or neither), else the
 * file at `path`; `undefined` when neither exists. Never creates anything.
 */
export async function resolveStaticClient(o: {
  env: Env;
  path: string;
}): Promise<ResolvedStaticClient | undefined> {
  const id = o.env.MCP_CLIENT_ID;
  const secret = o.env.MCP_CLIENT_SECRET;
  if (id || secret) {
    if (!id || !secret) {
      throw new AuthConfigError(
        `${id ? 'MCP_CLIENT_SECRET' : 'MCP_CLIENT_ID'} is not set: OAuth needs both MCP_CLIENT_ID and MCP_CLIENT_SECRET`,
      );
    }
    return {
      ...validate({ clientId: id, clientSecret: secret }, 'MCP_CLIENT_ID/MCP_CLIENT_SECRET'),
      source: 'env',
    };
  }
  const fromFile = await readClientFile(o.path);
  return fromFile && { ...fromFile, source: o.path };
}

/** Reads the client file at `path`, or creates it (0600) with a fresh id and secret. */
export async function ensureStaticClientFile(
  path: string,
): Promise<StaticClient & { created: boolean }> {
  const existing = await readClientFile(path);
  if (existing) return { ...existing, created: false };
  const client: StaticClient = {
    clientId: randomToken('tesla-mcp-').slice(0, 'tesla-mcp-'.length + 22),
    clientSecret: randomToken(''),
  };
  const file = {
    client_id: client.clientId,
    client_secret: client.clientSecret,
    created_at: new Date().toISOString(),
  };
  await writeFileAtomic(path, `${JSON.stringify(file, null, 2)}\n`, 0o600);
  return { ...client, created: true };
}
