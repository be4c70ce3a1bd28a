#!/usr/bin/env node
// Launcher for the bundled CLI. `npm ci` runs `prepare`, which builds dist/ with esbuild.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const bundle = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(fileURLToPath(bundle))) {
  process.stderr.write(
    'tesla-mcp: dist/cli.js is missing; run `npm run build` (npm ci does it for you).\n',
  );
  process.exit(1);
}
await import(bundle.href);
