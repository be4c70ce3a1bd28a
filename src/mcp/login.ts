/**
 * Tesla sign-in started from the MCP server (the `get_login_link` tool), for users without a
 * terminal (Claude Desktop, an MCP Bundle): the server runs the same PKCE loopback flow as
 * `tesla-mcp login` (`../fleet/login-flow.ts`) and hands back only the authorize URL. The
 * browser brings the code to the server's own loopback callback, so it never passes through the
 * model; the tokens are saved with the server's token manager and used from the next call on.
 *
 * @module
 */
import type { TokenManager } from '../fleet/auth.js';
import { type LoginParams, type LoopbackLogin, startLoopbackLogin } from '../fleet/login-flow.js';

export type LoginStatus = 'logged_in' | 'pending' | 'completed' | 'failed';

export interface LoginState {
  status: LoginStatus;
  /** The URL the user opens (while pending). */
  url?: string;
  redirect_uri?: string;
  expires_in_seconds?: number;
  scopes?: string[];
  next: string;
}

/** What the tool needs (tests pass a fake). */
export interface LoginService {
  start(o?: { relogin?: boolean }): Promise<LoginState>;
}

export interface ServerLoginOptions extends LoginParams {
  tokens: Pick<TokenManager, 'configured' | 'save' | 'scopes'>;
  /** Callback port (`TESLA_LOGIN_PORT`, default 8750; 0 picks a free one). */
  port: number;
  timeoutMs?: number;
  now?: () => number;
}

/** One login at a time; later calls report on it. */
export class ServerLogin implements LoginService {
  readonly #o: ServerLoginOptions;
  #flow: (LoopbackLogin & { startedAt: number }) | undefined;
  #outcome: { ok: true; scopes: string[] } | { ok: false; message: string } | undefined;

  constructor(o: ServerLoginOptions) {
    this.#o = o;
  }

  async start(o: { relogin?: boolean } = {}): Promise<LoginState> {
    const now = this.#o.now ?? Date.now;
    const timeoutMs = this.#o.timeoutMs ?? 300_000;
    const outcome = this.#outcome;
    if (outcome) {
      this.#outcome = undefined;
      if (outcome.ok) {
        return {
          status: 'completed',
          scopes: outcome.scopes,
          next: 'Signed in to Tesla; the tokens are saved on this machine. Retry the request.',
        };
      }
      if (!o.relogin) {
        return {
          status: 'failed',
          next: `${outcome.message}. Call get_login_link again for a new link.`,
        };
      }
    }
    if (this.#flow) {
      const left = Math.max(0, Math.round((this.#flow.startedAt + timeoutMs - now()) / 1000));
      return this.#pending(this.#flow, left);
    }
    if (!o.relogin && (await this.#o.tokens.configured())) {
      return {
        status: 'logged_in',
        next: 'Already signed in to Tesla. If calls answer "login required", call get_login_link with relogin: true.',
      };
    }
    const flow = await startLoopbackLogin({
      ...this.#o,
      timeoutMs,
      again: 'call get_login_link again',
    });
    this.#flow = { ...flow, startedAt: now() };
    flow.done
      .then(
        async (tokens) => {
          try {
            await this.#o.tokens.save(tokens, this.#o.region);
            const granted = (await this.#o.tokens.scopes()) ?? tokens.scope?.split(/\s+/) ?? [];
            this.#outcome = { ok: true, scopes: granted };
          } catch {
            this.#outcome = { ok: false, message: 'the tokens could not be saved' };
          }
        },
        (err: unknown) => {
          const msg = err instanceof Error ? err.message.replace(/^fleet: /, '') : 'login failed';
          this.#outcome = { ok: false, message: msg.replace(/\.$/, '') };
        },
      )
      .finally(() => {
        this.#flow = undefined;
      });
    return this.#pending(this.#flow, Math.round(timeoutMs / 1000));
  }

  #pending(flow: LoopbackLogin, left: number): LoginState {
    return {
      status: 'pending',
      url: flow.url,
      redirect_uri: flow.redirectUri,
      expires_in_seconds: left,
      next: `Ask the user to open this URL in a browser on the machine running this server and sign in to Tesla (the app's allowed redirect URIs must include ${flow.redirectUri}). Then call get_login_link again to see whether the login completed. Never ask the user for the code.`,
    };
  }

  /** Stops a pending login (server shutdown). */
  close(): void {
    this.#flow?.close();
    this.#flow = undefined;
  }
}
