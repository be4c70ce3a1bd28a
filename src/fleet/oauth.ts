/**
 * Tesla OAuth 2.0 on the wire: the authorize URL with PKCE (S256), and the token endpoint's
 * `authorization_code`, `refresh_token` and `client_credentials` (partner token) grants.
 * Token values never appear in errors: only Tesla's `error` / `error_description` do.
 *
 * @module
 */
import { createHash, randomBytes } from 'node:crypto';
import { request, type Dispatcher as UndiciDispatcher } from 'undici';
import { parseJson, readBounded } from './body.js';
import type { Dispatcher } from './dispatcher.js';
import { LoginRequiredError, redact } from './errors.js';

export interface Pkce {
  verifier: string;
  challenge: string;
  method: 'S256';
}

/** RFC 7636: a 43-character verifier and its SHA-256 challenge. */
export function createPkce(): Pkce {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  return { verifier, challenge, method: 'S256' };
}

export function authorizeUrl(o: {
  authorizeEndpoint: string;
  clientId: string;
  redirectUri: string;
  scopes: readonly string[];
  state: string;
  pkce: Pkce;
  locale?: string;
}): string {
  const u = new URL(o.authorizeEndpoint);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', o.clientId);
  u.searchParams.set('redirect_uri', o.redirectUri);
  u.searchParams.set('scope', o.scopes.join(' '));
  u.searchParams.set('state', o.state);
  u.searchParams.set('code_challenge', o.pkce.challenge);
  u.searchParams.set('code_challenge_method', o.pkce.method);
  u.searchParams.set('prompt_missing_scopes', 'true');
  u.searchParams.set('locale', o.locale ?? 'en-US');
  return u.toString();
}

export interface TokenResponse {
  access_token: string;
  refresh_token?: string | undefined;
  expires_in?: number | undefined;
  token_type?: string | undefined;
  scope?: string | undefined;
  id_token?: string | undefined;
}

/** A failure of the token endpoint; carries Tesla's error code, never a token. */
export class OAuthError extends Error {
  override readonly name = 'OAuthError';
  readonly code = 'oauth_error';
  readonly status: number;
  readonly error: string | undefined;
  constructor(status: number, error: string | undefined, message: string) {
    super(message);
    this.status = status;
    this.error = error;
  }
}

export interface PostFormOptions {
  dispatcher?: Dispatcher | undefined;
  timeoutMs?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** POSTs an `application/x-www-form-urlencoded` grant to the token endpoint. */
export async function tokenRequest(
  url: string,
  form: Record<string, string | undefined>,
  o: PostFormOptions = {},
): Promise<TokenResponse> {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(form)) if (v !== undefined && v !== '') body.set(k, v);
  const timeoutMs = o.timeoutMs ?? 30_000;
  const signal = o.signal
    ? AbortSignal.any([o.signal, AbortSignal.timeout(timeoutMs)])
    : AbortSignal.timeout(timeoutMs);
  let res: UndiciDispatcher.ResponseData;
  try {
    res = await request(url, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: body.toString(),
      signal,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(o.dispatcher ? { dispatcher: o.dispatcher as UndiciDispatcher } : {}),
    });
  } catch (err) {
    if (o.signal?.aborted) throw o.signal.reason;
    const why = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'no answer';
    throw new OAuthError(
      0,
      undefined,
      `fleet: Tesla's token endpoint ${hostOf(url)}: ${why}: check the network and retry`,
    );
  }
  const text = await readBounded(res.body, 1_000_000);
  const json = parseJson(text) as Record<string, unknown> | undefined;
  if (res.statusCode >= 200 && res.statusCode < 300 && typeof json?.access_token === 'string') {
    return json as unknown as TokenResponse;
  }
  // Never echo what we sent (refresh token, code, client secret), whatever the server returns.
  const secrets = Object.values(form).filter((v): v is string => typeof v === 'string');
  const error =
    typeof json?.error === 'string' ? redact(json.error, secrets).slice(0, 100) : undefined;
  const desc =
    typeof json?.error_description === 'string'
      ? redact(json.error_description, secrets).slice(0, 200)
      : undefined;
  const detail = [error, desc].filter(Boolean).join(': ');
  throw new OAuthError(
    res.statusCode,
    error,
    `fleet: Tesla's token endpoint answered HTTP ${res.statusCode}${detail ? ` (${detail})` : ''}`,
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return 'token endpoint';
  }
}

/** `refresh_token` grant; a refused refresh token becomes {@link LoginRequiredError}. */
export async function refreshGrant(
  url: string,
  clientId: string,
  refreshToken: string,
  o: PostFormOptions = {},
): Promise<TokenResponse> {
  try {
    return await tokenRequest(
      url,
      { grant_type: 'refresh_token', client_id: clientId, refresh_token: refreshToken },
      o,
    );
  } catch (err) {
    if (err instanceof OAuthError && (err.status === 400 || err.status === 401)) {
      throw new LoginRequiredError(
        `Tesla refused the refresh token (${err.error ?? `HTTP ${err.status}`}; refresh tokens are single-use and expire after 3 months unused)`,
      );
    }
    throw err;
  }
}
