/**
 * Regions and hosts (https://developer.tesla.com/docs/fleet-api/getting-started/base-urls): Fleet API base URLs, the
 * region-correct OAuth hosts, the `TESLA_FLEET_API_URL` override (http only on loopback), the
 * "valid Tesla host" rule for 421 switches, and the region a token's claims name
 * (vehicle-command `pkg/account/account.go`).
 *
 * @module
 */
import { isLoopbackHost } from '../util/loopback.js';
import { FleetConfigError } from './errors.js';

export type Region = 'na' | 'eu' | 'cn';

export const REGIONS: Readonly<
  Record<Region, { fleetApi: string; authorize: string; token: string; name: string }>
> = {
  na: {
    name: 'North America, Asia-Pacific',
    fleetApi: 'https://fleet-api.prd.na.vn.cloud.tesla.com',
    authorize: 'https://auth.tesla.com/oauth2/v3/authorize',
    token: 'https://fleet-auth.prd.vn.cloud.tesla.com/oauth2/v3/token',
  },
  eu: {
    name: 'Europe, Middle East, Africa',
    fleetApi: 'https://fleet-api.prd.eu.vn.cloud.tesla.com',
    authorize: 'https://auth.tesla.com/oauth2/v3/authorize',
    token: 'https://fleet-auth.prd.vn.cloud.tesla.com/oauth2/v3/token',
  },
  cn: {
    name: 'China',
    fleetApi: 'https://fleet-api.prd.cn.vn.cloud.tesla.cn',
    authorize: 'https://auth.tesla.cn/oauth2/v3/authorize',
    token: 'https://auth.tesla.cn/oauth2/v3/token',
  },
};

/** `na`, `eu` or `cn`; anything else is an error, never a silent `na`. */
export function parseRegion(value: string): Region {
  const v = value.trim().toLowerCase();
  if (v === 'na' || v === 'eu' || v === 'cn') return v;
  throw new FleetConfigError(
    `fleet: unknown TESLA_REGION '${value}': expected na, eu or cn (or leave it unset to use the token's region)`,
  );
}

/** True for a host under tesla.com, tesla.cn or teslamotors.com (Go's ValidTeslaDomainSuffix). */
export function isTeslaHost(host: string): boolean {
  const h = host.toLowerCase();
  return (
    /^[a-z0-9.-]+$/.test(h) &&
    ['.tesla.com', '.tesla.cn', '.teslamotors.com'].some((s) => h.endsWith(s))
  );
}

/** Validates a base URL: https anywhere, http only on loopback; no path, query or credentials. */
export function checkBaseUrl(raw: string, what = 'TESLA_FLEET_API_URL'): string {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new FleetConfigError(`fleet: ${what} is not a URL: expected https://host[:port]`);
  }
  if (u.username || u.password) {
    throw new FleetConfigError(`fleet: ${what} must not carry credentials`);
  }
  if (u.protocol === 'http:' && !isLoopbackHost(u.hostname)) {
    throw new FleetConfigError(
      `fleet: ${what} uses http:// on ${u.hostname}: http is allowed only for loopback (127.0.0.1, localhost); use https://`,
    );
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') {
    throw new FleetConfigError(`fleet: ${what} must be an https:// URL`);
  }
  return `${u.protocol}//${u.host}${u.pathname.replace(/\/+$/, '')}`;
}

/** A 421 may name a new host: accept it only under a Tesla domain, over https. */
export function acceptableSwitch(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' || !isTeslaHost(u.hostname)) return undefined;
    return `https://${u.host}`;
  } catch {
    return undefined;
  }
}

/** The claims of a JWT, decoded without verification (never logged). Undefined when not a JWT. */
export function decodeJwtClaims(token: string): Record<string, unknown> | undefined {
  const parts = token.split('.');
  if (parts.length !== 3 || !parts[1]) return undefined;
  try {
    const json = Buffer.from(parts[1].replace(/-/g, '+').replace(/_/g, '/'), 'base64').toString(
      'utf8',
    );
    const v: unknown = JSON.parse(json);
    return v && typeof v === 'object' && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The Fleet API base URL a token is for (`aud` entries that are fleet-api hosts, preferring the
 * one with `.<ou_code>.`), and its region; undefined when the token does not say.
 */
export function regionFromClaims(
  claims: Record<string, unknown> | undefined,
): { region: Region; baseUrl: string } | undefined {
  if (!claims) return undefined;
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  const ou = typeof claims.ou_code === 'string' ? claims.ou_code.toLowerCase() : '';
  const hosts: string[] = [];
  for (const a of aud) {
    if (typeof a !== 'string' || a.startsWith('https://auth.tesla.')) continue;
    const h = a.replace(/^https:\/\//, '').replace(/\/+$/, '');
    if (/^[A-Za-z0-9.-]+$/.test(h) && h.startsWith('fleet-api.') && isTeslaHost(h)) hosts.push(h);
  }
  const host = hosts.find((h) => ou && h.includes(`.${ou}.`)) ?? hosts[0];
  const byHost = (h: string): Region | undefined =>
    (Object.keys(REGIONS) as Region[]).find((r) => REGIONS[r].fleetApi === `https://${h}`);
  if (host) {
    const region = byHost(host) ?? (ou === 'eu' ? 'eu' : ou === 'cn' ? 'cn' : 'na');
    return { region, baseUrl: `https://${host}` };
  }
  if (ou === 'na' || ou === 'eu' || ou === 'cn')
    return { region: ou, baseUrl: REGIONS[ou].fleetApi };
  return undefined;
}
