import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { ROOT } from '../helpers/mcp-process.js';
import { listFiles, missingTool, npmEnv, type Packed, packAndInstall } from '../helpers/pack.js';

const skip = missingTool() ?? false;

type Exports = Record<string, string | { types?: string; default?: string }>;

describe('the packed tarball (npm pack, then installed offline in an empty folder)', {
  skip,
}, () => {
  let p: Packed;
  let pkg: {
    name: string;
    version: string;
    bin: Record<string, string>;
    exports: Exports;
    [k: string]: unknown;
  };
  let files: string[];

  before(() => {
    p = packAndInstall(ROOT);
    pkg = JSON.parse(readFileSync(join(p.extracted, 'package', 'package.json'), 'utf8'));
    files = listFiles(join(p.extracted, 'package'));
  });
  after(() => {
    for (const d of p?.dirs ?? []) rmSync(d, { recursive: true, force: true });
  });

  it('holds the bundle and no sources, tests, keys or runtime dependencies', () => {
    assert.ok(files.includes('bin/tesla-mcp.js'), files.join('\n'));
    assert.ok(files.includes('dist/cli.js') && files.includes('dist/signing.js'));
    assert.deepEqual(
      files.filter((f) => /^(src|test|scripts|bench|node_modules)\//.test(f)),
      [],
    );
    assert.deepEqual(
      files.filter((f) => /\.(pem|key|tgz)$/.test(f) || /(^|\/)\.env/.test(f)),
      [],
    );
    for (const field of ['dependencies', 'optionalDependencies', 'peerDependencies']) {
      assert.equal(pkg[field], undefined, `package.json has ${field}`);
    }
    assert.equal(pkg.bin['tesla-mcp'], 'bin/tesla-mcp.js');
    // The offline install added the package alone: nothing else was fetched or needed.
    const nm = readdirSync(join(p.installed, 'node_modules')).filter((n) => !n.startsWith('.'));
    assert.deepEqual(nm, ['tesla-mcp']);
  });

  it('the installed bin answers --help with exit 0', () => {
    const bin = join(p.installed, 'node_modules', '.bin', 'tesla-mcp');
    const r = spawnSync(bin, ['--help'], { cwd: p.installed, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: tesla-mcp/);
    assert.match(r.stdout, /\bserve\b/);
  });

  it('npx ./tesla-mcp-*.tgz --help works offline in an empty folder', () => {
    const tgz = readdirSync(p.npxDir).find((f) => /^tesla-mcp-.*\.tgz$/.test(f));
    assert.ok(tgz, 'the tarball is named tesla-mcp-<version>.tgz');
    const r = spawnSync('npx', ['--yes', '--offline', `./${tgz}`, '--help'], {
      cwd: p.npxDir,
      env: npmEnv(p.cache),
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: tesla-mcp/);
  });

  it('serve over stdio answers tools/list (StdioClientTransport)', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [join(p.installed, 'node_modules', 'tesla-mcp', 'bin', 'tesla-mcp.js'), 'serve'],
      cwd: p.installed,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: p.installed,
        TESLA_MCP_CONFIG_DIR: join(p.installed, 'config'),
      },
      stderr: 'pipe',
    });
    const client = new Client({ name: 'pack-test', version: '0' });
    await client.connect(transport);
    try {
      assert.equal(client.getServerVersion()?.version, pkg.version);
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      assert.ok(names.includes('vehicle_data') && names.includes('door_lock'), names.join());
      const r = (await client.callTool({ name: 'list_vehicles', arguments: {} })) as {
        isError?: boolean;
        content: { text: string }[];
      };
      assert.equal(r.isError, true);
      assert.match(r.content[0]?.text ?? '', /not logged in: run `npx tesla-mcp login`/);
    } finally {
      await client.close();
    }
  });

  it("import('tesla-mcp/signing') works from an ESM file (keys, PEM, JWS round trip)", () => {
    const file = join(p.installed, 'check.mjs');
    writeFileSync(
      file,
      `import { PrivateKey, PublicKey, signFleetTelemetryConfig, verifyJws } from 'tesla-mcp/signing';
const key = PrivateKey.generate();
const pub = PublicKey.fromPem(key.public.toPem());
const jws = verifyJws(signFleetTelemetryConfig(key, { hostname: 'telemetry.example.com' }));
const root = await import('tesla-mcp');
console.log(JSON.stringify({
  length: key.publicKey.length,
  samePem: pub.equals(key.publicKey),
  sameIss: pub.equals(jws.publicKey),
  hostname: jws.claims.hostname,
  version: root.VERSION,
}));
`,
    );
    const r = spawnSync(process.execPath, [file], { cwd: p.installed, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      length: 65,
      samePem: true,
      sameIss: true,
      hostname: 'telemetry.example.com',
      version: pkg.version,
    });
  });

  it('ships the type declarations of tesla-mcp/signing', () => {
    const signing = pkg.exports['./signing'];
    const types = typeof signing === 'object' ? signing.types : undefined;
    assert.ok(types, 'exports["./signing"].types is set');
    const path = join(p.extracted, 'package', types);
    assert.ok(existsSync(path), `${types} is in the tarball`);
    assert.match(readFileSync(path, 'utf8'), /PrivateKey/);
  });

  it('ships a declaration file for every exports entry', () => {
    for (const [entry, target] of Object.entries(pkg.exports)) {
      if (typeof target !== 'object' || !target.types) continue;
      assert.ok(
        existsSync(join(p.extracted, 'package', target.types)),
        `${entry}: ${target.types} is missing from the tarball`,
      );
    }
  });
});
