// Rebuilds dist/ (scripts/build.mjs) when any of its inputs is newer than its oldest output, so
// tests that start the CLI as a process (`node dist/cli.js`, as the package runs) never run a
// bundle older than src/. Run from the repo root; prints nothing when dist/ is up to date.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const INPUTS = ['src', 'scripts/build.mjs', 'package.json', 'tsconfig.build.json'];
const OUTPUTS = [
  'dist/commands.js',
  'dist/vehicle.js',
  'dist/fleet.js',
  'dist/types/commands/index.d.ts',
  'dist/cli.js',
  'dist/index.js',
  'dist/signing.js',
  'dist/types/signing/index.d.ts',
];

function newest(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

const oldestOutput = OUTPUTS.every((f) => existsSync(f))
  ? Math.min(...OUTPUTS.map((f) => statSync(f).mtimeMs))
  : 0;
const newestInput = Math.max(...INPUTS.filter((f) => existsSync(f)).map(newest));
if (newestInput > oldestOutput) {
  process.stderr.write(
    'build-if-stale: dist/ is older than its sources; running scripts/build.mjs\n',
  );
  await import('./build.mjs');
}
