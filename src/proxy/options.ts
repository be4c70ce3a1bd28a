/**
 * `tesla-mcp proxy` settings: our flags (`--host`, `--port`, `--tls-cert`, `--tls-key`) and the
 * Go `tesla-http-proxy`'s (`-host`, `-port`, `-cert`, `-tls-key`, `-key-file`, `-timeout`,
 * `-verbose`, single or double dash, `-flag value` or `-flag=value`), then the environment
 * (`TESLA_PROXY_*` before the Go proxy's `TESLA_HTTP_PROXY_*`), then defaults. Flags win over
 * the environment (README "Environment"). Also the start-up safety checks: plain HTTP on loopback
 * only, and a TLS key that is not the command key.
 *
 * @module
 */
import { createPrivateKey } from 'node:crypto';
import { configPaths, type Env } from '../config/paths.js';
import { FleetConfigError } from '../fleet/errors.js';
import { checkBaseUrl } from '../fleet/regions.js';
import { isLoopbackHost } from '../util/loopback.js';

export interface TlsFiles {
  cert: string | Buffer;
  key: string | Buffer;
}

/** A setting that keeps the proxy from starting; the message says how to fix it. */
export class ProxyConfigError extends Error {
  override readonly name = 'ProxyConfigError';
}

export interface ProxyCliConfig {
  host: string;
  port: number;
  tlsCert?: string | undefined;
  tlsKey?: string | undefined;
  keyFile: string;
  timeoutMs: number;
  verbose: boolean;
  fleetApiUrl?: string | undefined;
  appDomain?: string | undefined;
  /** `--redis URL` / `TESLA_MCP_REDIS_URL`: state shared with other instances. */
  redisUrl?: string | undefined;
}

const FLAGS: Record<string, keyof ProxyCliConfig | 'help'> = {
  host: 'host',
  port: 'port',
  'tls-cert': 'tlsCert',
  cert: 'tlsCert',
  'tls-key': 'tlsKey',
  'key-file': 'keyFile',
  timeout: 'timeoutMs',
  verbose: 'verbose',
  redis: 'redisUrl',
  help: 'help',
  h: 'help',
};

/** Go `time.ParseDuration` (`10s`, `1m30s`, `500ms`), or a bare number of seconds, in ms. */
export function parseDuration(text: string): number {
  const t = text.trim();
  if (/^\d+(\.\d+)?$/.test(t)) return Math.round(Number(t) * 1000);
  const unit: Record<string, number> = {
    ns: 1e-6,
    us: 1e-3,
    µs: 1e-3,
    ms: 1,
    s: 1000,
    m: 60_000,
    h: 3_600_000,
  };
  const re = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/gy;
  let ms = 0;
  let end = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    ms += Number(m[1]) * (unit[m[2] ?? ''] ?? 0);
    end = re.lastIndex;
  }
  if (t === '' || end !== t.length) {
    throw new ProxyConfigError(
      `proxy: invalid timeout '${text}': use a duration such as 10s or 500ms`,
    );
  }
  return Math.round(ms);
}

function parsePort(text: string, from: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new ProxyConfigError(`proxy: invalid port '${text}' (${from}): use 0-65535`);
  }
  return n;
}

function truthy(v: string | undefined): boolean {
  return v !== undefined && v !== '' && v !== '0' && v.toLowerCase() !== 'false';
}

/** Parses argv and env; `help` when `--help` was given. Throws {@link ProxyConfigError}. */
export function parseProxyArgs(argv: string[], env: Env): ProxyCliConfig | 'help' {
  const flags: Partial<Record<string, string>> = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    const m = /^--?([a-z-]+)(?:=(.*))?$/i.exec(arg);
    const key = m ? FLAGS[(m[1] ?? '').toLowerCase()] : undefined;
    if (!m || !key) {
      throw new ProxyConfigError(`proxy: unknown argument '${arg}': see tesla-mcp proxy --help`);
    }
    if (key === 'help') return 'help';
    if (key === 'verbose') {
      flags.verbose = m[2] ?? 'true';
      continue;
    }
    let value = m[2];
    if (value === undefined) {
      value = argv[++i];
      if (value === undefined) throw new ProxyConfigError(`proxy: ${arg} needs a value`);
    }
    flags[key] = value;
  }
  const pick = (flag: string | undefined, ...names: string[]) =>
    flag ?? names.map((n) => env[n]).find((v) => v !== undefined && v !== '');
  const portText = pick(flags.port, 'TESLA_PROXY_PORT', 'TESLA_HTTP_PROXY_PORT');
  const timeoutText = pick(flags.timeoutMs, 'TESLA_HTTP_PROXY_TIMEOUT');
  const cfg: ProxyCliConfig = {
    host: pick(flags.host, 'TESLA_PROXY_HOST', 'TESLA_HTTP_PROXY_HOST') ?? '127.0.0.1',
    port: portText === undefined ? 4443 : parsePort(portText, flags.port ? 'flag' : 'env'),
    tlsCert: pick(flags.tlsCert, 'TESLA_PROXY_TLS_CERT', 'TESLA_HTTP_PROXY_TLS_CERT'),
    tlsKey: pick(flags.tlsKey, 'TESLA_PROXY_TLS_KEY', 'TESLA_HTTP_PROXY_TLS_KEY'),
    keyFile: flags.keyFile ?? configPaths(env).privateKey,
    timeoutMs: timeoutText === undefined ? 10_000 : parseDuration(timeoutText),
    verbose: truthy(flags.verbose ?? env.TESLA_VERBOSE),
    fleetApiUrl: env.TESLA_FLEET_API_URL || undefined,
    appDomain: env.TESLA_DOMAIN || undefined,
    redisUrl: pick(flags.redisUrl, 'TESLA_MCP_REDIS_URL'),
  };
  if (cfg.timeoutMs <= 0) throw new ProxyConfigError('proxy: the timeout must be positive');
  if ((cfg.tlsCert === undefined) !== (cfg.tlsKey === undefined)) {
    throw new ProxyConfigError(
      'proxy: TLS needs both a certificate and a key: pass --tls-cert FILE and --tls-key FILE',
    );
  }
  return cfg;
}

/** The 65-byte uncompressed public key of a P-256 private key PEM, or undefined. */
function p256PublicOf(pem: string | Buffer): Uint8Array | undefined {
  try {
    const key = createPrivateKey(pem);
    if (key.asymmetricKeyType !== 'ec') return undefined;
    const jwk = key.export({ format: 'jwk' });
    if (jwk.crv !== 'P-256' || !jwk.x || !jwk.y) return undefined;
    return Uint8Array.from([
      4,
      ...Buffer.from(jwk.x, 'base64url'),
      ...Buffer.from(jwk.y, 'base64url'),
    ]);
  } catch {
    return undefined;
  }
}

/** The start-up checks: TLS off loopback, a TLS key other than the command key, a sane URL. */
export function checkListen(o: {
  host: string;
  tls?: TlsFiles | undefined;
  commandKey: Uint8Array;
  fleetApiUrl?: string | undefined;
}): void {
  if (!o.tls && !isLoopbackHost(o.host)) {
    throw new ProxyConfigError(
      `proxy: refusing plain HTTP on ${o.host}: callers send Tesla tokens, so any address other than loopback needs TLS; pass --tls-cert FILE --tls-key FILE, or bind 127.0.0.1`,
    );
  }
  if (o.tls) {
    const pub = p256PublicOf(o.tls.key);
    if (pub && Buffer.from(pub).equals(Buffer.from(o.commandKey))) {
      throw new ProxyConfigError(
        'proxy: the TLS key is the command key; make a separate TLS key (the command key must never leave the proxy), e.g. openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout tls-key.pem -out tls-cert.pem -subj /CN=localhost',
      );
    }
  }
  if (o.fleetApiUrl !== undefined) {
    try {
      checkBaseUrl(o.fleetApiUrl);
    } catch (err) {
      if (!(err instanceof FleetConfigError)) throw err;
      throw new ProxyConfigError(err.message.replace(/^fleet: /, 'proxy: '));
    }
  }
}
