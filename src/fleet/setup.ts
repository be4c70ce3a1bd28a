/**
 * Shared plumbing of the setup commands (`login`, `logout`, `keygen`, `register`, `pair`,
 * `doctor` in `src/cli/`): injectable I/O for tests, a small flag parser, loading the command
 * key, and fetching the hosted public key.
 *
 * @module
 */
import { readFile, stat } from 'node:fs/promises';
import { type Dispatcher, request } from 'undici';
import type { Env } from '../config/paths.js';
import { withSettings } from '../config/settings.js';
import { PublicKey } from '../signing/index.js';
import { publicKeyUrl } from './api/partner.js';
import { readBounded } from './body.js';

export interface SetupIo {
  env?: Env;
  stdout?: (text: string) => void;
  stderr?: (text: string) => void;
  /** undici dispatcher for every outgoing request (tests pass a MockAgent). */
  dispatcher?: Dispatcher;
  /** Overrides of Tesla's OAuth endpoints (tests: a fake authorization server on loopback). */
  authorizeUrl?: string;
  tokenUrl?: string;
  /** Where the hosted public key is fetched instead of `https://DOMAIN/.well-known/…` (tests). */
  hostedKeyUrl?: string | undefined;
  /** Opens the authorize URL (default: print it, and try the system browser). */
  openBrowser?: (url: string) => void | Promise<void>;
  /** How long `login` waits for the browser (default 5 minutes). */
  loginTimeoutMs?: number;
}

export interface Output {
  env: Env;
  out: (text: string) => void;
  err: (text: string) => void;
}

/**
 * The command's I/O; `env` is the environment over the settings remembered in
 * `CONFIG/config.json` (`../config/settings.ts`).
 */
export function output(io: SetupIo): Output {
  return {
    env: withSettings(io.env ?? process.env),
    out: io.stdout ?? ((t: string) => void process.stdout.write(t)),
    err: io.stderr ?? ((t: string) => void process.stderr.write(t)),
  };
}

export interface ParsedArgs {
  flags: Record<string, string | true>;
  positional: string[];
}

/**
 * `--name value`, `--name=value` and boolean `--flag`. `valued` lists the flags that take a
 * value; an unknown flag is an error.
 */
export function parseArgs(
  argv: readonly string[],
  valued: readonly string[],
  booleans: readonly string[] = [],
): ParsedArgs {
  const flags: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (!a.startsWith('-')) {
      positional.push(a);
      continue;
    }
    const [rawName, inline] = a.replace(/^--?/, '').split(/=(.*)/s, 2) as [string, string?];
    if (valued.includes(rawName)) {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new UsageError(`--${rawName} needs a value`);
      flags[rawName] = v;
    } else if (booleans.includes(rawName) || rawName === 'help' || rawName === 'h') {
      flags[rawName] = true;
    } else {
      throw new UsageError(`unknown option '${a}'`);
    }
  }
  return { flags, positional };
}

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export function wantsHelp(p: ParsedArgs): boolean {
  return p.flags.help === true || p.flags.h === true;
}

/**
 * The common start of a setup command: parse `argv`, answer `--help` (exit 0) and usage errors
 * (exit 2, with the help text). Returns the parsed arguments, or the exit code to return.
 * `check` may throw for rules between flags.
 */
export function parseCommand(
  name: string,
  argv: readonly string[],
  help: string,
  o: Pick<Output, 'out' | 'err'>,
  valued: readonly string[],
  booleans: readonly string[] = [],
  check?: (p: ParsedArgs) => void,
): ParsedArgs | number {
  let args: ParsedArgs;
  try {
    args = parseArgs(argv, valued, booleans);
    check?.(args);
  } catch (e) {
    o.err(`tesla-mcp ${name}: ${(e as Error).message}\n\n${help}`);
    return 2;
  }
  if (wantsHelp(args)) {
    o.out(help);
    return 0;
  }
  return args;
}

export interface LoadedKey {
  path: string;
  pem: string;
  publicKey: PublicKey;
  mode: number;
}

/** Reads the command key (private PEM); undefined when the file does not exist. */
export async function loadKeyFile(path: string): Promise<LoadedKey | undefined> {
  let pem: string;
  let mode: number;
  try {
    pem = await readFile(path, 'utf8');
    mode = (await stat(path)).mode & 0o777;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(
      `cannot read the key file ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'}): check its permissions`,
    );
  }
  return { path, pem, publicKey: PublicKey.fromPem(pem), mode };
}

export interface HostedKey {
  url: string;
  status: number;
  publicKey?: PublicKey | undefined;
  cacheControl?: string | undefined;
  problem?: string | undefined;
}

/** Fetches `https://DOMAIN/.well-known/appspecific/com.tesla.3p.public-key.pem`. */
export async function fetchHostedKey(
  domain: string,
  dispatcher?: Dispatcher,
  timeoutMs = 15_000,
  urlOverride?: string,
): Promise<HostedKey> {
  const url = urlOverride ?? publicKeyUrl(domain);
  try {
    const res = await request(url, {
      method: 'GET',
      signal: AbortSignal.timeout(timeoutMs),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      ...(dispatcher ? { dispatcher } : {}),
    });
    const text = await readBounded(res.body, 64_000);
    const cc = res.headers['cache-control'];
    const cacheControl = Array.isArray(cc) ? cc.join(', ') : cc;
    if (res.statusCode !== 200) {
      return { url, status: res.statusCode, cacheControl, problem: `HTTP ${res.statusCode}` };
    }
    try {
      return { url, status: 200, publicKey: PublicKey.fromPem(text), cacheControl };
    } catch {
      return { url, status: 200, cacheControl, problem: 'the file is not a P-256 public key PEM' };
    }
  } catch (err) {
    const why = err instanceof Error && err.name === 'TimeoutError' ? 'timed out' : 'unreachable';
    return { url, status: 0, problem: why };
  }
}

/** A caching header that can make the Tesla app see a stale or missing key. */
export function cachingProblem(cacheControl: string | undefined): string | undefined {
  if (!cacheControl) return undefined;
  const m = /max-age=(\d+)/i.exec(cacheControl);
  if (/immutable/i.test(cacheControl) || (m?.[1] && Number(m[1]) > 3600)) {
    return `served with Cache-Control "${cacheControl}": CDN caching can break pairing in the Tesla app; serve it with "no-cache" or a short max-age`;
  }
  return undefined;
}
