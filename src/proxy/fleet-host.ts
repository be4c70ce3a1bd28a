/**
 * Which Fleet API host a caller's request goes to (protocol-spec §3.8, §8): the host named by
 * the access token's audience (preferring the one for its `ou_code` region), a host learned from
 * a 421 answer for the same token subject, or the configured `TESLA_FLEET_API_URL`. A 421 may
 * switch the host only to a Tesla host (`*.tesla.com`, `*.tesla.cn`, `*.teslamotors.com`).
 *
 * The token is decoded only to read `aud`, `ou_code` and `sub`; it is never verified (Tesla
 * does that) and never logged.
 *
 * @module
 */

export const DEFAULT_FLEET_HOST = 'fleet-api.prd.na.vn.cloud.tesla.com';

const TESLA_SUFFIXES = ['.tesla.com', '.tesla.cn', '.teslamotors.com'];
const HOSTNAME = /^[A-Za-z0-9.-]+$/;

/** Whether `host` (no scheme, no port) is under a Tesla domain. */
export function isTeslaHost(host: string): boolean {
  const h = host.toLowerCase();
  return HOSTNAME.test(h) && TESLA_SUFFIXES.some((s) => h.endsWith(s));
}

export interface TokenClaims {
  aud: string[];
  ouCode?: string;
  sub?: string;
}

/** Reads `aud`, `ou_code` and `sub` from a JWT without verifying it; undefined if unreadable. */
export function readTokenClaims(token: string): TokenClaims | undefined {
  const part = token.split('.')[1];
  if (!part) return undefined;
  try {
    // base64url or base64, padded or not (the Go proxy accepts only unpadded standard base64).
    const json = Buffer.from(part.replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString();
    const claims = JSON.parse(json) as Record<string, unknown>;
    if (typeof claims !== 'object' || claims === null) return undefined;
    const aud = Array.isArray(claims.aud)
      ? claims.aud.filter((a): a is string => typeof a === 'string')
      : typeof claims.aud === 'string'
        ? [claims.aud]
        : [];
    const out: TokenClaims = { aud };
    if (typeof claims.ou_code === 'string') out.ouCode = claims.ou_code;
    if (typeof claims.sub === 'string') out.sub = claims.sub;
    return out;
  } catch {
    return undefined;
  }
}

/** The Fleet API host the token's audience names (§3.8), else the North America host. */
export function fleetHostFromToken(token: string): string {
  const claims = readTokenClaims(token);
  if (!claims) return DEFAULT_FLEET_HOST;
  let chosen: string | undefined;
  const region = claims.ouCode ? `.${claims.ouCode.toLowerCase()}.` : undefined;
  for (const aud of claims.aud) {
    if (aud.startsWith('https://auth.tesla.')) continue;
    const host = aud.replace(/^https:\/\//, '').replace(/\/$/, '');
    if (!host.startsWith('fleet-api.') || !isTeslaHost(host)) continue;
    if (!chosen || (region && host.includes(region))) chosen = host;
  }
  return chosen ?? DEFAULT_FLEET_HOST;
}

/**
 * The host a 421 answer names: `Alt-Svc: h2=https://<host>` (the Go proxy's forwarder) or a
 * body saying `use base URL: https://<host>` (its signed-command connector). Tesla hosts only.
 */
export function misdirectedHost(altSvc: string | undefined, body: string): string | undefined {
  const candidates: string[] = [];
  const a = /h2="?https:\/\/([-a-z0-9.]+)/i.exec(altSvc ?? '');
  if (a?.[1]) candidates.push(a[1]);
  const b = /use base URL: https:\/\/([-a-z0-9.]*)/i.exec(body);
  if (b?.[1]) candidates.push(b[1]);
  return candidates.find(isTeslaHost)?.toLowerCase();
}

/** Hosts learned from 421 answers, per token subject (the Go proxy's `domainForSubject`). */
export class HostMemory {
  readonly #bySubject = new Map<string, string>();
  readonly #max: number;

  constructor(max = 10_000) {
    this.#max = max;
  }

  get(subject: string | undefined): string | undefined {
    return subject === undefined ? undefined : this.#bySubject.get(subject);
  }

  set(subject: string | undefined, host: string): void {
    if (subject === undefined) return;
    this.#bySubject.delete(subject);
    this.#bySubject.set(subject, host);
    if (this.#bySubject.size > this.#max) {
      const oldest = this.#bySubject.keys().next().value;
      if (oldest !== undefined) this.#bySubject.delete(oldest);
    }
  }
}

/**
 * The base URL (scheme, host, port; no trailing slash) for a caller's token: a host learned
 * from a 421 for its subject, else the configured override, else the token's audience.
 */
export function baseUrlFor(
  token: string,
  memory: HostMemory,
  override: string | undefined,
): { baseUrl: string; subject: string | undefined } {
  const subject = readTokenClaims(token)?.sub;
  const learned = memory.get(subject);
  if (learned) return { baseUrl: `https://${learned}`, subject };
  if (override) return { baseUrl: override.replace(/\/+$/, ''), subject };
  return { baseUrl: `https://${fleetHostFromToken(token)}`, subject };
}
