/**
 * The loopback rule, written once: which host names and addresses stay on this machine. It
 * decides where plain HTTP is allowed (the MCP server's and the proxy's bind address, the MCP
 * public URL, an http:// `TESLA_FLEET_API_URL`) and where the MCP server may run without auth.
 *
 * Only `localhost` itself and loopback IP literals count: `127.0.0.0/8`, `::1` and IPv4-mapped
 * `::ffff:127.0.0.0/104`, in any spelling, bracketed or not. Other names, `*.localhost` included,
 * go through a resolver that may answer with any address, so they are not trusted to stay local
 * (RFC 8252 §8.3 gives the same advice for loopback redirects).
 *
 * @module
 */
import { BlockList, isIP } from 'node:net';

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');
// IPv4-mapped, in any spelling (`new URL()` writes `[::ffff:127.0.0.1]` as `[::ffff:7f00:1]`).
LOOPBACK.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** True when `host` (a name or an IP literal, `[…]` allowed) is this machine's loopback. */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (h === 'localhost') return true;
  const family = isIP(h);
  return family !== 0 && LOOPBACK.check(h, family === 6 ? 'ipv6' : 'ipv4');
}
