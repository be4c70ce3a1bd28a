/**
 * The bearer check on `/mcp`: an API key (constant-time) and/or an OAuth access token, and the
 * `WWW-Authenticate` challenge (RFC 6750 §3, with RFC 9728 `resource_metadata` in OAuth mode)
 * that tells a client how to get one.
 *
 * @module
 */
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { apiKeyMatches } from './api-key.js';
import { OAuthProtocolError } from './errors.js';
import type { OAuthServer } from './oauth-server.js';
import type { OAuthState } from './state.js';
import type { StaticClient } from './static-client.js';

/** How `/mcp` is protected. Neither field set: no auth (loopback only). */
export interface HttpAuth {
  oauth?: {
    client: StaticClient;
    /** `CONFIG/oauth-state.json`; omitted keeps tokens in memory only. */
    statePath?: string | undefined;
    /** The shared state (`--redis`, `shared-state.ts`); when set, `statePath` is not used. */
    state?: OAuthState | undefined;
    /** `MCP_REDIRECT_URIS`: when set, the only redirect URIs accepted. */
    redirectUris?: readonly string[] | undefined;
    ttl?: { accessTokenTtlMs?: number; refreshTokenTtlMs?: number; codeTtlMs?: number };
  };
  apiKey?: string;
}

export type BearerResult =
  /** `principal` names who is calling (`api-key`, the OAuth client id, or `anonymous`). */
  | { ok: true; principal: string; authInfo: AuthInfo | undefined }
  | {
      ok: false;
      error: string | undefined;
      description: string;
      /** A failed API key: counts toward the guessing limit (`guess-limit.ts`). */
      guess?: boolean;
      /** Refused without comparing the API key: the peer is blocked for guessing. */
      limited?: boolean;
    };

/**
 * Checks the `Authorization` header. With `blocked` (the peer guessed too often) the API key is
 * not compared at all; an OAuth access token (256 random bits, not guessable) is still checked.
 */
export async function checkBearer(
  auth: HttpAuth,
  oauth: OAuthServer | undefined,
  header: string | undefined,
  blocked = false,
): Promise<BearerResult> {
  if (auth.apiKey === undefined && oauth === undefined) {
    return { ok: true, principal: 'anonymous', authInfo: undefined };
  }
  const match = /^Bearer +([\x21-\x7e]+) *$/i.exec(header ?? '');
  const token = match?.[1];
  if (token === undefined) {
    return { ok: false, error: undefined, description: 'send Authorization: Bearer <token>' };
  }
  const keyMode = auth.apiKey !== undefined;
  if (auth.apiKey !== undefined && !blocked && apiKeyMatches(token, auth.apiKey)) {
    return {
      ok: true,
      principal: 'api-key',
      authInfo: { token: '[redacted]', clientId: 'api-key', scopes: [] },
    };
  }
  const limited: BearerResult = {
    ok: false,
    error: 'invalid_token',
    description: 'too many failed attempts',
    limited: true,
  };
  if (oauth === undefined) {
    if (blocked) return limited;
    return { ok: false, error: 'invalid_token', description: 'wrong API key', guess: true };
  }
  try {
    const info = await oauth.verifyAccessToken(token);
    return { ok: true, principal: info.clientId, authInfo: info };
  } catch (err) {
    if (!(err instanceof OAuthProtocolError)) throw err;
    if (keyMode && blocked) return limited;
    // With an API key configured, any refused bearer may have been a guess at it.
    return { ok: false, error: err.error, description: err.message, guess: keyMode };
  }
}

/** The challenge for a 401 answer. */
export function wwwAuthenticate(
  r: { error: string | undefined; description: string },
  resourceMetadataUrl: string | undefined,
): string {
  const parts = ['realm="tesla-mcp"'];
  if (r.error !== undefined) {
    parts.push(`error="${r.error}"`, `error_description="${r.description.replace(/["\\]/g, '')}"`);
  }
  if (resourceMetadataUrl !== undefined) parts.push(`resource_metadata="${resourceMetadataUrl}"`);
  return `Bearer ${parts.join(', ')}`;
}
