/**
 * Typed errors of the MCP server's HTTP auth. Messages say what is wrong and what to do next, and
 * never contain a token, key or secret.
 *
 * @module
 */

/** Auth is misconfigured (missing, conflicting or unsafe settings); `serve` refuses to start. */
export class AuthConfigError extends Error {
  override readonly name = 'AuthConfigError';
  readonly code = 'auth-config';
}

/** The OAuth state file cannot be read or parsed. */
export class OAuthStateError extends Error {
  override readonly name = 'OAuthStateError';
  readonly code = 'oauth-state';
}

/**
 * An OAuth protocol error (RFC 6749 §5.2 / RFC 6750 §3.1): `error` is the wire code, `status` the
 * HTTP status to answer with.
 */
export class OAuthProtocolError extends Error {
  override readonly name = 'OAuthProtocolError';
  constructor(
    readonly error: string,
    description: string,
    readonly status = 400,
  ) {
    super(description);
  }

  toJSON(): { error: string; error_description: string } {
    return { error: this.error, error_description: this.message };
  }
}
