/**
 * Request-parsing pieces of the OAuth server: single-valued parameters (RFC 6749 §3.1), resource
 * comparison, token-endpoint client authentication (Basic or body, never both, constant-time),
 * and the dynamic-registration answer.
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import { safeEqual } from '../../util/safe-equal.js';
import { OAuthProtocolError as E } from './errors.js';
import type { StaticClient } from './static-client.js';

/** One value per parameter (RFC 6749 §3.1): a repeated parameter is an error. */
export function single(params: URLSearchParams, name: string): string | undefined {
  const all = params.getAll(name);
  if (all.length > 1) throw new E('invalid_request', `parameter ${name} is repeated`);
  return all[0] === '' ? undefined : all[0];
}

export function required(params: URLSearchParams, name: string, what: string): string {
  const v = single(params, name);
  if (v === undefined) throw new E('invalid_request', `${name} is required: ${what}`);
  return v;
}

export function sameResource(a: string, b: string): boolean {
  return a.replace(/\/$/, '') === b.replace(/\/$/, '');
}

/** Client authentication at the token endpoint: Basic or body, never both; constant-time. */
export function authenticateClient(
  params: URLSearchParams,
  authorization: string | undefined,
  client: StaticClient,
): string {
  let id = single(params, 'client_id');
  let secret = single(params, 'client_secret');
  if (authorization !== undefined && /^basic /i.test(authorization)) {
    if (secret !== undefined) {
      throw new E(
        'invalid_request',
        'use one client authentication method, not Basic and a body secret',
      );
    }
    const decoded = Buffer.from(authorization.slice(6).trim(), 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const decode = (s: string) => {
      try {
        return decodeURIComponent(s.replace(/\+/g, ' '));
      } catch {
        return s;
      }
    };
    const basicId = decode(colon < 0 ? decoded : decoded.slice(0, colon));
    if (id !== undefined && id !== basicId) {
      throw new E('invalid_request', 'client_id in the body differs from the Basic credentials');
    }
    id = basicId;
    secret = colon < 0 ? '' : decode(decoded.slice(colon + 1));
  }
  if (id === undefined) throw new E('invalid_client', 'client authentication required', 401);
  const idOk = safeEqual(id, client.clientId);
  const secretOk = safeEqual(secret ?? '', client.clientSecret);
  if (!idOk || !secretOk || secret === undefined) {
    throw new E(
      'invalid_client',
      'client authentication failed: check the client id and secret',
      401,
    );
  }
  return id;
}

/** The RFC 7591 answer to a registration; nothing is stored, so the client id is never honoured. */
export function registrationResponse(body: unknown, nowMs: number): Record<string, unknown> {
  const meta = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  const uris = meta.redirect_uris;
  if (
    !Array.isArray(uris) ||
    uris.length === 0 ||
    !uris.every((u) => typeof u === 'string' && URL.canParse(u))
  ) {
    throw new E('invalid_redirect_uri', 'redirect_uris must be a non-empty array of URLs');
  }
  const out: Record<string, unknown> = {
    client_id: `unregistered-${randomUUID()}`,
    client_id_issued_at: Math.floor(nowMs / 1000),
    redirect_uris: uris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'none',
  };
  if (typeof meta.client_name === 'string') out.client_name = meta.client_name.slice(0, 200);
  return out;
}
