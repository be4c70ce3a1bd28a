/**
 * A TypeScript app that depends on the installed package: `compileConsumer` writes a NodeNext
 * project into a folder of the install (where `node_modules/tesla-mcp` is the only package) and
 * compiles it with the repo's `tsc`, `skipLibCheck: false`, so the package's shipped `.d.ts` are
 * checked too and may use nothing that is not in the tarball. `runtime: 'portable'` gives the
 * program no Node types at all (`lib: ES2022`, `types: []`), as a browser or worker build sees
 * it; `'node'` gives it `@types/node` (from the repo, as a Node app has it installed).
 *
 * @module
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './built-cli.js';

export interface ConsumerFile {
  name: string;
  code: string;
}

/**
 * Compiles `files` in `dir` (created; `"type": "module"`), emitting JavaScript into `dir/out`.
 * Returns tsc's diagnostics, one per line, or an empty list.
 */
export function compileConsumer(o: {
  dir: string;
  files: ConsumerFile[];
  runtime: 'portable' | 'node';
}): string[] {
  mkdirSync(o.dir, { recursive: true });
  for (const f of o.files) writeFileSync(join(o.dir, f.name), f.code);
  writeFileSync(join(o.dir, 'package.json'), '{ "type": "module", "private": true }\n');
  const node = o.runtime === 'node';
  const tsconfig = {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2022'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      skipLibCheck: false,
      types: node ? ['node'] : [],
      ...(node ? { typeRoots: [join(ROOT, 'node_modules', '@types')] } : {}),
      outDir: 'out',
    },
    files: o.files.map((f) => f.name),
  };
  writeFileSync(join(o.dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
  const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--pretty', 'false'], {
    cwd: o.dir,
    encoding: 'utf8',
  });
  if (r.status === 0) return [];
  return `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() !== '');
}
