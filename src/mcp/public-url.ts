/**
 * Where the HTTP server's endpoints live as clients see them. `--public-url` (`MCP_BASE_URL`) is
 * an origin, optionally with a path prefix for a server behind a reverse proxy
 * (`https://example.com/tesla`): the issuer is then `https://example.com/tesla`, the resource
 * `https://example.com/tesla/mcp`, and the metadata documents sit at the host root where path
 * insertion puts them (RFC 8414 §3.1: `/.well-known/oauth-authorization-server/tesla`; RFC 9728
 * §3.1: `/.well-known/oauth-protected-resource/tesla/mcp`).
 *
 * @module
 */

import { isLoopbackHost } from '../util/loopback.js';
import { AuthConfigError } from './auth/errors.js';

export const MCP_PATH = '/mcp';
export const AS_METADATA_PATH = '/.well-known/oauth-authorization-server';
export const PRM_PATH = '/.well-known/oauth-protected-resource';

export interface PublicUrl {
  /** `https://example.com` */
  origin: string;
  /** Host (and port) clients send in `Host`. */
  host: string;
  hostname: string;
  /** `''` or a path like `/tesla` (no trailing slash). */
  prefix: string;
}

/** Parses `--public-url`: https (http only for loopback), no query, fragment or user info. */
export function parsePublicUrl(value: string): PublicUrl {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new AuthConfigError(`--public-url ${JSON.stringify(value)} is not a URL`);
  }
  if (url.search || url.hash || url.username || url.password || value.includes('?')) {
    throw new AuthConfigError(
      `--public-url must be an origin, optionally with a path prefix, like https://example.com or https://example.com/tesla (no query, fragment or user info); the MCP endpoint is then that URL + ${MCP_PATH}`,
    );
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackHost(url.hostname))) {
    throw new AuthConfigError('--public-url must use https:// (http:// only for a loopback host)');
  }
  const prefix = url.pathname.replace(/\/+$/, '');
  if (prefix.endsWith(MCP_PATH)) {
    throw new AuthConfigError(
      `--public-url is the server's base URL, not the MCP endpoint: give ${url.origin}${prefix.slice(0, -MCP_PATH.length)} (the endpoint is that + ${MCP_PATH})`,
    );
  }
  if (prefix.includes('/.well-known') || /\/\/|\/\.\.?(\/|$)|%2f/i.test(prefix)) {
    throw new AuthConfigError(`--public-url has an unusable path prefix ${JSON.stringify(prefix)}`);
  }
  return { origin: url.origin, host: url.host, hostname: url.hostname, prefix };
}

export interface Endpoints {
  /** Issuer and base of `/authorize`, `/token`, `/register`: origin + prefix. */
  base: string;
  mcpUrl: string;
  /** RFC 9728 metadata URL of the MCP resource (host root, path-inserted). */
  prmUrl: string;
  prefix: string;
}

export function endpoints(origin: string, prefix: string): Endpoints {
  const base = `${origin}${prefix}`;
  return {
    base,
    mcpUrl: `${base}${MCP_PATH}`,
    prmUrl: `${origin}${PRM_PATH}${prefix}${MCP_PATH}`,
    prefix,
  };
}

/**
 * The path a request means on this server. A reverse proxy may strip the prefix or pass it on
 * (`proxy_pass` with or without a trailing URI): both work. The root `/.well-known/…` paths are
 * never prefixed.
 */
export function localPath(pathname: string, prefix: string): string {
  if (prefix && (pathname === prefix || pathname.startsWith(`${prefix}/`))) {
    return pathname.slice(prefix.length) || '/';
  }
  return pathname;
}
