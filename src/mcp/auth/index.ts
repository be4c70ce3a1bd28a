/**
 * Auth for the MCP server's HTTP transport: the OAuth 2.1 authorization server, API keys, the
 * operator's static client, and the rule for when no auth is allowed.
 *
 * @module
 */
export { apiKeyMatches, type ResolvedApiKey, resolveApiKey } from './api-key.js';
export type { BearerResult, HttpAuth } from './bearer.js';
export { AuthConfigError, OAuthProtocolError, OAuthStateError } from './errors.js';
export { type GuessLimit, GuessLimiter, SharedGuessLimiter } from './guess-limit.js';
export { OAuthServer, type OAuthServerOptions } from './oauth-server.js';
export { type AuthConfigInput, checkAuthConfig } from './policy.js';
export { SharedOAuthState } from './shared-state.js';
export { type OAuthState, OAuthStateStore } from './state.js';
export {
  CLAUDE_REDIRECT_URIS,
  ensureStaticClientFile,
  isAllowedRedirectUri,
  parseRedirectUris,
  type ResolvedStaticClient,
  resolveStaticClient,
  type StaticClient,
} from './static-client.js';
