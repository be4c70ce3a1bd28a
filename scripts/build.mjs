// Builds the published files: one bundled ESM file per entry (esbuild), plus type declarations
// for the portable signing entry. Runs from `npm ci` (prepare), so a fresh clone needs no manual step.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

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
    entryPoints: { cli: 'src/cli.ts', index: 'src/index.ts' },
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

bundles.push(
  await build({
    ...common,
    metafile: true,
    entryPoints: { signing: 'src/signing/index.ts' },
    outdir: 'dist',
    platform: 'neutral',
    target: 'es2022',
  }),
);

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
