/**
 * How a person at a terminal runs this install's `tesla-mcp` command, for the hints in error
 * texts ("run `tesla-mcp login`"). The same server is started in several ways (README "Install"),
 * and each needs a different command line:
 *
 * - under npx (`npx -y tesla-mcp`, `npx -y github:owner/repo`, `npx -y --package=./x.tgz
 *   tesla-mcp`): npx again, with the package it ran (read from npx's own cache folder,
 *   `_npx/<hash>/package.json`), so the hint works even where the registry has no such package;
 * - a global install (the `tesla-mcp` link on `PATH`): `tesla-mcp`;
 * - a clone, an unpacked tarball or the MCP Bundle (`node /abs/path/….js`): that same line.
 *
 * The CLI entry detects this once at start ({@link setCliPrefix} of {@link detectCliPrefix});
 * everywhere else (the library, tests in one process) the plain command name is used.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { posix, win32 } from 'node:path';

/** The command name, as `package.json` `bin` declares it. */
export const CLI_NAME = 'tesla-mcp';

let prefix: string = CLI_NAME;

/**
 * The command line that runs `tesla-mcp <args>` in this install: `cliCommand('login')` →
 * `npx -y tesla-mcp login`, `tesla-mcp login` or `node /abs/path/bin/tesla-mcp.js login`.
 */
export function cliCommand(args: string): string {
  return args ? `${prefix} ${args}` : prefix;
}

/** Sets what {@link cliCommand} puts before the arguments (the CLI entry does, once). */
export function setCliPrefix(value: string): void {
  prefix = value;
}

/** What {@link detectCliPrefix} looks at: the script path, the environment, the platform. */
export interface StartInfo {
  /** `process.argv[1]`: the script node runs (a `bin` link is not resolved). */
  script: string | undefined;
  env: Readonly<Record<string, string | undefined>>;
  platform: NodeJS.Platform;
  /** Reads a JSON file, or `undefined` when it is missing or unreadable. */
  readJson?: (path: string) => unknown;
}

/** npx's cache folder for one run: `…/_npx/<hash>/node_modules/.bin/tesla-mcp`. */
const NPX_DIR = /^(.*[\\/]_npx[\\/][^\\/]+)[\\/]node_modules[\\/]/;

/** A registry spec of this package: `tesla-mcp`, `tesla-mcp@1`, `tesla-mcp@latest`. */
const REGISTRY_SPEC = /^tesla-mcp(@[\w.^~<>=*| -]+)?$/;

/** What npx writes into `_npx/<hash>/package.json`: the specs given, and what they became. */
interface NpxMeta {
  dependencies?: Record<string, unknown>;
  _npx?: { packages?: unknown };
}

/**
 * The package spec npx ran, usable from any folder: a local tarball or folder
 * (`--package=./x.tgz`, saved as `file:` relative to npx's folder) as an absolute path, any
 * other spec (`tesla-mcp`, `github:owner/repo`, `git+https://…`) as given.
 */
function npxSpec(
  meta: NpxMeta | undefined,
  npxDir: string,
  path: typeof posix,
): string | undefined {
  const dep = meta?.dependencies?.[CLI_NAME];
  if (typeof dep === 'string' && dep.startsWith('file:')) return path.resolve(npxDir, dep.slice(5));
  const packages = meta?._npx?.packages;
  if (Array.isArray(packages) && packages.length === 1 && typeof packages[0] === 'string') {
    return packages[0];
  }
  return undefined;
}

/** The command line prefix for the process described by `start` (see the module comment). */
export function detectCliPrefix(start: StartInfo): string {
  const { script, env, platform } = start;
  if (!script) return CLI_NAME;
  const path = platform === 'win32' ? win32 : posix;
  const npxDir = NPX_DIR.exec(script)?.[1];
  if (npxDir !== undefined) {
    const read = start.readJson ?? readJsonFile;
    const meta = read(path.join(npxDir, 'package.json')) as NpxMeta | undefined;
    const spec = npxSpec(meta, npxDir, path);
    if (spec === undefined) return `npx -y ${CLI_NAME}`;
    return REGISTRY_SPEC.test(spec)
      ? `npx -y ${spec}`
      : `npx -y --package=${quote(spec, platform)} ${CLI_NAME}`;
  }
  // `npx tesla-mcp` in a folder that has the package (a clone, or a project depending on it).
  if (env.npm_command === 'exec') return `npx ${CLI_NAME}`;
  const name = path.basename(script).replace(/\.(cmd|ps1)$/i, '');
  if (name === CLI_NAME && onPath(path.dirname(script), env, platform)) return CLI_NAME;
  if (/\.[cm]?js$/.test(script)) return `node ${quote(script, platform)}`;
  return CLI_NAME;
}

/** {@link detectCliPrefix} for this process. */
export function detectCliPrefixOfProcess(): string {
  return detectCliPrefix({ script: process.argv[1], env: process.env, platform: process.platform });
}

function onPath(dir: string, env: StartInfo['env'], platform: NodeJS.Platform): boolean {
  const path = platform === 'win32' ? win32 : posix;
  const normal = (d: string) => {
    const abs = path.resolve(d);
    return platform === 'win32' ? abs.toLowerCase() : abs;
  };
  const want = normal(dir);
  return (env.PATH ?? env.Path ?? '')
    .split(path.delimiter)
    .some((entry) => entry !== '' && normal(entry) === want);
}

/** Quotes `word` for the user's shell when it has characters the shell would split or expand. */
function quote(word: string, platform: NodeJS.Platform): string {
  if (/^[\w@%+=:,./\\-]+$/.test(word)) return word;
  return platform === 'win32' ? `"${word}"` : `'${word.replace(/'/g, `'\\''`)}'`;
}

function readJsonFile(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch {
    return undefined;
  }
}
