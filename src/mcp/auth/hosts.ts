/**
 * DNS-rebinding protection: the `Host` values and `Origin`s the HTTP server answers. Allowed hosts
 * come from the bind address (all loopback names on a loopback bind; every interface address on a
 * wildcard bind) and the public URL; origins are those hosts over `http://`, the public URL's
 * origin, and Claude's web origins.
 *
 * @module
 */
import { networkInterfaces } from 'node:os';
import { isLoopbackHost } from '../../util/loopback.js';

const LOOPBACK_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/** Claude's web apps: not attacker-controlled, so never a rebinding source. */
export const CLAUDE_ORIGINS = ['https://claude.ai', 'https://claude.com'];

function bracket(host: string): string {
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

export interface HostPolicy {
  hosts: Set<string>;
  origins: Set<string>;
}

export function hostPolicy(o: {
  bindHost: string;
  port: number;
  publicUrl?: URL | undefined;
  extraHosts?: readonly string[] | undefined;
  extraOrigins?: readonly string[] | undefined;
}): HostPolicy {
  const names = new Set<string>();
  const bind = o.bindHost.replace(/^\[(.*)\]$/, '$1');
  if (isLoopbackHost(bind)) {
    for (const n of LOOPBACK_NAMES) names.add(n);
    names.add(bracket(bind));
  } else if (bind === '0.0.0.0' || bind === '::' || bind === '') {
    for (const n of LOOPBACK_NAMES) names.add(n);
    for (const list of Object.values(networkInterfaces())) {
      for (const addr of list ?? []) {
        if (bind === '0.0.0.0' && addr.family !== 'IPv4') continue;
        names.add(bracket(addr.address.split('%')[0] ?? addr.address));
      }
    }
  } else {
    names.add(bracket(bind));
  }
  const hosts = new Set<string>();
  for (const n of names) hosts.add(`${n}:${o.port}`.toLowerCase());
  const origins = new Set<string>(CLAUDE_ORIGINS);
  for (const h of hosts) origins.add(`http://${h}`);
  if (o.publicUrl) {
    hosts.add(o.publicUrl.host.toLowerCase());
    origins.add(o.publicUrl.origin.toLowerCase());
  }
  for (const h of o.extraHosts ?? []) hosts.add(h.toLowerCase());
  for (const x of o.extraOrigins ?? []) origins.add(x.toLowerCase().replace(/\/$/, ''));
  return { hosts, origins };
}

/**
 * Why the request is refused, or `undefined` when its Host (and Origin, if `checkOrigin`) pass.
 * A refused Host names the `--public-url` that would make the server answer to it.
 */
export function checkHostHeaders(
  policy: HostPolicy,
  host: string | undefined,
  origin: string | undefined,
  checkOrigin: boolean,
  prefix = '',
): string | undefined {
  if (!host) return 'Host header missing';
  if (!policy.hosts.has(host.toLowerCase())) {
    const shown = /^[\w.:[\]-]{1,260}$/.test(host) ? host : undefined;
    const suggestion = shown
      ? `start the server with --public-url https://${shown}${prefix} (or MCP_BASE_URL)`
      : 'start the server with --public-url set to the URL clients use (or MCP_BASE_URL)';
    return `Host header ${shown ? `"${shown}" ` : ''}not allowed (DNS-rebinding protection): if clients reach this server by that name, ${suggestion}`;
  }
  if (checkOrigin && origin !== undefined && !policy.origins.has(origin.toLowerCase())) {
    return 'Origin header not allowed';
  }
  return undefined;
}
