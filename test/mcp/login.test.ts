/**
 * `get_login_link`: the Tesla sign-in started from the MCP server, driven through the in-process
 * SDK client against the fake Tesla authorization server. The "browser" follows the authorize
 * redirect to the server's own loopback callback; the model only ever sees the authorize URL.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { createRuntime } from '../../src/mcp/runtime.js';
import { connect } from '../helpers/fake-deps.js';
import { startFakeAuth } from '../helpers/fake-tesla-auth.js';
import { ALL_SCOPES, fakeJwt, NA, tempDir } from '../helpers/fleet-mock.js';

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { text: string }[];
};

const ACCESS = fakeJwt({ aud: [NA], ou_code: 'NA', scp: ALL_SCOPES }, 'server-login');
const REFRESH = 'server-login-refresh-token-value';

test('get_login_link: offered when not logged in; the code reaches the server, not the model', async () => {
  const auth = await startFakeAuth({ accessToken: ACCESS, refreshToken: REFRESH });
  const { dir, cleanup } = await tempDir();
  const runtime = await createRuntime({
    env: {
      TESLA_MCP_CONFIG_DIR: dir,
      TESLA_CLIENT_ID: 'my-app',
      TESLA_CLIENT_SECRET: 'app-secret-value',
      TESLA_LOGIN_PORT: '0',
      TESLA_FLEET_API_URL: 'http://127.0.0.1:9',
    },
    simulator: false,
    log: () => {},
    loginEndpoints: { authorizeEndpoint: `${auth.url}/authorize`, tokenUrl: `${auth.url}/token` },
  });
  const seen: string[] = [];
  try {
    assert.equal(await runtime.loggedIn(), false);
    const s = await connect(runtime.deps, {
      toolsets: ['vehicle'],
      extraTools: ['get_login_link'],
    });
    const call = async (args: Record<string, unknown> = {}) => {
      const r = (await s.client.callTool({ name: 'get_login_link', arguments: args })) as Result;
      seen.push(JSON.stringify(r));
      assert.equal(r.isError, undefined, r.content[0]?.text);
      return r.structuredContent as { status: string; url?: string; redirect_uri?: string };
    };
    try {
      const { tools } = await s.client.listTools();
      assert.ok(
        tools.some((t) => t.name === 'get_login_link'),
        'offered outside `account`',
      );

      const first = await call();
      assert.equal(first.status, 'pending');
      assert.ok(first.url?.startsWith(`${auth.url}/authorize?`));
      assert.match(first.redirect_uri ?? '', /^http:\/\/localhost:\d+\/callback$/);
      const again = await call();
      assert.equal(again.url, first.url, 'a second call reports the same pending login');

      // The user's browser: authorize, then the redirect to the server's loopback callback.
      const page = await (await fetch(first.url ?? '')).text();
      assert.match(page, /Signed in to Tesla/);

      let state = await call();
      for (let i = 0; state.status === 'pending' && i < 200; i++) {
        await sleep(10);
        state = await call();
      }
      assert.equal(state.status, 'completed');
      assert.equal((await call()).status, 'logged_in');
      assert.equal(await runtime.loggedIn(), true);

      const saved = JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8')) as {
        access_token: string;
      };
      assert.equal(saved.access_token, ACCESS);
      assert.equal(statSync(join(dir, 'tokens.json')).mode & 0o777, 0o600);
      const form = auth.tokenForms[0];
      assert.ok(form?.get('code_verifier'), 'PKCE verifier sent by the server');
      const code = form?.get('code') ?? '';
      const all = seen.join('\n');
      assert.ok(code && !all.includes(code), 'the authorization code never reached the model');
      assert.ok(!all.includes(ACCESS) && !all.includes(REFRESH), 'no token reached the model');
      assert.ok(!all.includes('app-secret-value'), 'no client secret reached the model');

      const relogin = await call({ relogin: true });
      assert.equal(relogin.status, 'pending', 'relogin starts a new sign-in');
    } finally {
      await s.close();
    }
  } finally {
    await runtime.close();
    await auth.close();
    await cleanup();
  }
});

test('get_login_link without TESLA_CLIENT_ID says what to set', async () => {
  const { dir, cleanup } = await tempDir();
  const runtime = await createRuntime({
    env: { TESLA_MCP_CONFIG_DIR: dir },
    simulator: false,
    log: () => {},
  });
  const s = await connect(runtime.deps, { toolsets: ['account'] });
  try {
    const r = (await s.client.callTool({ name: 'get_login_link', arguments: {} })) as Result;
    assert.equal(r.isError, true);
    assert.match(r.content[0]?.text ?? '', /needs TESLA_CLIENT_ID/);
    // A vehicle call without a login points the model at get_login_link.
    const v = (await s.client.callTool({ name: 'products', arguments: {} })) as Result;
    assert.equal(v.isError, true);
    assert.match(v.content[0]?.text ?? '', /get_login_link/);
  } finally {
    await s.close();
    await runtime.close();
    await cleanup();
  }
});
