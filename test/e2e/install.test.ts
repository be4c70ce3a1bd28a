/**
 * The README's install lines that need no registry, each run in an empty folder with the MCP
 * SDK's stdio client: from a clone (`node /abs/path/bin/tesla-mcp.js`, the line given to
 * `claude mcp add`), and from a git URL (`npx -y github:OWNER/REPO`, proven with a
 * `git+file://` URL of a one-commit repository of the current files, installed `--offline`:
 * npm clones it, installs its devDependencies from the npm cache and runs `prepare`, which
 * builds `dist/`). The packed-tarball line is in `pack.test.ts`; the README table must give exactly
 * these lines.
 *
 * @module
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { ROOT } from '../helpers/built-cli.js';
import { checkStdioServer, gitRepoOf, missingTool, offlineNpmEnv } from '../helpers/pack.js';

const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  repository?: string | { url?: string };
};
const VERSION = PKG.version;
const dirs: string[] = [];
const tempDir = (prefix: string) => {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
};
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** `owner/repo` of package.json `repository` (a GitHub URL or shorthand), if it names one. */
function githubRepo(): string | undefined {
  const r = typeof PKG.repository === 'string' ? PKG.repository : PKG.repository?.url;
  return r ? /github(?:\.com[/:]|:)([\w.-]+\/[\w.-]+?)(?:\.git)?$/.exec(r)?.[1] : undefined;
}

describe("the README's install table", () => {
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  const rows = new Map(
    [
      ...readme.matchAll(
        /^\| (a clone|a packed tarball|a git URL|the npm registry[^|]*) \|(.*)$/gm,
      ),
    ].map((m) => [m[1]?.split(' (')[0] ?? '', m[2] ?? '']),
  );

  it('gives the lines these tests run, the git URL as package.json names the repository', () => {
    assert.match(
      rows.get('a clone') ?? '',
      /`claude mcp add tesla -- node \/abs\/path\/tesla-mcp\/bin\/tesla-mcp\.js`/,
    );
    assert.match(
      rows.get('a packed tarball') ?? '',
      /`npx -y --package=\.\/tesla-mcp-X\.Y\.Z\.tgz tesla-mcp`/,
    );
    // Until package.json names a repository, the README says what OWNER/REPO stands for.
    const repo = githubRepo() ?? 'OWNER/REPO';
    if (repo === 'OWNER/REPO') assert.match(readme, /`OWNER\/REPO` is the GitHub repository/);
    for (const row of ['a clone', 'a git URL']) {
      assert.ok((rows.get(row) ?? '').includes(repo), `${row}: ${rows.get(row)}`);
    }
    assert.ok(
      (rows.get('a git URL') ?? '').includes(`\`claude mcp add tesla -- npx -y github:${repo}\``),
    );
    assert.match(
      readme,
      /^\| the npm registry \(\*\*once published\*\*[^|]*\| nothing \| `claude mcp add tesla -- npx -y tesla-mcp` \|$/m,
    );
  });
});

describe('install from a clone: `claude mcp add tesla -- node /abs/path/bin/tesla-mcp.js`', () => {
  it('serves MCP over stdio when started from any folder', async () => {
    const bin = join(ROOT, 'bin', 'tesla-mcp.js');
    assert.ok(existsSync(join(ROOT, 'dist', 'cli.js')), 'npm ci (prepare) builds dist/cli.js');
    await checkStdioServer({
      command: process.execPath,
      args: [bin],
      cwd: tempDir('tesla-mcp-clone-user-'),
      version: VERSION,
      cli: `node ${bin}`,
    });
  });
});

const skip = missingTool() ?? (spawnSync('git', ['--version']).status === 0 ? false : 'no git');

describe('install from a git URL: `npx -y git+file://…` (offline)', { skip }, () => {
  it('builds through `prepare` and serves MCP over stdio', async () => {
    const repo = gitRepoOf(ROOT);
    dirs.push(repo);
    const user = tempDir('tesla-mcp-git-user-');
    const env = offlineNpmEnv(user);
    const url = `git+${pathToFileURL(repo).href}`;
    // The first run installs (clone, npm install of the devDependencies, prepare → dist/).
    const r = spawnSync('npx', ['-y', url, '--version'], { cwd: user, env, encoding: 'utf8' });
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.equal(r.stdout.trim(), VERSION);
    await checkStdioServer({
      command: 'npx',
      args: ['-y', url],
      cwd: user,
      env,
      version: VERSION,
      // The hint runs the same git URL again, not the registry name (which answers 404).
      cli: `npx -y --package=${url} tesla-mcp`,
    });
  });
});
