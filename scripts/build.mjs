// Builds the published files: the CLI as one bundled ESM file, the library entries of
// package.json "exports" with shared chunks (esbuild), and the type declarations of every entry
// (scripts/vendor-types.mjs makes them self-contained). Runs from `npm ci` (prepare), so a fresh
// clone needs no manual step.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { vendorTypes } from './vendor-types.mjs';

rmSync('dist', { recursive: true, force: true });

const common = {
  bundle: true,
  format: 'esm',
  logLevel: 'warning',
  legalComments: 'none',
};

const bundles = [];

// The Redis client is a chunk of its own, loaded only when --redis / TESLA_MCP_REDIS_URL is set
// (src/vehicle/redis-store.ts imports it dynamically): the main bundles leave that import as it
// is, and dist/redis-client.js holds the client.
const redisChunk = {
  name: 'redis-chunk',
  setup(b) {
    b.onResolve({ filter: /\/redis-client\.js$/ }, () => ({
      path: './redis-client.js',
      external: true,
    }));
  },
};

bundles.push(
  await build({
    ...common,
    metafile: true,
    entryPoints: { cli: 'src/cli.ts' },
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    plugins: [redisChunk],
    // Some bundled CommonJS dependencies call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  }),
);

bundles.push(
  await build({
    ...common,
    metafile: true,
    entryPoints: { 'redis-client': 'src/vehicle/redis-client.ts' },
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  }),
);

/** The library entries: package.json "exports" maps `tesla-mcp/<name>` to `dist/<name>.js`. */
const LIBRARY_ENTRIES = {
  index: 'src/index.ts',
  signing: 'src/signing/index.ts',
  commands: 'src/commands/index.ts',
  vehicle: 'src/vehicle/index.ts',
  fleet: 'src/fleet/index.ts',
};

// One build with shared chunks, so a class is the same object whichever entry it comes through
// (a PrivateKey or ProtocolError from tesla-mcp/signing is the one tesla-mcp/vehicle uses).
// signing and commands stay portable: the chunks they load import nothing from Node
// (test/commands/portable.test.ts follows their imports and loads them in Chromium). The Redis
// client's dynamic import becomes a chunk of its own here, loaded only when a Redis store opens.
const library = await build({
  ...common,
  metafile: true,
  entryPoints: LIBRARY_ENTRIES,
  outdir: 'dist',
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  platform: 'node',
  target: 'node20',
});
bundles.push(library);
// undici (CommonJS) calls require() for Node built-ins. The chunk holding esbuild's __require
// helper may be shared with the portable entries, so instead of a static `node:module` import it
// gets a require() built on process.getBuiltinModule (Node >= 20.16), which exists only on Node;
// in a browser or worker the portable entries load as before and never call it.
const PORTABLE_REQUIRE = [
  'const require = globalThis.process?.getBuiltinModule ? (id) => {',
  '  const m = globalThis.process.getBuiltinModule(id);',
  "  if (m === undefined) throw new Error('Cannot find module ' + id);",
  '  return m;',
  '} : undefined;',
].join('\n');
for (const out of Object.keys(library.metafile.outputs)) {
  if (!out.endsWith('.js')) continue;
  const text = readFileSync(out, 'utf8');
  if (text.includes('typeof require !== "undefined"')) {
    writeFileSync(out, `${PORTABLE_REQUIRE}\n${text}`);
  }
}

// The bundles carry third-party code: list each package with its license text.
const packages = new Set();
for (const b of bundles) {
  for (const input of Object.keys(b.metafile.inputs)) {
    const at = input.lastIndexOf('node_modules/');
    if (at < 0) continue;
    const m = /^((?:@[^/]+\/)?[^/]+)\//.exec(input.slice(at + 'node_modules/'.length));
    if (m) packages.add(`${input.slice(0, at)}node_modules/${m[1]}`);
  }
}
const notices = [
  'Third-party software bundled into the files of this folder.',
  'tesla-mcp itself is MIT-licensed; the vendored .proto files are Apache-2.0 (see proto/).',
  'The extension messages in proto-ext/ are ours; their field numbers and shapes come from',
  'Teslemetry/python-tesla-fleet-api, Apache-2.0 (see proto-ext/README.md and proto-ext/LICENSE).',
  '',
];
for (const dir of [...packages].sort()) {
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const file = readdirSync(dir).find((f) => /^licen[cs]e/i.test(f));
  notices.push(`## ${pkg.name} ${pkg.version} (${pkg.license ?? 'see below'})`, '');
  notices.push(
    file && existsSync(join(dir, file))
      ? readFileSync(join(dir, file), 'utf8').trim()
      : '(no license file shipped)',
    '',
  );
}
writeFileSync('dist/THIRD-PARTY-NOTICES.md', `${notices.join('\n')}\n`);

execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json'], {
  stdio: 'inherit',
});
vendorTypes('dist/types');
