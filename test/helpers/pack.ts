/**
 * Packs the package the way `npm publish` would, without touching the working tree: the repo is
 * copied (minus `.git`, `node_modules`, `dist` and tarballs) into a temp staging folder that
 * borrows `node_modules` by symlink, and `npm pack` runs there (its `prepare` script builds
 * `dist/` from the current sources). The tarball is then extracted with `tar` and installed
 * with `npm install --offline --prefix` into a separate, empty temp folder.
 *
 * @module
 */

import assert from 'node:assert/strict';
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';

const SKIP_TOP = new Set(['.git', 'node_modules', 'dist', '.tmp']);

/** Why the pack check cannot run here (`npm` or `tar` missing from PATH), or `undefined`. */
export function missingTool(): string | undefined {
  for (const tool of ['npm', 'tar']) {
    const r = spawnSync(tool, ['--version'], { encoding: 'utf8' });
    if (r.error !== undefined || r.status !== 0) {
      return `${tool} is not on PATH: the packed-tarball check needs \`npm pack\`, \`npm install\` and tar`;
    }
  }
  return undefined;
}

/** Environment for every npm call: cache and logs inside `cache`, no network side trips. */
export function npmEnv(cache: string): NodeJS.ProcessEnv {
  return {
    ...process.env,
    npm_config_cache: cache,
    npm_config_update_notifier: 'false',
    npm_config_fund: 'false',
    npm_config_audit: 'false',
  };
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv) {
  const r: SpawnSyncReturns<string> = spawnSync(cmd, args, { cwd, env, encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    throw new Error(
      `${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stdout}\n${r.stderr}`,
    );
  }
  return r;
}

export interface Packed {
  /** The temp folders (remove all of them when done). */
  dirs: string[];
  /** The copy of the repo that was packed (its `dist/` is built), for `npm publish --dry-run`. */
  stage: string;
  tarball: string;
  /** The tarball extracted: `<extracted>/package/...`. */
  extracted: string;
  /** The empty folder the tarball was installed into with `npm install --offline`. */
  installed: string;
  /** An empty folder holding only a copy of the tarball, for `npx ./tesla-mcp-*.tgz`. */
  npxDir: string;
  cache: string;
}

/** Copies the repo's files into `dest`, without `.git`, `node_modules`, `dist` or tarballs. */
export function copySources(root: string, dest: string): void {
  cpSync(root, dest, {
    recursive: true,
    filter: (src) => {
      const rel = relative(root, src);
      const top = rel.split(sep)[0] ?? '';
      return (
        !SKIP_TOP.has(top) && !rel.endsWith('.tgz') && !rel.split(sep).includes('node_modules')
      );
    },
  });
}

/** Copies the repo, packs it, extracts the tarball and installs it in an empty folder. */
export function packAndInstall(root: string): Packed {
  const stage = mkdtempSync(join(tmpdir(), 'tesla-mcp-stage-'));
  const work = mkdtempSync(join(tmpdir(), 'tesla-mcp-pack-'));
  const installed = mkdtempSync(join(tmpdir(), 'tesla-mcp-empty-'));
  const npxDir = mkdtempSync(join(tmpdir(), 'tesla-mcp-npx-'));
  const dirs = [stage, work, installed, npxDir];
  try {
    const cache = join(work, 'npm-cache');
    const env = npmEnv(cache);
    copySources(root, stage);
    symlinkSync(join(root, 'node_modules'), join(stage, 'node_modules'), 'dir');
    run('npm', ['pack', '--pack-destination', work], stage, env);
    const name = readdirSync(work).find((f) => f.endsWith('.tgz'));
    if (!name) throw new Error(`npm pack wrote no tarball in ${work}`);
    const tarball = join(work, name);
    const extracted = join(work, 'x');
    cpSync(tarball, join(npxDir, name));
    mkdirSync(extracted);
    run('tar', ['xzf', tarball, '-C', extracted], work, env);
    // --prefix pins the install to the empty folder: npm never walks up to a parent package.
    run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--offline', '--prefix', installed, tarball],
      installed,
      env,
    );
    return { dirs, stage, tarball, extracted, installed, npxDir, cache };
  } catch (err) {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
    throw err;
  }
}

/** Every file below `dir`, as `/`-separated paths relative to it. */
export function listFiles(dir: string, base = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    return e.isDirectory() ? listFiles(p, base) : [relative(base, p).split(sep).join('/')];
  });
}

/**
 * npm settings for an install that must not touch the network: `--offline`, with a cache whose
 * package store is the one `npm ci` filled (the user's `_cacache`, linked) while npx's installs
 * and npm's logs stay in `dir`. A git-URL install runs `npm install` in the clone for its
 * `prepare` script, so every devDependency must come from that store.
 */
export function offlineNpmEnv(dir: string): NodeJS.ProcessEnv {
  const r = spawnSync('npm', ['config', 'get', 'cache'], { encoding: 'utf8' });
  const store = join(r.stdout.trim(), '_cacache');
  if (r.status !== 0 || !existsSync(store)) {
    throw new Error(`no npm package store at ${store}: run \`npm ci\` first (it fills the cache)`);
  }
  const cache = join(dir, 'npm-cache');
  mkdirSync(cache, { recursive: true });
  symlinkSync(store, join(cache, '_cacache'), 'dir');
  return { ...npmEnv(cache), npm_config_offline: 'true' };
}

/** A one-commit git repository of the repo's current files, for `npx git+file://…`. */
export function gitRepoOf(root: string): string {
  const repo = mkdtempSync(join(tmpdir(), 'tesla-mcp-git-'));
  copySources(root, repo);
  const id = ['-c', 'user.name=tesla-mcp test', '-c', 'user.email=test@localhost'];
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  run('git', ['init', '-q'], repo, env);
  run('git', [...id, 'add', '-A'], repo, env);
  run('git', [...id, '-c', 'commit.gpgsign=false', 'commit', '-q', '-m', 'snapshot'], repo, env);
  return repo;
}

/**
 * Starts `command args` as an MCP client would (stdio, the SDK's `StdioClientTransport`) in the
 * folder `cwd`, with no Tesla settings, and checks what a new user sees: the default tools are
 * listed, the server names `version`, and a Fleet call answers "not logged in", naming the
 * get_login_link tool and, as the human's hint, `login` run the way this server was started.
 */
export async function checkStdioServer(o: {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  version: string;
  /** The command line that runs this install's CLI (`npx -y …`, `node /abs/….js`). */
  cli: string;
  /** Variables set after the scrub: what an MCP client passes (a bundle's `mcp_config.env`). */
  settings?: Record<string, string>;
}): Promise<void> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(o.env ?? { PATH: process.env.PATH })) {
    if (v !== undefined) env[k] = v;
  }
  env.HOME = o.cwd;
  env.TESLA_MCP_CONFIG_DIR = join(o.cwd, 'config');
  for (const k of Object.keys(env)) if (/^(TESLA_(?!MCP_CONFIG_DIR)|MCP_)/.test(k)) delete env[k];
  Object.assign(env, o.settings);
  const transport = new StdioClientTransport({
    command: o.command,
    args: o.args,
    cwd: o.cwd,
    env,
    stderr: 'pipe',
  });
  let stderr = '';
  transport.stderr?.on('data', (b: Buffer) => {
    stderr += b.toString();
  });
  const client = new Client({ name: 'install-test', version: '0' });
  await client.connect(transport);
  try {
    assert.equal(client.getServerVersion()?.version, o.version, stderr);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('vehicle_data') && names.includes('door_lock'), names.join());
    const r = (await client.callTool({ name: 'list_vehicles', arguments: {} })) as {
      isError?: boolean;
      content: { text: string }[];
    };
    assert.equal(r.isError, true);
    const text = r.content[0]?.text ?? '';
    assert.match(text, /not logged in.*Next: call get_login_link/);
    assert.ok(text.includes(`for a human at a terminal: \`${o.cli} login\``), text);
  } finally {
    await client.close();
  }
}
