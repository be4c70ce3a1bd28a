/**
 * Tesla's OAuth authorization code flow with PKCE (S256), as `tesla-mcp login`, `setup` and the
 * MCP `get_login_link` tool run it: {@link prepareLogin} makes the authorize URL;
 * the code then arrives either at a loopback callback ({@link startLoopbackLogin}, the default
 * on a desktop) or in the redirect URL the user pastes ({@link codeFromRedirectUrl}, headless
 * machines). Both check `state` in constant time; the code never passes through the AI.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cliCommand } from '../util/cli-command.js';
import { safeEqual } from '../util/safe-equal.js';
import type { Dispatcher } from './dispatcher.js';
import { authorizeUrl, createPkce, type Pkce, type TokenResponse, tokenRequest } from './oauth.js';
import { REGIONS, type Region } from './regions.js';

export interface LoginParams {
  clientId: string;
  clientSecret?: string | undefined;
  region: Region;
  scopes: readonly string[];
  /** Overrides of Tesla's endpoints (tests: a fake authorization server on loopback). */
  authorizeEndpoint?: string | undefined;
  tokenUrl?: string | undefined;
  dispatcher?: Dispatcher | undefined;
}

export interface PendingLogin {
  url: string;
  redirectUri: string;
  state: string;
  pkce: Pkce;
}

/** A login that cannot complete; the message says what to do. */
export class LoginFlowError extends Error {
  override readonly name = 'LoginFlowError';
  readonly code = 'login_failed';
}

export function prepareLogin(p: LoginParams, redirectUri: string): PendingLogin {
  const state = randomBytes(16).toString('base64url');
  const pkce = createPkce();
  const url = authorizeUrl({
    authorizeEndpoint: p.authorizeEndpoint ?? REGIONS[p.region].authorize,
    clientId: p.clientId,
    redirectUri,
    scopes: p.scopes,
    state,
    pkce,
  });
  return { url, redirectUri, state, pkce };
}

/** `http://localhost:PORT/callback`: what the app's "Allowed Redirect URI(s)" must list. */
export function loopbackRedirectUri(port: number): string {
  return `http://localhost:${port}/callback`;
}

function refusal(error: string | null): string {
  return (error ?? 'no code').replace(/[^\w .-]/g, '').slice(0, 100);
}

/**
 * The code from the URL the browser was redirected to (pasted by the user): it must be the
 * redirect URI of this login and carry this login's `state`.
 */
export function codeFromRedirectUrl(pasted: string, pending: PendingLogin): string {
  let url: URL;
  try {
    url = new URL(pasted.trim());
  } catch {
    throw new LoginFlowError(
      'that is not a URL: paste the whole address from the browser bar after signing in (it starts with http://localhost)',
    );
  }
  const expected = new URL(pending.redirectUri);
  if (url.origin !== expected.origin || url.pathname !== expected.pathname) {
    throw new LoginFlowError(
      `that URL is not the redirect of this login (expected it to start with ${pending.redirectUri})`,
    );
  }
  if (!safeEqual(url.searchParams.get('state') ?? '', pending.state)) {
    throw new LoginFlowError(
      'the state in that URL does not match this login: paste the URL from the sign-in this command started, or run it again',
    );
  }
  const code = url.searchParams.get('code');
  if (!code) {
    throw new LoginFlowError(
      `Tesla refused the login (${refusal(url.searchParams.get('error'))}): check the app's scopes and redirect URI at developer.tesla.com, then try again`,
    );
  }
  return code;
}

/** Exchanges the code (with the PKCE verifier) at Tesla's token endpoint. */
export function exchangeCode(
  p: LoginParams,
  pending: PendingLogin,
  code: string,
): Promise<TokenResponse> {
  return tokenRequest(
    p.tokenUrl ?? REGIONS[p.region].token,
    {
      grant_type: 'authorization_code',
      client_id: p.clientId,
      client_secret: p.clientSecret,
      code,
      code_verifier: pending.pkce.verifier,
      redirect_uri: pending.redirectUri,
      audience: REGIONS[p.region].fleetApi,
    },
    { dispatcher: p.dispatcher },
  );
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${title}</h1><p>${text}</p></body>`;

export interface LoopbackLogin extends PendingLogin {
  port: number;
  /** Resolves with Tesla's tokens once the callback came and the code was exchanged. */
  done: Promise<TokenResponse>;
  close(): void;
}

/**
 * Listens on `127.0.0.1:port` for `/callback`, then exchanges the code. A request with a wrong
 * state is answered with an error page and does not end the login; the server closes itself
 * when done, on failure, or after `timeoutMs`.
 */
export async function startLoopbackLogin(
  p: LoginParams & { port: number; timeoutMs: number; again?: string },
): Promise<LoopbackLogin> {
  const server: Server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(p.port, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    throw new LoginFlowError(
      `cannot listen on 127.0.0.1:${p.port} for the login callback (${(e as NodeJS.ErrnoException).code ?? 'error'}): free the port or set another with --port / TESLA_LOGIN_PORT (and list its redirect URI in the app)`,
    );
  }
  const port = (server.address() as AddressInfo).port;
  const pending = prepareLogin(p, loopbackRedirectUri(port));
  const again = p.again ?? `run \`${cliCommand('login')}\` again`;
  const close = () => {
    server.closeAllConnections();
    server.close();
  };
  const code = new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new LoginFlowError(`no answer from the browser within the time limit: ${again}`));
    }, p.timeoutMs);
    timer.unref();
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/callback') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      if (!safeEqual(url.searchParams.get('state') ?? '', pending.state)) {
        res
          .writeHead(400, { 'content-type': 'text/html' })
          .end(PAGE('Login failed', 'The state does not match this login. Start it again.'));
        return; // keep waiting: a stray or forged request must not end the real login
      }
      clearTimeout(timer);
      const got = url.searchParams.get('code');
      if (!got) {
        const why = refusal(url.searchParams.get('error'));
        res
          .writeHead(400, { 'content-type': 'text/html' })
          .end(PAGE('Login failed', `Tesla answered: ${why}.`));
        reject(
          new LoginFlowError(
            `Tesla refused the login (${why}): check the app's scopes and redirect URI at developer.tesla.com, then ${again}`,
          ),
        );
        return;
      }
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(PAGE('Signed in to Tesla', 'You can close this window.'));
      resolve(got);
    });
  });
  const done = code.then((c) => exchangeCode(p, pending, c)).finally(close);
  done.catch(() => undefined); // the caller awaits it; never an unhandled rejection
  return { ...pending, port, done, close };
}

/** Whether a browser can open here: macOS and Windows always; elsewhere a display is needed. */
export function hasDisplay(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}
