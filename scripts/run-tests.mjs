// The README's test command. Node 20 has no --test globs and no TypeScript, so collect the
// test files here, bundle each one with esbuild (our sources inlined, packages left to
// node_modules, the same transform tsx applies) into a temp folder under .tmp/, and run the
// bundles on node's test runner, several files at a time. A bundle starts in about half the CPU
// time of the same file under `--import tsx`, which loads and resolves every module through a
// loader thread. Each source file keeps its own `import.meta.url` and `import.meta.dirname`, so
// paths relative to a test stay right. Tests that start the CLI as a process run the bundle in
// dist/ (test/helpers/built-cli.ts), so bring that up to date first.
// Extra arguments narrow the set; arguments starting with -- go to node unchanged:
//   npm test -- test/signing          (a folder)   npm test -- test/signing/keys.test.ts
//   npm test -- --test-concurrency=1 --test-name-pattern=pairing
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

function collect(path, out) {
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      collect(join(path, name), out);
    }
  } else if (path.endsWith('.test.ts')) {
    out.push(path);
  }
  return out;
}

const args = process.argv.slice(2);
const flags = args.filter((a) => a.startsWith('--'));
const roots = args.filter((a) => !a.startsWith('--'));
const files = (roots.length ? roots : ['test']).flatMap((root) => collect(root, []));
if (files.length === 0) {
  console.error('run-tests: no test files found');
  process.exit(1);
}

const dist = spawnSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'inherit' });
if (dist.status !== 0) {
  console.error('run-tests: building dist/ failed (the e2e tests run the built CLI)');
  process.exit(dist.status ?? 1);
}

/** Replaces `import.meta.url`/`dirname`/`filename` in each source file with its own values. */
const sourceImportMeta = {
  name: 'source-import-meta',
  setup(b) {
    b.onLoad({ filter: /\.ts$/ }, async ({ path }) => ({
      loader: 'ts',
      contents: (await readFile(path, 'utf8'))
        .replaceAll('import.meta.dirname', JSON.stringify(dirname(path)))
        .replaceAll('import.meta.filename', JSON.stringify(path))
        .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href)),
    }));
  },
};

// Inside the repo, so the bundles' bare imports resolve to its node_modules.
mkdirSync('.tmp', { recursive: true });
const out = mkdtempSync(join('.tmp', 'tests-'));
let status = 1;
try {
  await build({
    entryPoints: files,
    outbase: '.',
    outdir: out,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    keepNames: true,
    sourcemap: 'linked',
    sourcesContent: false,
    logLevel: 'warning',
    plugins: [sourceImportMeta],
  });
  const bundles = files.map((f) => join(out, relative('.', f).replace(/\.ts$/, '.mjs')));
  // Most test files spend much of their time waiting on child processes and sockets, so one
  // more file than there are cores keeps both cores busy. A --test-concurrency given here wins.
  const concurrency = flags.some((f) => f.startsWith('--test-concurrency'))
    ? []
    : [`--test-concurrency=${availableParallelism() + 1}`];
  const result = spawnSync(
    process.execPath,
    ['--enable-source-maps', '--test', ...concurrency, ...flags, ...bundles],
    { stdio: 'inherit' },
  );
  status = result.status ?? 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
process.exit(status);
