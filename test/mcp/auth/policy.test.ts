import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkAuthConfig } from '../../../src/mcp/auth/policy.js';
import { isLoopbackHost } from '../../../src/util/loopback.js';

test('isLoopbackHost', () => {
  for (const h of [
    '127.0.0.1',
    '127.1.2.3',
    'localhost',
    '::1',
    '[::1]',
    '0:0:0:0:0:0:0:1',
    '::ffff:127.0.0.1',
    // How `new URL('http://[::ffff:127.0.0.1]/').hostname` spells it.
    '[::ffff:7f00:1]',
  ]) {
    assert.equal(isLoopbackHost(h), true, h);
  }
  for (const h of [
    '0.0.0.0',
    '::',
    '192.168.1.2',
    'example.com',
    '128.0.0.1',
    'localhost.evil.com',
    // A resolver decides where these go: not trusted to stay on the machine.
    'app.localhost',
    '127.999.0.1',
    '::ffff:10.0.0.1',
  ]) {
    assert.equal(isLoopbackHost(h), false, h);
  }
});

test('checkAuthConfig follows the README rule', () => {
  const base = { simulator: false, noAuth: false, oauth: false, apiKey: false };
  // Configured auth: always fine, on any host.
  assert.equal(checkAuthConfig({ ...base, host: '0.0.0.0', oauth: true }), undefined);
  assert.equal(checkAuthConfig({ ...base, host: '0.0.0.0', apiKey: true }), undefined);
  // Loopback with --simulator or --no-auth needs none.
  assert.equal(checkAuthConfig({ ...base, host: '127.0.0.1', simulator: true }), undefined);
  assert.equal(checkAuthConfig({ ...base, host: 'localhost', noAuth: true }), undefined);
  // The real fleet without auth refuses, even on loopback, and says what to set.
  const real = checkAuthConfig({ ...base, host: '127.0.0.1' });
  assert.match(real ?? '', /MCP_CLIENT_ID.*MCP_API_KEY.*--no-auth/s);
  // Off loopback, neither --simulator nor --no-auth is enough.
  assert.ok(checkAuthConfig({ ...base, host: '0.0.0.0', simulator: true }));
  assert.ok(checkAuthConfig({ ...base, host: '0.0.0.0', noAuth: true }));
  // A public URL that is not loopback exposes the server (tunnel/proxy).
  assert.ok(
    checkAuthConfig({
      ...base,
      host: '127.0.0.1',
      simulator: true,
      publicUrl: 'https://x.example',
    }),
  );
  // --no-auth together with configured auth is a contradiction.
  assert.match(
    checkAuthConfig({ ...base, host: '127.0.0.1', noAuth: true, apiKey: true }) ?? '',
    /--no-auth/,
  );
});
