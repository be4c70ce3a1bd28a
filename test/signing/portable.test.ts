/**
 * The signing entry is portable: no Node built-ins in its sources or bundle, and type
 * declarations that need nothing else installed (no protobuf-es or noble types leak out).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { build } from 'esbuild';
import { assertNoNodeInSources } from '../helpers/portable-sources.js';

test('no Node built-in, Buffer or process in src/signing', () => {
  assertNoNodeInSources('src/signing');
});

test('the bundled signing entry (platform neutral) has no Node imports and runs', async () => {
  const out = await build({
    entryPoints: ['src/signing/index.ts'],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    write: false,
    logLevel: 'silent',
  });
  const code = out.outputFiles[0]?.text ?? '';
  assert.doesNotMatch(code, /from\s*["']node:|require\(["']/);
  const dir = mkdtempSync(join(tmpdir(), 'signing-bundle-'));
  try {
    const file = join(dir, 'signing.mjs');
    writeFileSync(file, code);
    const mod = (await import(file)) as typeof import('../../src/signing/index.js');
    const key = mod.PrivateKey.generate();
    assert.equal(key.publicKey.length, 65);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the type declarations of tesla-mcp/signing import only each other', () => {
  const dir = mkdtempSync(join(tmpdir(), 'signing-dts-'));
  try {
    execFileSync(process.execPath, [
      'node_modules/typescript/bin/tsc',
      '-p',
      'tsconfig.build.json',
      '--outDir',
      dir,
    ]);
    const seen = new Set<string>();
    const queue = [resolve(dir, 'signing/index.d.ts')];
    while (queue.length) {
      const file = queue.pop() as string;
      if (seen.has(file)) continue;
      seen.add(file);
      assert.ok(existsSync(file), `missing ${file}`);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)) {
        const spec = m[1] as string;
        assert.ok(spec.startsWith('.'), `${file} imports ${spec}`);
        assert.ok(!spec.includes('/gen/'), `${file} imports generated code ${spec}`);
        queue.push(resolve(dirname(file), spec.replace(/\.js$/, '.d.ts')));
      }
    }
    assert.ok(seen.size > 3);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
