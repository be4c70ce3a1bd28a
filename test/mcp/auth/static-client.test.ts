import assert from 'node:assert/strict';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../../../src/cli/oauth-client.js';
import { AuthConfigError } from '../../../src/mcp/auth/errors.js';
import {
  ensureStaticClientFile,
  isAllowedRedirectUri,
  parseRedirectUris,
  resolveStaticClient,
} from '../../../src/mcp/auth/static-client.js';
import { withTempDir } from './helpers.js';

test('redirect URI policy: Claude callbacks exactly, loopback http on any port', () => {
  for (const ok of [
    'https://claude.ai/api/mcp/auth_callback',
    'https://claude.com/api/mcp/auth_callback',
    'http://localhost:3000/callback',
    'http://127.0.0.1:49152/oauth/cb?x=1',
    'http://[::1]:8080/cb',
  ]) {
    assert.equal(isAllowedRedirectUri(ok), true, ok);
  }
  for (const bad of [
    'https://claude.ai/api/mcp/auth_callback/',
    'https://claude.ai.evil.com/api/mcp/auth_callback',
    'http://claude.ai/api/mcp/auth_callback',
    'https://localhost:3000/cb',
    'http://localhost.evil.com/cb',
    'http://user@localhost:3000/cb',
    'http://localhost:3000/cb#frag',
    'not a url',
  ]) {
    assert.equal(isAllowedRedirectUri(bad), false, bad);
  }
});

test('MCP_REDIRECT_URIS pins the redirect URIs exactly; a bad entry is named', () => {
  const pinned = parseRedirectUris(' https://app.example/cb , http://127.0.0.1:8765/cb ');
  assert.deepEqual(pinned, ['https://app.example/cb', 'http://127.0.0.1:8765/cb']);
  assert.equal(isAllowedRedirectUri('https://app.example/cb', pinned), true);
  assert.equal(isAllowedRedirectUri('http://127.0.0.1:8765/cb', pinned), true);
  for (const bad of [
    'http://127.0.0.1:8766/cb',
    'https://claude.ai/api/mcp/auth_callback',
    'https://app.example/cb/',
    'https://app.example/cb?x=1',
  ]) {
    assert.equal(isAllowedRedirectUri(bad, pinned), false, bad);
  }
  assert.equal(parseRedirectUris(undefined), undefined);
  assert.equal(parseRedirectUris(' , '), undefined);
  for (const bad of ['http://app.example/cb', 'https://app.example/cb#f', 'nope']) {
    assert.throws(
      () => parseRedirectUris(`https://ok.example/cb,${bad}`),
      (err: unknown) => {
        assert.ok(err instanceof AuthConfigError);
        assert.match(err.message, /^MCP_REDIRECT_URIS: /);
        assert.ok(err.message.includes(JSON.stringify(bad)));
        return true;
      },
    );
  }
});

test('resolveStaticClient: env pair, file, half-set env is an error', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'mcp-client.json');
    assert.equal(await resolveStaticClient({ env: {}, path }), undefined);
    const env = { MCP_CLIENT_ID: 'id-1', MCP_CLIENT_SECRET: 's'.repeat(32) };
    assert.deepEqual(await resolveStaticClient({ env, path }), {
      clientId: 'id-1',
      clientSecret: 's'.repeat(32),
      source: 'env',
    });
    await assert.rejects(
      resolveStaticClient({ env: { MCP_CLIENT_ID: 'id-1' }, path }),
      /MCP_CLIENT_SECRET is not set/,
    );
    await assert.rejects(
      resolveStaticClient({ env: { MCP_CLIENT_ID: 'id-1', MCP_CLIENT_SECRET: 'short' }, path }),
      AuthConfigError,
    );
    const created = await ensureStaticClientFile(path);
    assert.equal(created.created, true);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    const read = await resolveStaticClient({ env: {}, path });
    assert.equal(read?.clientId, created.clientId);
    assert.equal(read?.clientSecret, created.clientSecret);
    await writeFile(path, '{not json');
    await assert.rejects(resolveStaticClient({ env: {}, path }), /not valid JSON/);
  });
});

test('tesla-mcp oauth-client creates the client once, then shows the same values', async () => {
  await withTempDir(async (dir) => {
    const env = { TESLA_MCP_CONFIG_DIR: dir };
    let out = '';
    assert.equal(await run([], { env, stdout: (t) => (out += t) }), 0);
    const file = JSON.parse(await readFile(join(dir, 'mcp-client.json'), 'utf8')) as {
      client_id: string;
      client_secret: string;
    };
    assert.match(out, /^Created/);
    assert.ok(out.includes(file.client_id) && out.includes(file.client_secret));
    assert.match(out, /auth|Connectors/);
    let again = '';
    assert.equal(await run([], { env, stdout: (t) => (again += t) }), 0);
    assert.match(again, /^Existing/);
    assert.ok(again.includes(file.client_secret));
    let help = '';
    assert.equal(await run(['--help'], { env, stdout: (t) => (help += t) }), 0);
    assert.match(help, /Usage: tesla-mcp oauth-client/);
    assert.equal(await run(['--bogus'], { env, stdout: () => {}, stderr: () => {} }), 2);
  });
});
