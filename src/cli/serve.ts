/**
 * `tesla-mcp serve`: the MCP server, over stdio (default; what `npx -y tesla-mcp` runs) or
 * Streamable HTTP (`--http`). Flags win over environment (README "Environment"). Without Tesla
 * credentials it still starts and lists its tools; the simulator runs only with `--simulator`.
 * Its flags and variables are read by `serve-options.ts`.
 *
 * @module
 */
import { networkInterfaces } from 'node:os';
import { configPaths, type Env } from '../config/paths.js';
import { withSettings } from '../config/settings.js';
import { resolveApiKey } from '../mcp/auth/api-key.js';
import { type GuessLimit, SharedGuessLimiter } from '../mcp/auth/guess-limit.js';
import { checkAuthConfig } from '../mcp/auth/policy.js';
import { SharedOAuthState } from '../mcp/auth/shared-state.js';
import { parseRedirectUris, resolveStaticClient } from '../mcp/auth/static-client.js';
import { Confirmations } from '../mcp/confirmations.js';
import { createRuntime } from '../mcp/runtime.js';
import {
  type ConfirmMode,
  createServer,
  parseConfirmMode,
  parseToolsets,
  type ServerConfig,
  selectTools,
} from '../mcp/server.js';
import { startSimulator } from '../sim/index.js';
import { cliCommand } from '../util/cli-command.js';
import { readSettingFile } from '../util/fs.js';
import { isLoopbackHost } from '../util/loopback.js';
import { parseServeArgs, type ServeOptions, USAGE } from './serve-options.js';

function waitForSignal(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}

export async function run(argv: string[], rawEnv: Env = process.env): Promise<number> {
  const log = (line: string) => process.stderr.write(`tesla-mcp: ${line}\n`);
  let env: Env;
  try {
    env = withSettings(rawEnv);
  } catch (err) {
    process.stderr.write(`tesla-mcp serve: ${(err as Error).message}\n`);
    return 1;
  }
  let o: ServeOptions;
  let config: ServerConfig;
  try {
    o = parseServeArgs(argv, env);
    if (o.help) {
      process.stdout.write(USAGE);
      return 0;
    }
    const confirm: ConfirmMode = parseConfirmMode(o.confirm);
    config = {
      // Unset (or empty) leaves the toolsets unpinned: the model may add some (enable_toolsets).
      ...(o.toolsets?.trim() ? { toolsets: parseToolsets(o.toolsets) } : {}),
      readOnly: o.readOnly,
      confirm,
      // One pending-token store for every session of this process (each token names its session).
      confirmations: new Confirmations(),
      log,
      inflight: new Set(),
    };
  } catch (err) {
    process.stderr.write(`tesla-mcp serve: ${(err as Error).message}\n\n${USAGE}`);
    return 2;
  }
  for (const note of o.notes) log(note);
  if (env.TESLA_PROXY_URL || env.TESLA_PROXY_VERIFY_SSL) {
    log(
      'TESLA_PROXY_URL / TESLA_PROXY_VERIFY_SSL are ignored: commands are now signed in-process, no tesla-http-proxy needed',
    );
  }
  const paths = configPaths(env);
  let auth: {
    oauth?: {
      client: { clientId: string; clientSecret: string };
      statePath: string;
      state?: SharedOAuthState;
      redirectUris?: string[] | undefined;
    };
    apiKey?: string;
  } = {};
  if (o.http) {
    try {
      const apiKey = await resolveApiKey({ env, flag: o.apiKey, path: paths.apiKey });
      const client = await resolveStaticClient({ env, path: paths.mcpClient });
      const refusal = checkAuthConfig({
        host: o.host,
        simulator: o.simulator,
        noAuth: o.noAuth,
        oauth: client !== undefined,
        apiKey: apiKey !== undefined,
        publicUrl: o.publicUrl,
      });
      if (refusal) {
        process.stderr.write(`tesla-mcp serve: ${refusal}\n`);
        return 1;
      }
      if (apiKey?.generated) log(`generated an API key in ${apiKey.source} (mode 0600)`);
      else if (apiKey && apiKey.source !== 'env' && apiKey.source !== 'flag')
        log(`API key from ${apiKey.source}`);
      auth = {
        ...(client
          ? {
              oauth: {
                client: { clientId: client.clientId, clientSecret: client.clientSecret },
                statePath: paths.oauthState,
                redirectUris: parseRedirectUris(env.MCP_REDIRECT_URIS),
              },
            }
          : {}),
        ...(apiKey ? { apiKey: apiKey.key } : {}),
      };
    } catch (err) {
      process.stderr.write(`tesla-mcp serve: ${(err as Error).message}\n`);
      return 1;
    }
  } else if (o.apiKey !== undefined || o.noAuth) {
    log('--api-key and --no-auth apply to --http only; stdio has no MCP auth');
  }

  let runtime: Awaited<ReturnType<typeof createRuntime>>;
  try {
    runtime = await createRuntime({
      env,
      simulator: o.simulator,
      startSimulator,
      log,
      redisUrl: o.redisUrl,
    });
  } catch (err) {
    process.stderr.write(`tesla-mcp serve: ${(err as Error).message}\n`);
    return 1;
  }
  // Pending confirmation tokens, OAuth grants and the guess limit are shared by every instance
  // on the same Redis.
  let guesses: GuessLimit | undefined;
  if (o.redisUrl && !runtime.shared) {
    log(
      `--redis is not used: there is no command key to name its keys and seal its records, so OAuth grants are shared only with processes on this config folder (oauth-state.json) and codes and the guess limit stay in this process: create or pair a command key (or set TESLA_PRIVATE_KEY_FILE)`,
    );
  }
  if (runtime.shared) {
    const shared = runtime.shared;
    config.confirmations = new Confirmations({ store: shared.records('confirmations') });
    guesses = new SharedGuessLimiter({
      store: { events: shared.events('guesses'), records: shared.records('guesses') },
    });
    if (auth.oauth && runtime.stateKey) {
      auth.oauth.state = new SharedOAuthState({
        records: shared.records('oauth'),
        key: runtime.stateKey,
        warn: log,
      });
    }
  }
  if (!(await runtime.loggedIn())) {
    config.extraTools = ['get_login_link'];
    log(
      runtime.deps.login
        ? `not logged in to Tesla: the get_login_link tool signs in from here (or run \`${cliCommand('login')}\`)`
        : `not logged in to Tesla: run \`${cliCommand('setup')}\` (or set TESLA_CLIENT_ID so the get_login_link tool can sign in)`,
    );
  }
  const count = selectTools(config).length;
  const fleetName = o.simulator ? 'the simulated fleet' : 'the Tesla Fleet API';

  if (!o.http) {
    const { StdioServerTransport } = await import('@modelcontextprotocol/sdk/server/stdio.js');
    const server = createServer(config, runtime.deps);
    const transport = new StdioServerTransport();
    const closed = new Promise<void>((resolve) => {
      transport.onclose = () => resolve();
      process.stdin.once('end', () => resolve());
    });
    await server.connect(transport);
    log(`serving ${count} tools over stdio on ${fleetName}`);
    if (runtime.simulator) log(`watch the simulated cars: ${runtime.simulator.url}/`);
    await Promise.race([closed, waitForSignal()]);
    // Let calls already received finish (a client may close stdin right after its last request).
    await Promise.allSettled([...(config.inflight ?? [])]);
    await new Promise((resolve) => setImmediate(resolve));
    await server.close().catch(() => {});
    await runtime.close();
    return 0;
  }

  const { startHttpServer } = await import('../mcp/http.js');
  let handle: Awaited<ReturnType<typeof startHttpServer>>;
  try {
    const tls =
      o.tlsCert && o.tlsKey
        ? {
            cert: await readSettingFile(
              o.tlsCert,
              'TLS certificate',
              'check --tls-cert / TESLA_MCP_TLS_CERT',
            ),
            key: await readSettingFile(o.tlsKey, 'TLS key', 'check --tls-key / TESLA_MCP_TLS_KEY'),
          }
        : undefined;
    handle = await startHttpServer({
      tls,
      createMcpServer: () => createServer(config, runtime.deps),
      auth,
      host: o.host,
      port: o.port,
      publicUrl: o.publicUrl,
      publicKeyPem: runtime.publicKeyPem,
      trustProxy: o.trustProxy,
      ...(guesses ? { guesses } : {}),
    });
  } catch (err) {
    await runtime.close();
    process.stderr.write(`tesla-mcp serve: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(
    `tesla-mcp: serving ${count} tools on ${fleetName}\nMCP URL: ${handle.mcpUrl}\n${reachability(o, handle.mcpUrl)}`,
  );
  log(`auth: ${authModes(auth)}`);
  if (runtime.simulator) {
    process.stdout.write(`Watch the simulated cars: ${runtime.simulator.url}/\n`);
  }
  if (o.simulator && isLoopbackHost(o.host)) {
    process.stdout.write(
      `Add it to Claude Code:\nclaude mcp add --transport http tesla ${handle.mcpUrl}\n`,
    );
  }
  await waitForSignal();
  await handle.close();
  await runtime.close();
  return 0;
}

/** Which auth modes `/mcp` accepts, for the start-up line. */
export function authModes(auth: { oauth?: { client: { clientId: string } }; apiKey?: string }) {
  const modes = [
    ...(auth.oauth ? [`OAuth 2.1 (static client ${auth.oauth.client.clientId})`] : []),
    ...(auth.apiKey !== undefined ? ['API key (Authorization: Bearer)'] : []),
  ];
  return modes.length ? modes.join(' + ') : 'none (loopback only)';
}

/**
 * On a non-loopback bind without `--public-url`, the URLs other machines must use: the server's
 * own URL says 127.0.0.1 on a wildcard bind, which only this machine reaches.
 */
export function reachability(
  o: Pick<ServeOptions, 'host' | 'publicUrl' | 'tlsCert'>,
  mcpUrl: string,
) {
  if (o.publicUrl || isLoopbackHost(o.host)) return '';
  const port = new URL(mcpUrl).port;
  const scheme = o.tlsCert ? 'https' : 'http';
  const wildcard = o.host === '0.0.0.0' || o.host === '::' || o.host === '[::]';
  const addrs = wildcard
    ? Object.values(networkInterfaces())
        .flat()
        .filter((a) => a && !a.internal && (a.family === 'IPv4' || o.host !== '0.0.0.0'))
        .map((a) => (a?.family === 'IPv6' ? `[${a.address.split('%')[0]}]` : (a?.address ?? '')))
    : [o.host.includes(':') && !o.host.startsWith('[') ? `[${o.host}]` : o.host];
  const lines = addrs.map((a) => `  ${scheme}://${a}:${port}/mcp\n`).join('');
  return `From other machines use${lines ? `:\n${lines}` : " this machine's address.\n"}If clients reach it by a name (or through a reverse proxy), start it with --public-url https://NAME (MCP_BASE_URL) so that name is accepted.\n`;
}
