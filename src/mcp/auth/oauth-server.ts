/**
 * The OAuth 2.1 authorization server built into the MCP HTTP server, for one user: the operator.
 * Transport-free: `routes.ts` feeds it parsed requests.
 *
 * - Only the operator's static client (`static-client.ts`) ever gets a code. Dynamic client
 *   registration (RFC 7591) is answered, but the registration is not kept, so a registered
 *   client is unknown at `/authorize` and gets no code.
 * - `/authorize` **auto-approves** the static client: there is one user, and a code is worth
 *   nothing without the client secret (and the PKCE verifier), which only the operator holds.
 * - PKCE S256 required (`plain` refused); codes single-use (a replay revokes what the code
 *   issued), two minutes; `iss` in every redirect (RFC 9207).
 * - All state goes through {@link OAuthState}: one instance's (`state.ts`) or the shared store's
 *   (`shared-state.ts`), which decides single use across instances.
 * - RFC 8707: every token is bound to the MCP URL, checked at the token endpoint and on every
 *   request. Access tokens are opaque, one hour; refresh tokens rotate and a reused one revokes its
 *   whole grant. Secrets are compared in constant time; the state keeps SHA-256 hashes only.
 * - Each grant records a fingerprint of the client secret it was made under (`secretFingerprint`,
 *   never the secret): after the operator rotates `MCP_CLIENT_SECRET`, every token issued under
 *   the old one is refused and deleted.
 * - Redirect URIs: Claude's callbacks and loopback on any port (RFC 8252 §7.3), or exactly the
 *   operator's list (`MCP_REDIRECT_URIS`).
 *
 * @module
 */
import { randomUUID } from 'node:crypto';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { safeEqual } from '../../util/safe-equal.js';
import {
  PKCE_S256_CHALLENGE_RE,
  PKCE_VERIFIER_RE,
  pkceChallengeS256,
  randomToken,
  secretFingerprint,
  sha256Hex,
} from './crypto.js';
import { OAuthProtocolError as E } from './errors.js';
import {
  authenticateClient,
  registrationResponse,
  required,
  sameResource,
  single,
} from './params.js';
import type { GrantRecord, OAuthState } from './state.js';
import { isAllowedRedirectUri, redirectUriHint, type StaticClient } from './static-client.js';

export interface OAuthServerOptions {
  client: StaticClient;
  /** The issuer: the server's origin, without a trailing slash. */
  issuer: string;
  /** The MCP URL, the only RFC 8707 resource. */
  resource: string;
  store: OAuthState;
  /** `MCP_REDIRECT_URIS`: when set, the only redirect URIs accepted (exact match). */
  redirectUris?: readonly string[] | undefined;
  now?: () => number;
  accessTokenTtlMs?: number;
  refreshTokenTtlMs?: number;
  codeTtlMs?: number;
}

export type AuthorizeOutcome =
  | { kind: 'redirect'; location: string }
  /** Not redirected (unknown client or bad redirect URI): show `error` to the user. */
  | { kind: 'error'; error: E };

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  scope?: string;
}

export class OAuthServer {
  readonly #o: Required<Omit<OAuthServerOptions, 'now' | 'redirectUris'>>;
  readonly #now: () => number;
  readonly #redirectUris: readonly string[] | undefined;
  readonly #secretFp: string;

  constructor(o: OAuthServerOptions) {
    this.#now = o.now ?? Date.now;
    this.#o = {
      client: o.client,
      issuer: o.issuer.replace(/\/$/, ''),
      resource: o.resource,
      store: o.store,
      accessTokenTtlMs: o.accessTokenTtlMs ?? 60 * 60_000,
      refreshTokenTtlMs: o.refreshTokenTtlMs ?? 30 * 24 * 60 * 60_000,
      codeTtlMs: o.codeTtlMs ?? 120_000,
    };
    this.#redirectUris = o.redirectUris;
    this.#secretFp = secretFingerprint(o.client.clientId, o.client.clientSecret);
    // Grants made under another client secret (or before fingerprints were kept) are revoked.
    // (A shared store cannot list its records: each is checked when used.)
    o.store.revokeWhere?.((rec) => !this.#sameSecret(rec));
  }

  #sameSecret(rec: GrantRecord): boolean {
    return rec.secretFp !== undefined && safeEqual(rec.secretFp, this.#secretFp);
  }

  get issuer(): string {
    return this.#o.issuer;
  }

  /** RFC 8414 authorization server metadata. */
  authorizationServerMetadata(): Record<string, unknown> {
    const base = this.#o.issuer;
    return {
      issuer: base,
      authorization_endpoint: `${base}/authorize`,
      token_endpoint: `${base}/token`,
      registration_endpoint: `${base}/register`,
      response_types_supported: ['code'],
      response_modes_supported: ['query'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
      code_challenge_methods_supported: ['S256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      authorization_response_iss_parameter_supported: true,
    };
  }

  /** RFC 9728 protected resource metadata for the MCP URL. */
  protectedResourceMetadata(): Record<string, unknown> {
    return {
      resource: this.#o.resource,
      authorization_servers: [this.#o.issuer],
      bearer_methods_supported: ['header'],
      resource_name: 'tesla-mcp',
    };
  }

  #isStaticClient(clientId: string): boolean {
    return safeEqual(clientId, this.#o.client.clientId);
  }

  /** `/authorize` (GET query or POST form). */
  async authorize(params: URLSearchParams): Promise<AuthorizeOutcome> {
    let clientId: string;
    let redirectUri: string;
    try {
      clientId = required(params, 'client_id', 'the MCP client id');
      redirectUri = required(params, 'redirect_uri', 'where to send the code');
      if (!this.#isStaticClient(clientId)) {
        throw new E(
          'invalid_client',
          "unknown client: this server gives codes only to its operator's client; enter the client id and secret from `tesla-mcp oauth-client` in your MCP client's OAuth settings",
        );
      }
      if (!isAllowedRedirectUri(redirectUri, this.#redirectUris)) {
        throw new E(
          'invalid_request',
          `redirect_uri not allowed: use ${redirectUriHint(this.#redirectUris)}`,
        );
      }
    } catch (err) {
      if (err instanceof E) return { kind: 'error', error: err };
      throw err;
    }
    const state = params.getAll('state')[0];
    const redirect = (values: Record<string, string>): AuthorizeOutcome => {
      const url = new URL(redirectUri);
      for (const [k, v] of Object.entries(values)) url.searchParams.set(k, v);
      if (state !== undefined) url.searchParams.set('state', state);
      url.searchParams.set('iss', this.#o.issuer);
      return { kind: 'redirect', location: url.href };
    };
    try {
      const responseType = single(params, 'response_type');
      if (responseType !== 'code') {
        throw new E('unsupported_response_type', 'response_type must be code');
      }
      single(params, 'state');
      const challenge = required(params, 'code_challenge', 'PKCE with S256 is mandatory');
      const method = single(params, 'code_challenge_method');
      if (method !== 'S256') {
        throw new E(
          'invalid_request',
          `code_challenge_method must be S256 (got ${method === undefined ? 'none' : JSON.stringify(method.slice(0, 20))}); plain is refused`,
        );
      }
      if (!PKCE_S256_CHALLENGE_RE.test(challenge)) {
        throw new E('invalid_request', 'code_challenge must be 43 base64url characters (S256)');
      }
      const resource = single(params, 'resource') ?? this.#o.resource;
      if (!sameResource(resource, this.#o.resource)) {
        throw new E('invalid_target', `resource must be this server's MCP URL ${this.#o.resource}`);
      }
      const scope = single(params, 'scope') ?? '';
      if (scope.length > 1000) throw new E('invalid_scope', 'scope is too long');
      const code = randomToken('tmcp_code_');
      await this.#o.store.putCode(sha256Hex(code), {
        clientId,
        redirectUri,
        challenge,
        resource: this.#o.resource,
        scope,
        familyId: randomUUID(),
        expiresAt: this.#now() + this.#o.codeTtlMs,
      });
      return redirect({ code });
    } catch (err) {
      if (!(err instanceof E)) throw err;
      return redirect({ error: err.error, error_description: err.message });
    }
  }

  /** `/token` (form body). Throws `OAuthProtocolError`. */
  async token(params: URLSearchParams, authorization: string | undefined): Promise<TokenResponse> {
    const clientId = authenticateClient(params, authorization, this.#o.client);
    const grantType = required(params, 'grant_type', 'authorization_code or refresh_token');
    const resource = single(params, 'resource');
    if (resource !== undefined && !sameResource(resource, this.#o.resource)) {
      throw new E('invalid_target', `resource must be this server's MCP URL ${this.#o.resource}`);
    }
    if (grantType === 'authorization_code') return this.#exchangeCode(params, clientId);
    if (grantType === 'refresh_token') return this.#exchangeRefresh(params, clientId);
    throw new E('unsupported_grant_type', 'grant_type must be authorization_code or refresh_token');
  }

  async #exchangeCode(params: URLSearchParams, clientId: string): Promise<TokenResponse> {
    const code = required(params, 'code', 'the authorization code');
    const verifier = required(params, 'code_verifier', 'PKCE is mandatory');
    const redirectUri = single(params, 'redirect_uri');
    const taken = await this.#o.store.takeCode(sha256Hex(code));
    if (taken === undefined) throw new E('invalid_grant', 'unknown or expired authorization code');
    const rec = taken.code;
    if (!taken.first) {
      await this.#o.store.revokeFamily(rec.familyId);
      throw new E('invalid_grant', 'authorization code already used; tokens it issued are revoked');
    }
    if (rec.expiresAt <= this.#now()) throw new E('invalid_grant', 'authorization code expired');
    if (!safeEqual(rec.clientId, clientId))
      throw new E('invalid_grant', 'code issued to another client');
    if (redirectUri !== undefined && redirectUri !== rec.redirectUri) {
      throw new E('invalid_grant', 'redirect_uri differs from the authorization request');
    }
    if (
      !PKCE_VERIFIER_RE.test(verifier) ||
      !safeEqual(pkceChallengeS256(verifier), rec.challenge)
    ) {
      throw new E('invalid_grant', 'code_verifier does not match the code_challenge');
    }
    return this.#issue({
      clientId,
      resource: rec.resource,
      scope: rec.scope,
      familyId: rec.familyId,
    });
  }

  async #exchangeRefresh(params: URLSearchParams, clientId: string): Promise<TokenResponse> {
    const token = required(params, 'refresh_token', 'the refresh token');
    const store = this.#o.store;
    const hash = sha256Hex(token);
    const rec = await store.getRefresh(hash);
    if (rec === undefined || rec.expiresAt <= this.#now()) {
      throw new E('invalid_grant', 'unknown, revoked or expired refresh token: sign in again');
    }
    const replayed = async (): Promise<never> => {
      await store.revokeFamily(rec.familyId);
      throw new E(
        'invalid_grant',
        'refresh token already used; the grant is revoked: sign in again',
      );
    };
    if (rec.usedAt !== undefined) return replayed();
    if (!safeEqual(rec.clientId, clientId))
      throw new E('invalid_grant', 'token issued to another client');
    if (!this.#sameSecret(rec)) {
      await store.revokeFamily(rec.familyId);
      throw new E(
        'invalid_grant',
        'refresh token was issued under a previous client secret: sign in again',
      );
    }
    if (!sameResource(rec.resource, this.#o.resource)) {
      throw new E('invalid_grant', 'refresh token was issued for another resource: sign in again');
    }
    const scope = single(params, 'scope');
    const granted = rec.scope.split(' ').filter(Boolean);
    if (scope !== undefined && !scope.split(' ').every((s) => s === '' || granted.includes(s))) {
      throw new E('invalid_scope', 'a refresh cannot widen the granted scope');
    }
    // Of concurrent exchanges of this token (on any instance), one goes on; the others are replays.
    if (!(await store.useRefresh(hash, rec))) return replayed();
    return this.#issue({
      clientId,
      resource: rec.resource,
      scope: scope ?? rec.scope,
      familyId: rec.familyId,
    });
  }

  async #issue(g: Omit<GrantRecord, 'expiresAt'>): Promise<TokenResponse> {
    const now = this.#now();
    const access = randomToken('tmcp_at_');
    const refresh = randomToken('tmcp_rt_');
    const secretFp = this.#secretFp;
    await this.#o.store.putTokens(
      {
        hash: sha256Hex(access),
        rec: { ...g, secretFp, expiresAt: now + this.#o.accessTokenTtlMs },
      },
      {
        hash: sha256Hex(refresh),
        rec: { ...g, secretFp, expiresAt: now + this.#o.refreshTokenTtlMs },
      },
    );
    const out: TokenResponse = {
      access_token: access,
      token_type: 'Bearer',
      expires_in: Math.floor(this.#o.accessTokenTtlMs / 1000),
      refresh_token: refresh,
    };
    if (g.scope) out.scope = g.scope;
    return out;
  }

  /** Dynamic client registration: answered, never stored (see the module doc). */
  register(body: unknown): Record<string, unknown> {
    return registrationResponse(body, this.#now());
  }

  /** Checks a bearer token on an MCP request. Throws `OAuthProtocolError` (401, invalid_token). */
  async verifyAccessToken(token: string): Promise<AuthInfo> {
    const rec = await this.#o.store.getAccess(sha256Hex(token));
    if (rec === undefined) throw new E('invalid_token', 'unknown or revoked access token', 401);
    if (rec.expiresAt <= this.#now())
      throw new E('invalid_token', 'access token expired: refresh it', 401);
    if (!sameResource(rec.resource, this.#o.resource)) {
      throw new E('invalid_token', 'access token was issued for another resource', 401);
    }
    if (!this.#sameSecret(rec)) {
      throw new E(
        'invalid_token',
        'access token was issued under a previous client secret: sign in again',
        401,
      );
    }
    if (!this.#isStaticClient(rec.clientId)) {
      throw new E(
        'invalid_token',
        'access token belongs to a client that is no longer configured',
        401,
      );
    }
    return {
      token: '[redacted]',
      clientId: rec.clientId,
      scopes: rec.scope.split(' ').filter(Boolean),
      expiresAt: Math.floor(rec.expiresAt / 1000),
      resource: new URL(rec.resource),
    };
  }
}
