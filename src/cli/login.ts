/**
 * `tesla-mcp login [--port P] [--region R] [--scopes "a b"] [--no-open]`: Tesla OAuth
 * authorization code flow with PKCE (S256) and a loopback callback on `TESLA_LOGIN_PORT`
 * (default 8750). The code never passes through the AI or the clipboard; the tokens go to
 * `TESLA_TOKEN_FILE` (0600, atomic) and are never printed.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { configPaths } from '../config/paths.js';
import { TokenManager } from '../fleet/auth.js';
import { authorizeUrl, createPkce, DEFAULT_SCOPES, tokenRequest } from '../fleet/oauth.js';
import { decodeJwtClaims, parseRegion, REGIONS, type Region } from '../fleet/regions.js';
import { output, parseCommand, type SetupIo, UsageError } from '../fleet/setup.js';
import { TokenStore } from '../fleet/token-store.js';

const HELP = `Usage: tesla-mcp login [--port P] [--region na|eu|cn] [--scopes "a b ..."] [--no-open]

Signs in to Tesla (OAuth authorization code + PKCE) and saves the tokens to TESLA_TOKEN_FILE
(default CONFIG/tokens.json, mode 0600). Needs TESLA_CLIENT_ID (and TESLA_CLIENT_SECRET) of your
app from developer.tesla.com, whose allowed redirect URI must include
http://localhost:PORT/callback (PORT = --port, TESLA_LOGIN_PORT, default 8750).

Default scopes: ${DEFAULT_SCOPES.join(' ')}
`;

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function tryOpen(url: string): void {
  const cmd =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    const child = spawn(cmd, [url], { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // Printing the URL is enough.
  }
}

const PAGE = (title: string, text: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font-family:sans-serif;max-width:40em;margin:4em auto"><h1>${title}</h1><p>${text}</p></body>`;

interface Callback {
  code: string;
}

function waitForCallback(server: Server, state: string, timeoutMs: number): Promise<Callback> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new Error('no answer from the browser within the time limit: run `tesla-mcp login` again'),
      );
    }, timeoutMs);
    timer.unref();
    server.on('request', (req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (url.pathname !== '/callback') {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      const gotState = url.searchParams.get('state') ?? '';
      const error = url.searchParams.get('error');
      const code = url.searchParams.get('code');
      if (!safeEqual(gotState, state)) {
        res
          .writeHead(400, { 'content-type': 'text/html' })
          .end(
            PAGE(
              'Login failed',
              'The state does not match this login. Start again with <code>tesla-mcp login</code>.',
            ),
          );
        return; // keep waiting: a stray or forged request must not end the real login
      }
      clearTimeout(timer);
      if (error || !code) {
        const why = (error ?? 'no code').replace(/[^\w .-]/g, '').slice(0, 100);
        res
          .writeHead(400, { 'content-type': 'text/html' })
          .end(PAGE('Login failed', `Tesla answered: ${why}.`));
        reject(
          new Error(
            `Tesla refused the login (${why}): check the app's scopes and redirect URI at developer.tesla.com, then run \`tesla-mcp login\` again`,
          ),
        );
        return;
      }
      res
        .writeHead(200, { 'content-type': 'text/html' })
        .end(PAGE('Signed in to Tesla', 'You can close this window and return to the terminal.'));
      resolve({ code });
    });
  });
}

export async function run(argv: string[], io: SetupIo = {}): Promise<number> {
  const { env, out, err } = output(io);
  const args = parseCommand(
    'login',
    argv,
    HELP,
    { out, err },
    ['port', 'region', 'scopes'],
    ['no-open'],
  );
  if (typeof args === 'number') return args;
  const clientId = env.TESLA_CLIENT_ID;
  if (!clientId) {
    err(
      'tesla-mcp login: set TESLA_CLIENT_ID (and TESLA_CLIENT_SECRET) to your app from https://developer.tesla.com first\n',
    );
    return 1;
  }
  let region: Region;
  let port: number;
  try {
    region = parseRegion(String(args.flags.region ?? env.TESLA_REGION ?? 'na'));
    const rawPort = String(args.flags.port ?? env.TESLA_LOGIN_PORT ?? '8750');
    port = Number(rawPort);
    if (!/^\d+$/.test(rawPort) || port > 65535) throw new UsageError(`invalid port '${rawPort}'`);
  } catch (e) {
    err(`tesla-mcp login: ${(e as Error).message.replace(/^fleet: /, '')}\n`);
    return 2;
  }
  const scopes =
    typeof args.flags.scopes === 'string'
      ? args.flags.scopes.split(/[\s,]+/).filter(Boolean)
      : [...DEFAULT_SCOPES];
  if (!scopes.includes('offline_access')) scopes.push('offline_access');

  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  } catch (e) {
    err(
      `tesla-mcp login: cannot listen on 127.0.0.1:${port} (${(e as NodeJS.ErrnoException).code ?? 'error'}): free the port or pass --port\n`,
    );
    return 1;
  }
  try {
    const actualPort = (server.address() as AddressInfo).port;
    const redirectUri = `http://localhost:${actualPort}/callback`;
    const state = randomBytes(16).toString('base64url');
    const pkce = createPkce();
    const url = authorizeUrl({
      authorizeEndpoint: io.authorizeUrl ?? REGIONS[region].authorize,
      clientId,
      redirectUri,
      scopes,
      state,
      pkce,
    });
    out(`Redirect URI (must be listed in your app's "Allowed Redirect URI(s)" at developer.tesla.com):
  ${redirectUri}

Open this URL in a browser and sign in to Tesla (region ${region}: ${REGIONS[region].name}):
  ${url}

Waiting for the browser...
`);
    const callback = waitForCallback(server, state, io.loginTimeoutMs ?? 300_000);
    if (io.openBrowser) await io.openBrowser(url);
    else if (args.flags['no-open'] !== true) tryOpen(url);
    const { code } = await callback;
    const tokens = await tokenRequest(
      io.tokenUrl ?? REGIONS[region].token,
      {
        grant_type: 'authorization_code',
        client_id: clientId,
        client_secret: env.TESLA_CLIENT_SECRET,
        code,
        code_verifier: pkce.verifier,
        redirect_uri: redirectUri,
        audience: REGIONS[region].fleetApi,
      },
      { dispatcher: io.dispatcher },
    );
    const path = configPaths(env).tokens;
    const manager = new TokenManager({ store: new TokenStore(path), clientId, region });
    await manager.save(tokens, region);
    const granted = (await manager.scopes()) ?? tokens.scope?.split(/\s+/) ?? [];
    const missing = scopes.filter(
      (s) => !granted.includes(s) && s !== 'openid' && s !== 'offline_access',
    );
    const claims = decodeJwtClaims(tokens.access_token);
    out(`Signed in. Tokens saved to ${path} (mode 0600).
Scopes granted: ${granted.length ? granted.join(' ') : '(not stated by the token)'}
`);
    if (missing.length) {
      out(`Not granted: ${missing.join(' ')}. Tools needing them will say so. To grant them, revoke consent at
  https://auth.tesla.com/user/revoke/consent?revoke_client_id=${encodeURIComponent(clientId)}
and run \`tesla-mcp login\` again.
`);
    }
    if (typeof claims?.ou_code === 'string' && claims.ou_code.toLowerCase() !== region) {
      out(
        `Note: the account is in region ${claims.ou_code}; the Fleet client uses the token's region.\n`,
      );
    }
    out('Next: `tesla-mcp doctor` checks the whole setup.\n');
    return 0;
  } catch (e) {
    err(`tesla-mcp login: ${(e as Error).message.replace(/^fleet: /, '')}\n`);
    return 1;
  } finally {
    server.closeAllConnections();
    server.close();
  }
}
