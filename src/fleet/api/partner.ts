/**
 * Partner endpoints (Tesla Fleet API docs, "Partner Endpoints"): every one is sent with a
 * **partner** token (client-credentials grant), never the user's (Tesla Fleet API docs,
 * "Partner Tokens").
 *
 * @module
 */
import type { FleetRequester } from './types.js';

const DOMAIN_RE = /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** The bare lowercase domain Tesla expects (no scheme, path, port or trailing dot). */
export function checkDomain(input: string): string {
  const d = input.trim().toLowerCase().replace(/\.$/, '');
  if (/^[a-z]+:\/\//.test(d) || d.includes('/') || d.includes(':')) {
    throw new RangeError(`fleet: give the bare domain (like example.com), not a URL: '${input}'`);
  }
  if (d === 'localhost' || d.endsWith('.localhost') || /^[\d.]+$/.test(d)) {
    throw new RangeError('fleet: Tesla needs a public domain name, not localhost or an IP address');
  }
  if (!DOMAIN_RE.test(d)) throw new RangeError(`fleet: '${input}' is not a valid domain name`);
  return d;
}

/** Where Tesla fetches an app's public key. */
export function publicKeyUrl(domain: string): string {
  return `https://${checkDomain(domain)}/.well-known/appspecific/com.tesla.3p.public-key.pem`;
}

export class PartnerApi {
  readonly #api: FleetRequester;

  constructor(api: FleetRequester) {
    this.#api = api;
  }

  /** `POST /api/1/partner_accounts {"domain"}` in the region of `baseUrl` (default: the client's). */
  async register(
    domain: string,
    o: { baseUrl?: string; signal?: AbortSignal } = {},
  ): Promise<unknown> {
    return this.#api.request('POST', '/api/1/partner_accounts', {
      body: { domain: checkDomain(domain) },
      partner: true,
      baseUrl: o.baseUrl,
      signal: o.signal,
    });
  }

  /** `GET /api/1/partner_accounts/public_key?domain=`: the key Tesla holds for the domain (hex). */
  async publicKey(
    domain: string,
    o: { baseUrl?: string; signal?: AbortSignal } = {},
  ): Promise<string | undefined> {
    const r = await this.#api.request('GET', '/api/1/partner_accounts/public_key', {
      query: { domain: checkDomain(domain) },
      partner: true,
      baseUrl: o.baseUrl,
      signal: o.signal,
    });
    const key = (r as { public_key?: unknown } | undefined)?.public_key;
    return typeof key === 'string' ? key : undefined;
  }

  async fleetTelemetryErrors(domain: string, signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', '/api/1/partner_accounts/fleet_telemetry_errors', {
      query: { domain: checkDomain(domain) },
      partner: true,
      signal,
    });
  }

  async fleetTelemetryErrorVins(signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', '/api/1/partner_accounts/fleet_telemetry_error_vins', {
      partner: true,
      signal,
    });
  }
}
