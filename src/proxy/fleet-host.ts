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
import { decodeJwtClaims, isTeslaHost, regionFromClaims } from '../fleet/regions.js';

export const DEFAULT_FLEET_HOST = 'fleet-api.prd.na.vn.cloud.tesla.com';

/** The Fleet API host the token's audience names (§3.8), else the North America host. */
export function fleetHostFromToken(token: string): string {
  const url = regionFromClaims(decodeJwtClaims(token))?.baseUrl;
  return url ? url.replace(/^https:\/\//, '') : DEFAULT_FLEET_HOST;
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
  const sub = decodeJwtClaims(token)?.sub;
  const subject = typeof sub === 'string' ? sub : undefined;
  const learned = memory.get(subject);
  if (learned) return { baseUrl: `https://${learned}`, subject };
  if (override) return { baseUrl: override.replace(/\/+$/, ''), subject };
  return { baseUrl: `https://${fleetHostFromToken(token)}`, subject };
}
