/**
 * `tesla-mcp proxy`: the drop-in replacement for Tesla's `tesla-http-proxy` (`cmd/tesla-http-proxy`). Takes
 * our flags and the Go proxy's (see `src/proxy/options.ts`), loads the command key, and serves
 * until SIGINT/SIGTERM, writing the session cache on the way out.
 *
 * @module
 */
import type { Env } from '../config/paths.js';
import { type ProxyCliConfig, ProxyConfigError, parseProxyArgs } from '../proxy/options.js';
import { startProxy } from '../proxy/server.js';
import { signFleetTelemetryConfig } from '../signing/jws.js';
import { PrivateKey } from '../signing/keys.js';
import { cliCommand } from '../util/cli-command.js';
import { readSettingFile } from '../util/fs.js';
import { isLoopbackHost } from '../util/loopback.js';
import { openSharedStore, StateConfigError } from '../vehicle/open-store.js';
import { keyFingerprint } from '../vehicle/pairing.js';
import { StateStoreError } from '../vehicle/state-store.js';

const HELP = `Usage: tesla-mcp proxy [--host H] [--port P] [--tls-cert FILE --tls-key FILE]
                       [--key-file FILE] [--timeout 10s] [--verbose] [--redis URL]

Serves the REST contract of Tesla's tesla-http-proxy (POST /api/1/vehicles/{VIN}/command/{name},
fleet_telemetry_config, everything else forwarded to the Fleet API with the caller's token) and
signs vehicle commands in-process with the command key.

  --host H            bind address (TESLA_PROXY_HOST; default 127.0.0.1). Any address other
                      than loopback requires TLS.
  --port P            port (TESLA_PROXY_PORT; default 4443; Tesla's proxy defaults to 443)
  --tls-cert FILE     TLS certificate, PEM (TESLA_PROXY_TLS_CERT)
  --tls-key FILE      TLS private key, PEM (TESLA_PROXY_TLS_KEY); must not be the command key
  --key-file FILE     command key (TESLA_PRIVATE_KEY_FILE; default CONFIG/private-key.pem)
  --timeout D         deadline per request, e.g. 10s (TESLA_HTTP_PROXY_TIMEOUT; default 10s)
  --verbose           log one line per request (TESLA_VERBOSE); tokens are never logged
  --redis URL         share sessions, counters and locks with other instances through Redis
                      (TESLA_MCP_REDIS_URL), e.g. redis://127.0.0.1:6379; without it,
                      processes on this machine share them through the session cache file

Tesla's flags work too, single dash: -host -port -cert -tls-key -key-file -timeout -verbose,
and so do its variables: TESLA_HTTP_PROXY_TLS_CERT, TESLA_HTTP_PROXY_TLS_KEY,
TESLA_HTTP_PROXY_HOST, TESLA_HTTP_PROXY_PORT, TESLA_HTTP_PROXY_TIMEOUT, TESLA_KEY_FILE,
TESLA_CACHE_FILE (= TESLA_SESSION_CACHE), TESLA_VERBOSE. Flags win over the environment.
`;

/** A file named by a setting; a failure is a {@link ProxyConfigError} naming it and the fix. */
function readText(path: string, what: string, hint: string): Promise<string> {
  return readSettingFile(path, what, hint, (m) => new ProxyConfigError(`proxy: ${m}`));
}

async function start(cfg: ProxyCliConfig, env: Env, log: (line: string) => void) {
  const pem = await readText(
    cfg.keyFile,
    'command key',
    `create one with \`${cliCommand('keygen')}\`, or pass --key-file FILE`,
  );
  let key: PrivateKey;
  try {
    key = PrivateKey.fromPem(pem);
  } catch (err) {
    throw new ProxyConfigError(
      `proxy: the command key at ${cfg.keyFile} is not a P-256 private key PEM (${(err as Error).message})`,
    );
  }
  const tls =
    cfg.tlsCert && cfg.tlsKey
      ? {
          cert: await readText(cfg.tlsCert, 'TLS certificate', 'check --tls-cert'),
          key: await readText(cfg.tlsKey, 'TLS key', 'check --tls-key'),
        }
      : undefined;
  const store = await openSharedStore({
    redisUrl: cfg.redisUrl,
    env,
    keyFingerprint: keyFingerprint(key.publicKey),
    warn: log,
  });
  const proxy = await startProxy({
    store,
    host: cfg.host,
    port: cfg.port,
    tls,
    key,
    signTelemetry: (config) => signFleetTelemetryConfig(key, config),
    fleetApiUrl: cfg.fleetApiUrl,
    timeoutMs: cfg.timeoutMs,
    env,
    appDomain: cfg.appDomain,
    log,
    verbose: cfg.verbose,
  });
  log(
    `tesla-mcp proxy listening on ${proxy.url} (command key fingerprint ${keyFingerprint(key.publicKey)}; state: ${proxy.dispatcher.store?.description ?? 'this process only'})`,
  );
  if (!isLoopbackHost(cfg.host)) {
    log(
      `warning: listening on ${cfg.host}: anyone who can reach this port with a valid Tesla token can have commands signed with your key; restrict access with a firewall`,
    );
  }
  return {
    url: proxy.url,
    close: async () => {
      await proxy.close();
      await store?.close();
    },
  };
}

export async function run(argv: string[], env: Env = process.env): Promise<number> {
  const log = (line: string) => process.stderr.write(`${line}\n`);
  try {
    const cfg = parseProxyArgs(argv, env);
    if (cfg === 'help') {
      process.stdout.write(HELP);
      return 0;
    }
    const proxy = await start(cfg, env, log);
    await new Promise<void>((resolve) => {
      const stop = () => {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        proxy.close().then(resolve, resolve);
      };
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    });
    return 0;
  } catch (err) {
    if (
      err instanceof ProxyConfigError ||
      err instanceof StateConfigError ||
      err instanceof StateStoreError
    ) {
      log(err.message);
      return 2;
    }
    throw err;
  }
}
