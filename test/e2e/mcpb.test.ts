/**
 * The Claude Desktop one-click install: `scripts/bundle.mjs` (`npm run bundle`) packs a `.mcpb`
 * with Anthropic's packer; here the packer's CLI validates its manifest and unpacks it into an
 * empty folder, and the server is started exactly as the manifest says (the packer's own
 * `getMcpConfigForManifest` substitutes `${__dirname}` and the user's settings), then driven over
 * stdio with the MCP SDK's client.
 *
 * @module
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { getMcpConfigForManifest, type McpbManifestAny } from '@anthropic-ai/mcpb';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ROOT } from '../helpers/built-cli.js';
import { checkStdioServer } from '../helpers/pack.js';

const MCPB = join(ROOT, 'node_modules', '@anthropic-ai', 'mcpb', 'dist', 'cli', 'cli.js');
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version;

function mcpb(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [MCPB, ...args], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `mcpb ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

type Tool = { name: string; annotations?: { readOnlyHint?: boolean } };

describe('the .mcpb bundle (Claude Desktop one-click install)', () => {
  let work: string;
  let unpacked: string;
  let manifest: McpbManifestAny & {
    user_config: Record<string, { type: string; sensitive?: boolean; required?: boolean }>;
    server: { mcp_config: { env: Record<string, string> } };
  };

  before(() => {
    work = mkdtempSync(join(tmpdir(), 'tesla-mcp-mcpb-test-'));
    unpacked = mkdtempSync(join(tmpdir(), 'tesla-mcp-mcpb-unpacked-'));
    const out = join(work, 'out');
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts', 'bundle.mjs'), '--out', out], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const file = join(out, `tesla-mcp-${VERSION}.mcpb`);
    assert.ok(r.stdout.includes(file), r.stdout);
    mcpb(['unpack', file, unpacked], work);
    manifest = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'));
  });
  after(() => {
    for (const d of [work, unpacked]) if (d) rmSync(d, { recursive: true, force: true });
  });

  it('passes the packer’s manifest validation', () => {
    assert.match(mcpb(['validate', join(unpacked, 'manifest.json')], work), /validation passes/);
    assert.equal(manifest.version, VERSION);
  });

  it('declares the user settings, mapped to the environment names of README "Environment"', () => {
    const env = manifest.server.mcp_config.env;
    const expected: Record<string, string> = {
      TESLA_CLIENT_ID: 'client_id',
      TESLA_CLIENT_SECRET: 'client_secret',
      TESLA_DOMAIN: 'domain',
      TESLA_VIN: 'vin',
      TESLA_REGION: 'region',
      TESLA_PRIVATE_KEY_FILE: 'private_key_file',
      TESLA_MCP_TOOLSETS: 'toolsets',
      TESLA_MCP_READ_ONLY: 'read_only',
    };
    for (const [name, key] of Object.entries(expected)) expected[name] = `\${user_config.${key}}`;
    assert.deepEqual(env, expected);
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const name of Object.keys(env)) assert.ok(readme.includes(`\`${name}\``), name);
    const secret = manifest.user_config.client_secret;
    assert.equal(secret?.sensitive, true);
    for (const [key, s] of Object.entries(manifest.user_config)) {
      // A required setting left empty makes Claude Desktop skip the server: it must start bare.
      assert.equal(s.required, false, key);
      if (key !== 'client_secret') assert.notEqual(s.sensitive, true, key);
    }
    assert.equal(manifest.user_config.read_only?.type, 'boolean');
  });

  /** The server command Claude Desktop would run with these settings (the packer's own code). */
  async function serverConfig(userConfig: Record<string, string | boolean>) {
    const config = await getMcpConfigForManifest({
      manifest,
      extensionPath: unpacked,
      systemDirs: { HOME: work, DESKTOP: work, DOCUMENTS: work, DOWNLOADS: work },
      userConfig,
      pathSeparator: '/',
    });
    assert.ok(config, 'the manifest yields a server command');
    assert.equal(config.command, 'node');
    return { args: config.args ?? [], env: config.env ?? {} };
  }

  async function start(userConfig: Record<string, string | boolean>) {
    const config = await serverConfig(userConfig);
    const home = mkdtempSync(join(work, 'home-'));
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: config.args,
      cwd: home,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        TESLA_MCP_CONFIG_DIR: join(home, 'config'),
        ...config.env,
      },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'mcpb-test', version: '0' });
    await client.connect(transport);
    return client;
  }

  it('starts with no setting filled in: lists the default tools, answers "not logged in"', async () => {
    // Empty settings arrive as literal `${user_config.KEY}` values: the launcher must drop them.
    const config = await serverConfig({});
    await checkStdioServer({
      command: process.execPath,
      args: config.args,
      cwd: mkdtempSync(join(work, 'home-')),
      env: { PATH: process.env.PATH ?? '' },
      settings: config.env,
      version: VERSION,
      // The human's hint runs the bundle's own server script (Claude Desktop's users have no npx package).
      cli: `node ${join(unpacked, 'server', 'tesla-mcp.js')}`,
    });
  });

  it('passes the settings through: read-only and a toolset list', async () => {
    const client = await start({ read_only: true, toolsets: 'charging,vehicle', vin: '' });
    try {
      const tools = (await client.listTools()).tools as Tool[];
      const names = tools.map((t) => t.name);
      assert.ok(names.includes('vehicle_data'), names.join());
      assert.ok(!names.includes('door_lock') && !names.includes('set_charge_limit'), names.join());
      assert.deepEqual(
        tools.filter((t) => t.annotations?.readOnlyHint !== true).map((t) => t.name),
        [],
      );
    } finally {
      await client.close();
    }
  });
});
