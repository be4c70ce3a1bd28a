import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ROOT } from '../helpers/built-cli.js';
import {
  checkStdioServer,
  listFiles,
  missingTool,
  npmEnv,
  type Packed,
  packAndInstall,
} from '../helpers/pack.js';
import { compileConsumer } from '../helpers/ts-consumer.js';

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
    const r = spawnSync('npx', ['--yes', '--offline', `./${basename(p.tarball)}`, '--help'], {
      cwd: p.npxDir,
      env: npmEnv(p.cache),
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /Usage: tesla-mcp/);
  });

  it('README line `npx -y --package=./tesla-mcp-X.tgz tesla-mcp` serves MCP over stdio', async () => {
    assert.match(basename(p.tarball), /^tesla-mcp-\d+\.\d+\.\d+.*\.tgz$/);
    await checkStdioServer({
      command: 'npx',
      args: ['-y', '--offline', `--package=./${basename(p.tarball)}`, 'tesla-mcp'],
      cwd: p.npxDir,
      env: npmEnv(p.cache),
      version: pkg.version,
      // The tarball named relative to the folder npx ran in, as a path that works from any other.
      cli: `npx -y --package=${join(p.npxDir, basename(p.tarball))} tesla-mcp`,
    });
  });

  it('serve over stdio answers tools/list (StdioClientTransport)', async () => {
    await checkStdioServer({
      command: process.execPath,
      args: [join(p.installed, 'node_modules', 'tesla-mcp', 'bin', 'tesla-mcp.js'), 'serve'],
      cwd: p.installed,
      version: pkg.version,
      cli: `node ${join(p.installed, 'node_modules', 'tesla-mcp', 'bin', 'tesla-mcp.js')}`,
    });
  });

  it('a global install (npm install -g) runs as `tesla-mcp` from PATH, and its hints say so', async () => {
    const prefix = join(p.cache, '..', 'global');
    const env = npmEnv(p.cache);
    const r = spawnSync('npm', ['install', '-g', '--offline', '--prefix', prefix, p.tarball], {
      env,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    const bin = join(prefix, 'bin');
    await checkStdioServer({
      command: join(bin, 'tesla-mcp'),
      args: [],
      cwd: p.npxDir,
      env: { PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` },
      version: pkg.version,
      cli: 'tesla-mcp',
    });
  });

  it('ships LICENSE (MIT) and dist/THIRD-PARTY-NOTICES.md listing the bundled packages', () => {
    assert.ok(files.includes('LICENSE') && files.includes('dist/THIRD-PARTY-NOTICES.md'));
    assert.equal(pkg.license, 'MIT');
    assert.match(readFileSync(join(p.extracted, 'package', 'LICENSE'), 'utf8'), /^MIT License/);
    const notices = readFileSync(
      join(p.extracted, 'package', 'dist/THIRD-PARTY-NOTICES.md'),
      'utf8',
    );
    for (const dep of ['@noble/curves', '@bufbuild/protobuf', '@modelcontextprotocol/sdk', 'zod']) {
      assert.match(notices, new RegExp(`^## ${dep} \\d`, 'm'), `${dep} is listed`);
    }
  });

  it('declares no preinstall, install or postinstall script', () => {
    const scripts = (pkg.scripts ?? {}) as Record<string, string>;
    for (const hook of ['preinstall', 'install', 'postinstall']) {
      assert.equal(scripts[hook], undefined, `the packed package.json declares ${hook}`);
    }
    // npm runs node-gyp (an implicit install script) when a binding.gyp ships.
    assert.equal(files.includes('binding.gyp'), false);
  });

  it('npm publish --dry-run is clean (no warning, nothing sent anywhere)', () => {
    // A registry on a closed loopback port: any request would fail the command.
    const rc = join(p.cache, '..', 'publish.npmrc');
    writeFileSync(rc, 'registry=http://127.0.0.1:9/\n//127.0.0.1:9/:_authToken=dry-run-only\n');
    // --ignore-scripts: `prepare` already built dist/ in this folder when it was packed.
    const r = spawnSync('npm', ['publish', '--dry-run', '--ignore-scripts'], {
      cwd: p.stage,
      env: { ...npmEnv(p.cache), npm_config_userconfig: rc },
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      r.stderr.split('\n').filter((l) => /^npm (warn|err)/i.test(l)),
      [],
    );
    assert.equal(r.stdout.trim(), `+ ${pkg.name}@${pkg.version}`);
    assert.match(r.stderr, /LICENSE/);
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

  it('exports signing, commands, vehicle and fleet, each with types', () => {
    assert.deepEqual(Object.keys(pkg.exports).sort(), [
      '.',
      './commands',
      './fleet',
      './package.json',
      './signing',
      './vehicle',
    ]);
  });

  it('no shipped declaration imports a package that is not in the tarball', () => {
    const dts = files.filter((f) => f.endsWith('.d.ts'));
    assert.ok(dts.length > 20);
    for (const f of dts) {
      const text = readFileSync(join(p.extracted, 'package', f), 'utf8');
      for (const line of text.split('\n')) {
        if (/^\s*(\/\*|\*|\/\/)/.test(line)) continue;
        for (const m of line.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
          assert.ok(m[1]?.startsWith('.'), `${f} imports ${m[1]}`);
        }
      }
    }
  });

  it('a TypeScript app (NodeNext, skipLibCheck: false) compiles and runs against every entry', () => {
    const node = join(p.installed, 'node-app');
    const diagnostics = compileConsumer({
      dir: node,
      runtime: 'node',
      files: [
        {
          name: 'main.ts',
          code: `import { VERSION } from 'tesla-mcp';
import { build, charging, type Command, COMMANDS } from 'tesla-mcp/commands';
import { createFleetClient, FleetClient, REGIONS } from 'tesla-mcp/fleet';
import { PrivateKey, ProtocolError } from 'tesla-mcp/signing';
import { Dispatcher, type FleetTransport, SessionCache } from 'tesla-mcp/vehicle';

const cmd: Command = build('set_charge_limit', { percent: 80 });
const same = charging.setChargeLimit(80);
const { client } = createFleetClient({ TESLA_ACCESS_TOKEN: 'x', TESLA_REGION: 'na' });
const transport: FleetTransport = client;
console.log(JSON.stringify({
  version: VERSION,
  domain: cmd.domain,
  same: cmd.payload.join() === same.payload.join(),
  effect: COMMANDS.door_unlock.effect,
  fleet: client instanceof FleetClient,
  transport: typeof transport.signedCommand,
  regions: Object.keys(REGIONS).includes('eu'),
  classes: [Dispatcher, SessionCache, ProtocolError].every((c) => typeof c === 'function'),
  key: PrivateKey.generate().publicKey.length,
}));
`,
        },
      ],
    });
    assert.deepEqual(diagnostics, []);
    const r = spawnSync(process.execPath, [join(node, 'out', 'main.js')], {
      cwd: node,
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), {
      version: pkg.version,
      domain: 3,
      same: true,
      effect: 'write',
      fleet: true,
      transport: 'function',
      regions: true,
      classes: true,
      key: 65,
    });
    // The portable entries compile with no Node types, as a browser or worker build has it.
    const portable = compileConsumer({
      dir: join(p.installed, 'web-app'),
      runtime: 'portable',
      files: [
        {
          name: 'main.ts',
          code: `import { build, type Command, infotainment } from 'tesla-mcp/commands';
import { createHandshake, PrivateKey } from 'tesla-mcp/signing';

const cmd: Command = build('door_lock');
const custom: Command = infotainment({ case: 'chargingStartStopAction', value: {} });
export const hello = createHandshake(PrivateKey.generate().publicKey, cmd.domain);
export const domains: number[] = [cmd.domain, custom.domain];
`,
        },
      ],
    });
    assert.deepEqual(portable, []);
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
