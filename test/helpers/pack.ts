/**
 * Packs the package the way `npm publish` would, without touching the working tree: the repo is
 * copied (minus `.git`, `node_modules`, `dist` and tarballs) into a temp staging folder that
 * borrows `node_modules` by symlink, and `npm pack` runs there (its `prepare` script builds
 * `dist/` from the current sources). The tarball is then extracted with `tar` and installed
 * with `npm install --offline --prefix` into a separate, empty temp folder.
 *
 * @module
 */
import { type SpawnSyncReturns, spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';

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
  tarball: string;
  /** The tarball extracted: `<extracted>/package/...`. */
  extracted: string;
  /** The empty folder the tarball was installed into with `npm install --offline`. */
  installed: string;
  /** An empty folder holding only a copy of the tarball, for `npx ./tesla-mcp-*.tgz`. */
  npxDir: string;
  cache: string;
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
    cpSync(root, stage, {
      recursive: true,
      filter: (src) => {
        const rel = relative(root, src);
        const top = rel.split(sep)[0] ?? '';
        return (
          !SKIP_TOP.has(top) && !rel.endsWith('.tgz') && !rel.split(sep).includes('node_modules')
        );
      },
    });
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
    return { dirs, tarball, extracted, installed, npxDir, cache };
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
