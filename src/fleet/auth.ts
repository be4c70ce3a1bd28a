/**
 * Where the Fleet client's bearer tokens come from ({@link TokenManager}):
 * - `TESLA_ACCESS_TOKEN`: a fixed token, never refreshed;
 * - the token file (`TESLA_TOKEN_FILE`), seeded from `TESLA_REFRESH_TOKEN` when absent; an
 *   expired token is refreshed **single-flight** (any number of concurrent callers share one
 *   refresh), and the rotated refresh token is written (atomically, 0600) before the new access
 *   token is handed out; a 401 triggers at most one refresh per token;
 * - partner tokens (client-credentials grant) per audience, for partner endpoints.
 * Also: scopes from the token's `scp` claim ({@link TokenManager.requireScopes}), and its region.
 *
 * @module
 */

import { PARTNER_SCOPES } from '../commands/scopes.js';
import { cliCommand } from '../util/cli-command.js';
import { isLoopbackHost } from '../util/loopback.js';
import type { Dispatcher } from './dispatcher.js';
import { FleetConfigError, NotLoggedInError, ScopeError } from './errors.js';
import { refreshGrant, type TokenResponse, tokenRequest } from './oauth.js';
import { decodeJwtClaims, REGIONS, type Region, regionFromClaims } from './regions.js';
import type { StoredTokens, TokenStore } from './token-store.js';

/** What the HTTP layer needs from a token source. */
export interface TokenSource {
  /** A valid access token, refreshed first when it has expired. */
  accessToken(signal?: AbortSignal): Promise<string>;
  /** After a 401 for `used`: a fresh token to retry with once, or undefined when none exists. */
  onUnauthorized(used: string, signal?: AbortSignal): Promise<string | undefined>;
  /** A partner token for `audience` (a Fleet API base URL). */
  partnerToken?(audience: string, signal?: AbortSignal): Promise<string>;
  /** Every secret value held, so error texts can be scrubbed of them. */
  secrets?(): string[];
}

export interface TokenManagerOptions {
  store?: TokenStore | undefined;
  /** `TESLA_ACCESS_TOKEN`: used as is, never refreshed. */
  fixedToken?: string | undefined;
  /** `TESLA_REFRESH_TOKEN`: seeds the token file when it does not exist. */
  seedRefreshToken?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  /** Token endpoint; default by region (`fleet-auth.prd.vn.cloud.tesla.com` or `auth.tesla.cn`). */
  tokenUrl?: string | undefined;
  region?: Region | undefined;
  dispatcher?: Dispatcher | undefined;
  timeoutMs?: number | undefined;
  /** Refresh this many seconds before `expires_at`. */
  skewSeconds?: number | undefined;
  now?: (() => number) | undefined;
}

export class TokenManager implements TokenSource {
  readonly #o: TokenManagerOptions;
  #current: StoredTokens | undefined;
  #loading: Promise<StoredTokens | undefined> | undefined;
  #inflight: Promise<StoredTokens> | undefined;
  readonly #partner = new Map<string, { token: string; expiresAt: number }>();
  /** How many refresh grants this manager sent (tests and `doctor`). */
  refreshCount = 0;

  constructor(o: TokenManagerOptions) {
    this.#o = o;
  }

  get fixed(): boolean {
    return this.#o.fixedToken !== undefined && this.#o.fixedToken !== '';
  }

  get clientId(): string | undefined {
    return this.#o.clientId;
  }

  #now(): number {
    return (this.#o.now ?? Date.now)();
  }

  #tokenUrl(): string {
    return this.#o.tokenUrl ?? REGIONS[this.#o.region ?? 'na'].token;
  }

  #expired(t: StoredTokens): boolean {
    if (t.expires_at === undefined) {
      const exp = decodeJwtClaims(t.access_token)?.exp;
      if (typeof exp !== 'number') return false;
      return exp - (this.#o.skewSeconds ?? 60) <= this.#now() / 1000;
    }
    return t.expires_at - (this.#o.skewSeconds ?? 60) <= this.#now() / 1000;
  }

  /** Reads the token file once (memoized, so concurrent first calls share one read). */
  async #load(): Promise<StoredTokens | undefined> {
    this.#loading ??= (async () => {
      this.#current = await this.#o.store?.read();
      // Not logged in yet: read the file again next time, so a `login` in another process
      // takes effect without a restart.
      if (this.#current === undefined) this.#loading = undefined;
      return this.#current;
    })().catch((err: unknown) => {
      this.#loading = undefined;
      throw err;
    });
    await this.#loading;
    return this.#current;
  }

  /** True when some credential is configured (without reading the network). */
  async configured(): Promise<boolean> {
    if (this.fixed || this.#o.seedRefreshToken) return true;
    return (await this.#load()) !== undefined;
  }

  async accessToken(signal?: AbortSignal): Promise<string> {
    if (this.fixed) return this.#o.fixedToken as string;
    const t = await this.#load();
    if (t && !this.#expired(t)) return t.access_token;
    if (!t && !this.#o.seedRefreshToken) throw new NotLoggedInError();
    return (await this.#refresh(t?.access_token, signal)).access_token;
  }

  async onUnauthorized(used: string, signal?: AbortSignal): Promise<string | undefined> {
    if (this.fixed) return undefined;
    const t = await this.#load();
    if (!t?.refresh_token && !this.#o.seedRefreshToken) return undefined;
    return (await this.#refresh(used, signal)).access_token;
  }

  /**
   * Single-flight refresh. `stale` is the access token the caller found wanting: when the
   * current token (in memory or, written by another process, on disk) is already a different
   * one, that one is used and no grant is sent.
   */
  #refresh(stale: string | undefined, signal?: AbortSignal): Promise<StoredTokens> {
    if (this.#inflight) return this.#inflight;
    const cur = this.#current;
    if (cur && cur.access_token !== stale && !this.#expired(cur)) return Promise.resolve(cur);
    const run = async (): Promise<StoredTokens> => {
      const onDisk = await this.#o.store?.read();
      if (onDisk && onDisk.access_token !== stale && !this.#expired(onDisk)) {
        this.#current = onDisk;
        return onDisk;
      }
      const refreshToken = onDisk?.refresh_token ?? this.#o.seedRefreshToken;
      if (!refreshToken) throw new NotLoggedInError();
      if (!this.#o.clientId) {
        throw new FleetConfigError(
          'fleet: the Tesla access token expired and TESLA_CLIENT_ID is not set, so it cannot be refreshed: set TESLA_CLIENT_ID (your app at developer.tesla.com)',
        );
      }
      this.refreshCount++;
      const r = await refreshGrant(this.#tokenUrl(), this.#o.clientId, refreshToken, {
        dispatcher: this.#o.dispatcher,
        timeoutMs: this.#o.timeoutMs,
        signal,
      });
      const next = toStored(r, this.#now(), refreshToken, onDisk?.region ?? this.#o.region);
      // Tesla's refresh tokens are single-use: save the rotated one before anything uses the new
      // access token, so a crash right after cannot strand the account.
      await this.#o.store?.write(next);
      this.#current = next;
      return next;
    };
    const store = this.#o.store;
    const p = (store ? store.withLock(run) : run()).finally(() => {
      if (this.#inflight === p) this.#inflight = undefined;
    });
    this.#inflight = p;
    return p;
  }

  /** Saves a fresh token set (after `login`). */
  async save(r: TokenResponse, region?: Region): Promise<StoredTokens> {
    const next = toStored(r, this.#now(), undefined, region);
    const store = this.#o.store;
    await store?.withLock(() => store.write(next));
    this.#current = next;
    this.#loading = Promise.resolve(next);
    return next;
  }

  /** The current access token's claims (decoded, not verified); undefined when not a JWT. */
  async claims(): Promise<Record<string, unknown> | undefined> {
    if (this.fixed) return decodeJwtClaims(this.#o.fixedToken as string);
    const t = await this.#load();
    return t ? decodeJwtClaims(t.access_token) : undefined;
  }

  /** The token's scopes (`scp`), or undefined when the token does not say. */
  async scopes(): Promise<string[] | undefined> {
    const c = await this.claims();
    const scp = c?.scp ?? c?.scope;
    if (Array.isArray(scp)) return scp.filter((s): s is string => typeof s === 'string');
    if (typeof scp === 'string') return scp.split(/\s+/).filter(Boolean);
    if (!this.fixed) {
      const s = this.#current?.scope;
      if (s) return s.split(/\s+/).filter(Boolean);
    }
    return undefined;
  }

  /**
   * Scope preflight: throws {@link ScopeError} naming the missing scopes. Tokens that do not
   * state their scopes (opaque fixed tokens, the simulator) pass.
   */
  async requireScopes(needed: readonly string[]): Promise<void> {
    if (needed.length === 0) return;
    const have = await this.scopes();
    if (!have) return;
    const missing = needed.filter((s) => !have.includes(s));
    if (missing.length > 0) throw new ScopeError(missing, this.#o.clientId);
  }

  /** The region and base URL the token names, if any. */
  async tokenRegion(): Promise<{ region: Region; baseUrl: string } | undefined> {
    const fromClaims = regionFromClaims(await this.claims());
    if (fromClaims) return fromClaims;
    const r = this.fixed ? undefined : this.#current?.region;
    return r === 'na' || r === 'eu' || r === 'cn'
      ? { region: r, baseUrl: REGIONS[r].fleetApi }
      : undefined;
  }

  /** Facts about the stored token for `doctor` and `get_token_status`: never the token. */
  async status(): Promise<Record<string, unknown>> {
    if (this.fixed) {
      const c = await this.claims();
      return {
        source: 'TESLA_ACCESS_TOKEN',
        refreshable: false,
        ...(typeof c?.exp === 'number' ? { expiresAt: new Date(c.exp * 1000).toISOString() } : {}),
        scopes: (await this.scopes()) ?? null,
      };
    }
    const t = await this.#load();
    if (!t) return { source: 'none', loggedIn: Boolean(this.#o.seedRefreshToken) };
    return {
      source: 'token file',
      path: this.#o.store?.path,
      refreshable: Boolean(t.refresh_token),
      expired: this.#expired(t),
      ...(t.expires_at ? { expiresAt: new Date(t.expires_at * 1000).toISOString() } : {}),
      scopes: (await this.scopes()) ?? null,
      region: (await this.tokenRegion())?.region ?? null,
      updatedAt: t.updated_at ?? null,
    };
  }

  /** Client-credentials partner token for `audience`, cached until shortly before expiry. */
  async partnerToken(audience: string, signal?: AbortSignal): Promise<string> {
    const cached = this.#partner.get(audience);
    if (cached && cached.expiresAt > this.#now() + 60_000) return cached.token;
    const { clientId, clientSecret } = this.#o;
    if (!clientId || !clientSecret) {
      throw new PartnerCredentialsError();
    }
    const r = await tokenRequest(
      this.#o.tokenUrl ??
        localTokenUrl(audience) ??
        (audience.endsWith('.cn') ? REGIONS.cn.token : REGIONS.na.token),
      {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_secret: clientSecret,
        scope: PARTNER_SCOPES,
        audience,
      },
      { dispatcher: this.#o.dispatcher, timeoutMs: this.#o.timeoutMs, signal },
    );
    this.#partner.set(audience, {
      token: r.access_token,
      expiresAt: this.#now() + (r.expires_in ?? 3600) * 1000,
    });
    return r.access_token;
  }

  /** Every secret value this manager holds, for redaction in logs (never printed). */
  secrets(): string[] {
    const out = [this.#o.fixedToken, this.#o.seedRefreshToken, this.#o.clientSecret];
    if (this.#current) out.push(this.#current.access_token, this.#current.refresh_token);
    for (const p of this.#partner.values()) out.push(p.token);
    return out.filter((s): s is string => typeof s === 'string' && s.length >= 8);
  }
}

/**
 * The token endpoint for a Fleet API on loopback over `http:` (`tesla-mcp sim`, `serve
 * --simulator`): its own `/oauth2/v3/token`. Tesla's token server issues partner tokens only for
 * its Fleet API hosts, never for a loopback audience; the simulator is a developer app and answers
 * the `client_credentials` grant itself.
 */
function localTokenUrl(audience: string): string | undefined {
  try {
    const u = new URL(audience);
    return u.protocol === 'http:' && isLoopbackHost(u.hostname)
      ? new URL('/oauth2/v3/token', u).href
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Partner endpoints (and `specs`) need a partner token, which only the app's client id and
 * secret can get (Tesla Fleet API docs, "Partner Tokens"); the user's login does not help.
 */
export class PartnerCredentialsError extends Error {
  override readonly name = 'PartnerCredentialsError';
  readonly code = 'partner_credentials';
  readonly retryable = false;
  constructor() {
    super(
      `fleet: this endpoint needs a partner token, made from the app's credentials: set TESLA_CLIENT_ID and TESLA_CLIENT_SECRET (the app's client id and secret at https://developer.tesla.com/dashboard) in the server's environment, or run \`${cliCommand('setup')}\``,
    );
  }
}

function toStored(
  r: TokenResponse,
  nowMs: number,
  previousRefresh: string | undefined,
  region: string | undefined,
): StoredTokens {
  return {
    access_token: r.access_token,
    refresh_token: r.refresh_token ?? previousRefresh,
    expires_at: Math.floor(nowMs / 1000) + (r.expires_in ?? 28_800),
    token_type: r.token_type ?? 'Bearer',
    ...(r.scope ? { scope: r.scope } : {}),
    ...(region ? { region } : {}),
  };
}
