import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { apiKeyMatches, resolveApiKey } from '../../../src/mcp/auth/api-key.js';
import { AuthConfigError } from '../../../src/mcp/auth/errors.js';
import { withTempDir } from './helpers.js';

test('resolveApiKey: env, explicit flag value, nothing generated unless asked', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'api-key');
    assert.equal(await resolveApiKey({ env: {}, path }), undefined);
    await assert.rejects(stat(path), /ENOENT/);
    const fromEnv = await resolveApiKey({ env: { MCP_API_KEY: 'e'.repeat(20) }, path });
    assert.deepEqual(fromEnv, { key: 'e'.repeat(20), source: 'env', generated: false });
    const fromFlag = await resolveApiKey({
      env: { MCP_API_KEY: 'e'.repeat(20) },
      flag: 'f'.repeat(20),
      path,
    });
    assert.equal(fromFlag?.key, 'f'.repeat(20));
    await assert.rejects(resolveApiKey({ env: { MCP_API_KEY: 'short' }, path }), AuthConfigError);
  });
});

test('--api-key without a value generates CONFIG/api-key (0600) once, then reuses it', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'sub', 'api-key');
    const first = await resolveApiKey({ env: {}, flag: true, path });
    assert.ok(first?.generated);
    assert.ok((first?.key.length ?? 0) >= 40);
    assert.equal((await readFile(path, 'utf8')).trim(), first?.key);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const second = await resolveApiKey({ env: {}, flag: true, path });
    assert.equal(second?.key, first?.key);
    assert.equal(second?.generated, false);
  });
});

test('apiKeyMatches compares exactly', () => {
  assert.equal(apiKeyMatches('abc-123-xyz', 'abc-123-xyz'), true);
  assert.equal(apiKeyMatches('abc-123-xy', 'abc-123-xyz'), false);
  assert.equal(apiKeyMatches('', 'abc'), false);
});
