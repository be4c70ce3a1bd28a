import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { NotLoggedInError, ScopeError } from '../../src/fleet/errors.js';
import { describeError } from '../../src/mcp/errors.js';
import {
  CLI_NAME,
  cliCommand,
  detectCliPrefix,
  type StartInfo,
  setCliPrefix,
} from '../../src/util/cli-command.js';

/** `detectCliPrefix` with npx's `_npx/<hash>/package.json` served from `files`. */
function detect(
  script: string | undefined,
  o: { env?: StartInfo['env']; platform?: NodeJS.Platform; files?: Record<string, unknown> } = {},
): string {
  return detectCliPrefix({
    script,
    env: o.env ?? {},
    platform: o.platform ?? 'linux',
    readJson: (path) => o.files?.[path],
  });
}

const NPX = '/home/u/.npm/_npx/1c98452ba4d396de';
const npxMeta = (dep: string, pkg: string) => ({
  [`${NPX}/package.json`]: { dependencies: { 'tesla-mcp': dep }, _npx: { packages: [pkg] } },
});

describe('the command line a hint names', () => {
  it('npx from the registry: npx -y with the spec npx ran', () => {
    const files = npxMeta('^0.1.0', 'tesla-mcp');
    assert.equal(detect(`${NPX}/node_modules/.bin/tesla-mcp`, { files }), 'npx -y tesla-mcp');
    const pinned = npxMeta('0.1.0', 'tesla-mcp@0.1.0');
    assert.equal(
      detect(`${NPX}/node_modules/.bin/tesla-mcp`, { files: pinned }),
      'npx -y tesla-mcp@0.1.0',
    );
  });

  it('npx from a git URL: the same URL as --package, never the registry name alone', () => {
    const files = npxMeta('github:acme/tesla-mcp', 'github:acme/tesla-mcp');
    assert.equal(
      detect(`${NPX}/node_modules/.bin/tesla-mcp`, { files }),
      'npx -y --package=github:acme/tesla-mcp tesla-mcp',
    );
  });

  it('npx of a local tarball given relative to the folder it ran in: its absolute path', () => {
    // npx keeps `./tesla-mcp-0.1.0.tgz` as given and the dependency as `file:` relative to _npx.
    const files = npxMeta(
      'file:../../../../../srv/dl/tesla-mcp-0.1.0.tgz',
      './tesla-mcp-0.1.0.tgz',
    );
    assert.equal(
      detect(`${NPX}/node_modules/.bin/tesla-mcp`, { files }),
      'npx -y --package=/srv/dl/tesla-mcp-0.1.0.tgz tesla-mcp',
    );
  });

  it("npx whose folder cannot be read, or `npm exec` of a project's own package", () => {
    assert.equal(detect(`${NPX}/node_modules/.bin/tesla-mcp`), 'npx -y tesla-mcp');
    assert.equal(
      detect('/work/app/node_modules/.bin/tesla-mcp', { env: { npm_command: 'exec' } }),
      'npx tesla-mcp',
    );
  });

  it('a global install: the bare command, when its folder is on PATH', () => {
    const env = { PATH: '/usr/bin:/usr/local/bin/' };
    assert.equal(detect('/usr/local/bin/tesla-mcp', { env }), 'tesla-mcp');
    const win = { Path: 'C:\\Windows;C:\\Users\\a\\AppData\\Roaming\\npm' };
    assert.equal(
      detect('c:\\users\\a\\appdata\\roaming\\npm\\tesla-mcp.cmd', { env: win, platform: 'win32' }),
      'tesla-mcp',
    );
  });

  it('a clone, an unpacked package or the MCP Bundle: node and the script, quoted for the shell', () => {
    assert.equal(
      detect('/home/u/src/tesla-mcp/bin/tesla-mcp.js'),
      'node /home/u/src/tesla-mcp/bin/tesla-mcp.js',
    );
    assert.equal(
      detect(
        "/Users/a/Library/Application Support/Claude/Claude Extensions/it's/server/tesla-mcp.js",
        {
          platform: 'darwin',
        },
      ),
      "node '/Users/a/Library/Application Support/Claude/Claude Extensions/it'\\''s/server/tesla-mcp.js'",
    );
    assert.equal(
      detect('C:\\Program Files\\tesla-mcp\\bin\\tesla-mcp.js', { platform: 'win32' }),
      'node "C:\\Program Files\\tesla-mcp\\bin\\tesla-mcp.js"',
    );
  });

  it('anything else (no script, a bin link off PATH): the command name', () => {
    assert.equal(detect(undefined), CLI_NAME);
    assert.equal(detect('/opt/tools/tesla-mcp', { env: { PATH: '/usr/bin' } }), CLI_NAME);
  });
});

describe('the hints use the command line the CLI set', () => {
  afterEach(() => setCliPrefix(CLI_NAME));

  it('in the lower layers and in the next step shown to the model', () => {
    assert.equal(cliCommand('login'), 'tesla-mcp login');
    setCliPrefix('npx -y --package=github:acme/tesla-mcp tesla-mcp');
    assert.match(
      new NotLoggedInError().message,
      /run `npx -y --package=github:acme\/tesla-mcp tesla-mcp login`/,
    );
    const d = describeError(new ScopeError(['vehicle_location']));
    assert.equal(d.nextTool, 'get_login_link');
    // The model is told the tool first; the human's terminal line comes only as the hint.
    assert.match(
      d.next ?? '',
      /^call get_login_link .*\(for a human at a terminal: `npx -y --package=github:acme\/tesla-mcp tesla-mcp login`\)/,
    );
    assert.doesNotMatch(d.message, /run `/);
  });
});
