/**
 * `tesla-mcp login [--port P] [--region R] [--scopes "a b"] [--no-open] [--no-browser]`: Tesla
 * OAuth authorization code flow with PKCE (S256) (`../fleet/login-flow.ts`). On a desktop the
 * code arrives at a loopback callback on `TESLA_LOGIN_PORT` (default 8750); with `--no-browser`,
 * or when no display is found, the user opens the URL on any device and pastes the address the
 * browser was redirected to. The code never passes through the AI; the tokens go to
 * `TESLA_TOKEN_FILE` (0600, atomic) and are never printed.
 *
 * @module
 */
import { spawn } from 'node:child_process';
import { DEFAULT_SCOPES, OFFLINE_ACCESS, SESSION_SCOPES } from '../commands/scopes.js';
import { configPaths } from '../config/paths.js';
import { saveSettings } from '../config/settings.js';
import { TokenManager } from '../fleet/auth.js';
import {
  codeFromRedirectUrl,
  exchangeCode,
  hasDisplay,
  type LoginParams,
  loopbackRedirectUri,
  prepareLogin,
  startLoopbackLogin,
} from '../fleet/login-flow.js';
import type { TokenResponse } from '../fleet/oauth.js';
import { decodeJwtClaims, parseRegion, REGIONS, type Region } from '../fleet/regions.js';
import { type Output, output, parseCommand, type SetupIo, UsageError } from '../fleet/setup.js';
import { TokenStore } from '../fleet/token-store.js';
import { cliCommand } from '../util/cli-command.js';
import { readLine } from './prompt-line.js';

const HELP = `Usage: tesla-mcp login [--port P] [--region na|eu|cn] [--scopes "a b ..."] [--no-open]
                       [--no-browser]

Signs in to Tesla (OAuth authorization code + PKCE) and saves the tokens to TESLA_TOKEN_FILE
(default CONFIG/tokens.json, mode 0600). Needs TESLA_CLIENT_ID (and TESLA_CLIENT_SECRET) of your
app from developer.tesla.com, whose allowed redirect URI must include
http://localhost:PORT/callback (PORT = --port, TESLA_LOGIN_PORT, default 8750).

  --no-open      print the URL, do not start the browser (the callback still waits)
  --no-browser   headless machines (the default when no display is found): open the URL on any
                 device, sign in, then paste here the whole address the browser was sent to
                 (a http://localhost:PORT/callback?code=... page that does not load)

Default scopes: ${DEFAULT_SCOPES.join(' ')}
`;

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

export interface LoginIo extends SetupIo {
  /** Reads one line from the user (default: stdin); `--no-browser` reads the pasted URL. */
  readLine?: (prompt: string) => Promise<string>;
}

export interface LoginOptions {
  port: number;
  region: Region;
  scopes: string[];
  headless: boolean;
  open: boolean;
}

/** Resolves `login`'s flags over the environment. Throws `UsageError`. */
export function loginOptions(
  flags: Record<string, string | true>,
  env: Output['env'],
  io: LoginIo,
): LoginOptions {
  const region = parseRegion(String(flags.region ?? env.TESLA_REGION ?? 'na'));
  const rawPort = String(flags.port ?? env.TESLA_LOGIN_PORT ?? '8750');
  const port = Number(rawPort);
  if (!/^\d+$/.test(rawPort) || port > 65535) throw new UsageError(`invalid port '${rawPort}'`);
  const scopes =
    typeof flags.scopes === 'string'
      ? flags.scopes.split(/[\s,]+/).filter(Boolean)
      : [...DEFAULT_SCOPES];
  if (!scopes.includes(OFFLINE_ACCESS)) scopes.push(OFFLINE_ACCESS);
  const headless =
    flags['no-browser'] === true || (io.openBrowser === undefined && !hasDisplay(env));
  return { port, region, scopes, headless, open: flags['no-open'] !== true };
}

/**
 * Runs the login (loopback or pasted redirect), saves the tokens and prints what was granted.
 * Throws with a message that says what to do.
 */
export async function performLogin(
  o: LoginOptions,
  clientId: string,
  io: LoginIo,
  { env, out }: Output,
): Promise<void> {
  const params: LoginParams = {
    clientId,
    clientSecret: env.TESLA_CLIENT_SECRET,
    region: o.region,
    scopes: o.scopes,
    authorizeEndpoint: io.authorizeUrl,
    tokenUrl: io.tokenUrl,
    dispatcher: io.dispatcher,
  };
  const where = `region ${o.region}: ${REGIONS[o.region].name}`;
  let tokens: TokenResponse;
  if (o.headless) {
    const pending = prepareLogin(params, loopbackRedirectUri(o.port === 0 ? 8750 : o.port));
    out(`No browser here (or --no-browser): sign in on any device.

1. Check that your app's "Allowed Redirect URI(s)" at developer.tesla.com include:
  ${pending.redirectUri}
2. Open this URL in a browser and sign in to Tesla (${where}):
  ${pending.url}
3. The browser then goes to ${pending.redirectUri}?code=... and shows an error page,
   since nothing listens there. Copy that whole address from the address bar.

`);
    const ask = io.readLine ?? readLine;
    const pasted = await ask('Paste the address here: ');
    tokens = await exchangeCode(params, pending, codeFromRedirectUrl(pasted, pending));
  } else {
    const flow = await startLoopbackLogin({
      ...params,
      port: o.port,
      timeoutMs: io.loginTimeoutMs ?? 300_000,
    });
    out(`Redirect URI (must be listed in your app's "Allowed Redirect URI(s)" at developer.tesla.com):
  ${flow.redirectUri}

Open this URL in a browser and sign in to Tesla (${where}):
  ${flow.url}

Waiting for the browser... (on a machine without a browser, run \`${cliCommand('login --no-browser')}\`)
`);
    try {
      if (io.openBrowser) await io.openBrowser(flow.url);
      else if (o.open) tryOpen(flow.url);
      tokens = await flow.done;
    } finally {
      flow.close();
    }
  }
  const path = configPaths(env).tokens;
  const manager = new TokenManager({ store: new TokenStore(path), clientId, region: o.region });
  await manager.save(tokens, o.region);
  const granted = (await manager.scopes()) ?? tokens.scope?.split(/\s+/) ?? [];
  const missing = o.scopes.filter(
    (s) => !granted.includes(s) && !(SESSION_SCOPES as readonly string[]).includes(s),
  );
  const claims = decodeJwtClaims(tokens.access_token);
  out(`Signed in. Tokens saved to ${path} (mode 0600).
Scopes granted: ${granted.length ? granted.join(' ') : '(not stated by the token)'}
`);
  if (missing.length) {
    out(`Not granted: ${missing.join(' ')}. Tools needing them will say so. To grant them, revoke consent at
  https://auth.tesla.com/user/revoke/consent?revoke_client_id=${encodeURIComponent(clientId)}
and run \`${cliCommand('login')}\` again.
`);
  }
  if (typeof claims?.ou_code === 'string' && claims.ou_code.toLowerCase() !== o.region) {
    out(
      `Note: the account is in region ${claims.ou_code}; the Fleet client uses the token's region.\n`,
    );
  }
}

export async function run(argv: string[], io: LoginIo = {}): Promise<number> {
  const o = output(io);
  const { env, out, err } = o;
  const args = parseCommand(
    'login',
    argv,
    HELP,
    { out, err },
    ['port', 'region', 'scopes'],
    ['no-open', 'no-browser'],
  );
  if (typeof args === 'number') return args;
  const clientId = env.TESLA_CLIENT_ID;
  if (!clientId) {
    err(
      `tesla-mcp login: set TESLA_CLIENT_ID (and TESLA_CLIENT_SECRET) to your app from https://developer.tesla.com first (or run \`${cliCommand('setup')}\`)\n`,
    );
    return 1;
  }
  let opts: LoginOptions;
  try {
    opts = loginOptions(args.flags, env, io);
  } catch (e) {
    err(`tesla-mcp login: ${(e as Error).message.replace(/^fleet: /, '')}\n`);
    return 2;
  }
  try {
    await performLogin(opts, clientId, io, o);
    if (typeof args.flags.region === 'string') await saveSettings(env, { region: opts.region });
  } catch (e) {
    err(`tesla-mcp login: ${(e as Error).message.replace(/^fleet: /, '')}\n`);
    return 1;
  }
  out(`Next: \`${cliCommand('doctor')}\` checks the whole setup.\n`);
  return 0;
}
