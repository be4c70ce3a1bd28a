import assert from 'node:assert/strict';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  type HttpServerHandle,
  type HttpServerOptions,
  startHttpServer,
} from '../../src/mcp/http.js';
import {
  authorizeUrl,
  basicAuth,
  connectWithOAuth,
  connectWithTokens,
  createTestServer,
  followAuthorize,
  localUrl,
  pkce,
  postInitialize,
  postToken,
  REDIRECT_URI,
  rawRequest,
  rawTokens,
  STATIC_CLIENT,
  StaticClientProvider,
  text,
  withTempDir,
} from './auth/helpers.js';

async function withOAuthServer(
  fn: (http: HttpServerHandle, statePath: string) => Promise<void>,
  extra: Partial<HttpServerOptions> & { statePath?: string } = {},
): Promise<void> {
  await withTempDir(async (dir) => {
    const statePath = extra.statePath ?? join(dir, 'oauth-state.json');
    const http = await startHttpServer({
      createMcpServer: createTestServer,
      auth: { oauth: { client: STATIC_CLIENT, statePath } },
      port: 0,
      ...extra,
    });
    try {
      await fn(http, statePath);
    } finally {
      await http.close();
    }
  });
}

test('the SDK client completes the OAuth flow with the static client and calls a tool', async () => {
  await withOAuthServer(async (http, statePath) => {
    const provider = new StaticClientProvider(STATIC_CLIENT.clientId, STATIC_CLIENT.clientSecret);
    const { client, redirectParams } = await connectWithOAuth(http.mcpUrl, provider);
    assert.equal(redirectParams.get('iss'), http.url);
    assert.equal(redirectParams.get('state'), provider.lastState, 'state is echoed');
    assert.equal(text(await client.callTool({ name: 'echo', arguments: { text: 'hi' } })), 'hi');
    assert.equal(
      text(await client.callTool({ name: 'whoami', arguments: {} })),
      STATIC_CLIENT.clientId,
    );
    await client.close();

    const tokens = provider.savedTokens;
    assert.ok(tokens?.access_token && tokens.refresh_token);
    const raw = await readFile(statePath, 'utf8');
    assert.ok(!raw.includes(tokens.access_token), 'state file holds the raw access token');
    assert.ok(!raw.includes(tokens.refresh_token), 'state file holds the raw refresh token');
    assert.ok(!raw.includes(STATIC_CLIENT.clientSecret), 'state file holds the client secret');
    assert.match(raw, /"[0-9a-f]{64}"/, 'state file keys are SHA-256 hashes');
    assert.equal((await stat(statePath)).mode & 0o777, 0o600);
  });
});

test('metadata: authorization server, path-inserted and root protected-resource documents', async () => {
  await withOAuthServer(async (http) => {
    const as = (await (
      await fetch(`${http.url}/.well-known/oauth-authorization-server`)
    ).json()) as Record<string, unknown>;
    assert.equal(as.issuer, http.url);
    assert.deepEqual(as.code_challenge_methods_supported, ['S256']);
    assert.equal(as.authorization_response_iss_parameter_supported, true);
    for (const path of [
      '/.well-known/oauth-protected-resource/mcp',
      '/.well-known/oauth-protected-resource',
    ]) {
      const prm = (await (await fetch(`${http.url}${path}`)).json()) as Record<string, unknown>;
      assert.equal(prm.resource, http.mcpUrl, path);
      assert.deepEqual(prm.authorization_servers, [http.url], path);
    }
    const res = await postInitialize(http.mcpUrl);
    assert.equal(res.status, 401);
    assert.match(
      String(res.headers['www-authenticate']),
      new RegExp(
        `^Bearer .*resource_metadata="${http.url}/.well-known/oauth-protected-resource/mcp"`,
      ),
    );
  });
});

test('client_secret_post works; a wrong secret or unknown client id is refused (401)', async () => {
  await withOAuthServer(async (http) => {
    const exchange = async (auth: string | null, body: Record<string, string> = {}) => {
      const { verifier, challenge } = pkce();
      const code = (await followAuthorize(authorizeUrl(http.url, challenge))).get('code') ?? '';
      return postToken(
        http.url,
        { grant_type: 'authorization_code', code, code_verifier: verifier, ...body },
        auth,
      );
    };
    const post = await exchange(null, {
      client_id: STATIC_CLIENT.clientId,
      client_secret: STATIC_CLIENT.clientSecret,
    });
    assert.equal(post.status, 200);
    assert.equal(post.body.token_type, 'Bearer');
    assert.equal(post.headers.get('cache-control'), 'no-store');

    const wrongBasic = await exchange(basicAuth(STATIC_CLIENT.clientId, 'wrong-secret-0123456789'));
    assert.equal(wrongBasic.status, 401);
    assert.equal(wrongBasic.body.error, 'invalid_client');
    assert.match(String(wrongBasic.headers.get('www-authenticate')), /^Basic/);
    const wrongPost = await exchange(null, {
      client_id: STATIC_CLIENT.clientId,
      client_secret: 'nope',
    });
    assert.equal(wrongPost.status, 401);
    const noSecret = await exchange(null, { client_id: STATIC_CLIENT.clientId });
    assert.equal(noSecret.status, 401);
    const otherId = await exchange(basicAuth('someone-else', STATIC_CLIENT.clientSecret));
    assert.equal(otherId.status, 401);
  });
});

test('dynamic registration is answered, but the registered client never gets a code', async () => {
  await withOAuthServer(async (http) => {
    const reg = await fetch(`${http.url}/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ redirect_uris: [REDIRECT_URI], client_name: 'dcr' }),
    });
    assert.equal(reg.status, 201);
    const info = (await reg.json()) as { client_id: string };
    assert.ok(info.client_id);
    const { challenge } = pkce();
    const res = await fetch(authorizeUrl(http.url, challenge, { client_id: info.client_id }), {
      redirect: 'manual',
    });
    assert.equal(res.status, 400, 'no redirect, so no code');
    assert.equal(res.headers.get('location'), null);
    assert.match(await res.text(), /unknown client/);
  });
});

test('PKCE is mandatory and S256 only; a wrong redirect URI gets no redirect at all', async () => {
  await withOAuthServer(async (http) => {
    const { challenge } = pkce();
    const missing = await followAuthorize(
      authorizeUrl(http.url, challenge, {
        code_challenge: undefined,
        code_challenge_method: undefined,
      }),
    );
    assert.equal(missing.get('error'), 'invalid_request');
    assert.equal(missing.get('code'), null);
    assert.equal(missing.get('iss'), http.url, 'iss in error redirects too');
    assert.equal(missing.get('state'), 'st-1');
    const plain = await followAuthorize(
      authorizeUrl(http.url, challenge, { code_challenge_method: 'plain' }),
    );
    assert.equal(plain.get('error'), 'invalid_request');
    assert.match(plain.get('error_description') ?? '', /plain is refused/);
    assert.equal(plain.get('code'), null);
    const noMethod = await followAuthorize(
      authorizeUrl(http.url, challenge, { code_challenge_method: undefined }),
    );
    assert.equal(noMethod.get('code'), null);

    for (const bad of [
      'https://evil.example/cb',
      'https://claude.ai/api/mcp/other',
      'https://localhost:3000/cb',
    ]) {
      const res = await fetch(authorizeUrl(http.url, challenge, { redirect_uri: bad }), {
        redirect: 'manual',
      });
      assert.equal(res.status, 400, bad);
      assert.equal(res.headers.get('location'), null, bad);
    }
    // A code issued for one redirect URI cannot be redeemed with another.
    const { verifier, challenge: c2 } = pkce();
    const code = (await followAuthorize(authorizeUrl(http.url, c2))).get('code') ?? '';
    const res = await postToken(http.url, {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: 'http://127.0.0.1:9/other',
    });
    assert.equal(res.body.error, 'invalid_grant');
    // A wrong verifier is refused.
    const { challenge: c3 } = pkce();
    const code3 = (await followAuthorize(authorizeUrl(http.url, c3))).get('code') ?? '';
    const res3 = await postToken(http.url, {
      grant_type: 'authorization_code',
      code: code3,
      code_verifier: pkce().verifier,
    });
    assert.equal(res3.body.error, 'invalid_grant');
  });
});

test('a code is single-use: a replay is refused and revokes the tokens it issued', async () => {
  await withOAuthServer(async (http) => {
    const { verifier, challenge } = pkce();
    const code = (await followAuthorize(authorizeUrl(http.url, challenge))).get('code') ?? '';
    const form = {
      grant_type: 'authorization_code',
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT_URI,
    };
    const first = await postToken(http.url, form);
    assert.equal(first.status, 200);
    assert.equal((await postInitialize(http.mcpUrl, String(first.body.access_token))).status, 200);
    const again = await postToken(http.url, form);
    assert.equal(again.status, 400);
    assert.equal(again.body.error, 'invalid_grant');
    assert.equal((await postInitialize(http.mcpUrl, String(first.body.access_token))).status, 401);
  });
});

test('refresh tokens rotate; reusing an old one is refused and revokes the grant', async () => {
  await withOAuthServer(async (http) => {
    const t1 = await rawTokens(http.url);
    const r2 = await postToken(http.url, {
      grant_type: 'refresh_token',
      refresh_token: t1.refresh_token,
    });
    assert.equal(r2.status, 200);
    assert.notEqual(r2.body.refresh_token, t1.refresh_token);
    assert.equal((await postInitialize(http.mcpUrl, String(r2.body.access_token))).status, 200);
    const reuse = await postToken(http.url, {
      grant_type: 'refresh_token',
      refresh_token: t1.refresh_token,
    });
    assert.equal(reuse.status, 400);
    assert.equal(reuse.body.error, 'invalid_grant');
    // The whole family is gone: the rotated tokens no longer work either.
    assert.equal((await postInitialize(http.mcpUrl, String(r2.body.access_token))).status, 401);
    const r3 = await postToken(http.url, {
      grant_type: 'refresh_token',
      refresh_token: String(r2.body.refresh_token),
    });
    assert.equal(r3.body.error, 'invalid_grant');
  });
});

test('an expired access token is refused with invalid_token; refresh still works', async () => {
  let clock = Date.UTC(2030, 0, 1);
  await withOAuthServer(
    async (http) => {
      const t = await rawTokens(http.url);
      assert.equal((await postInitialize(http.mcpUrl, t.access_token)).status, 200);
      clock += 61 * 60_000;
      const res = await postInitialize(http.mcpUrl, t.access_token);
      assert.equal(res.status, 401);
      assert.match(String(res.headers['www-authenticate']), /error="invalid_token"/);
      assert.match(res.body, /expired/);
      const r = await postToken(http.url, {
        grant_type: 'refresh_token',
        refresh_token: t.refresh_token,
      });
      assert.equal(r.status, 200);
      assert.equal((await postInitialize(http.mcpUrl, String(r.body.access_token))).status, 200);
    },
    { now: () => clock },
  );
});

test('tokens are bound to the MCP URL: another resource is refused at every step', async () => {
  await withTempDir(async (dir) => {
    const statePath = join(dir, 'oauth-state.json');
    await withOAuthServer(
      async (a) => {
        const { challenge } = pkce();
        const other = await followAuthorize(
          authorizeUrl(a.url, challenge, { resource: 'https://other.example/mcp' }),
        );
        assert.equal(other.get('error'), 'invalid_target');
        assert.equal(other.get('code'), null);
        const t = await rawTokens(a.url);
        const r = await postToken(a.url, {
          grant_type: 'refresh_token',
          refresh_token: t.refresh_token,
          resource: 'https://other.example/mcp',
        });
        assert.equal(r.body.error, 'invalid_target');
        // Server B shares the state file but serves another MCP URL.
        await withOAuthServer(
          async (b) => {
            assert.notEqual(b.mcpUrl, a.mcpUrl);
            const res = await postInitialize(`${localUrl(b)}/mcp`, t.access_token);
            assert.equal(res.status, 401);
            assert.match(res.body, /another resource/);
            const rb = await postToken(localUrl(b), {
              grant_type: 'refresh_token',
              refresh_token: t.refresh_token,
            });
            assert.equal(rb.body.error, 'invalid_grant');
          },
          { statePath, publicUrl: 'http://localhost:8752' },
        );
      },
      { statePath },
    );
  });
});

test('state survives a restart: a refresh token issued before still works, once', async () => {
  await withTempDir(async (dir) => {
    const statePath = join(dir, 'oauth-state.json');
    const publicUrl = 'http://localhost:8752';
    let tokens: { access_token: string; refresh_token: string } | undefined;
    await withOAuthServer(
      async (first) => {
        tokens = await rawTokens(localUrl(first));
      },
      { statePath, publicUrl },
    );
    assert.ok(tokens);
    await withOAuthServer(
      async (second) => {
        assert.equal(
          (await postInitialize(`${localUrl(second)}/mcp`, tokens?.access_token)).status,
          200,
        );
        const r = await postToken(localUrl(second), {
          grant_type: 'refresh_token',
          refresh_token: tokens?.refresh_token ?? '',
        });
        assert.equal(r.status, 200);
        const again = await postToken(localUrl(second), {
          grant_type: 'refresh_token',
          refresh_token: tokens?.refresh_token ?? '',
        });
        assert.equal(again.body.error, 'invalid_grant');
      },
      { statePath, publicUrl },
    );
  });
});

test('the SDK client refreshes on its own when its access token is refused', async () => {
  await withOAuthServer(async (http) => {
    const provider = new StaticClientProvider(STATIC_CLIENT.clientId, STATIC_CLIENT.clientSecret);
    const { client } = await connectWithOAuth(http.mcpUrl, provider);
    await client.close();
    // A revoked/unknown access token with a valid refresh token: the SDK refreshes.
    if (provider.savedTokens)
      provider.savedTokens = { ...provider.savedTokens, access_token: 'tmcp_at_bogus' };
    const again = await connectWithTokens(http.mcpUrl, provider);
    assert.equal(text(await again.callTool({ name: 'echo', arguments: { text: 'x' } })), 'x');
    await again.close();
    const bad = await rawRequest(http.mcpUrl, {
      method: 'POST',
      headers: { authorization: 'Bearer tmcp_at_bogus', 'content-type': 'application/json' },
      body: '{}',
    });
    assert.equal(bad.status, 401);
  });
});

test('MCP_REDIRECT_URIS: only the pinned URIs get a code; loopback on another port does not', async () => {
  const pinned = 'http://127.0.0.1:8765/cb';
  await withOAuthServer(
    async (http) => {
      const { challenge } = pkce();
      const ok = await followAuthorize(authorizeUrl(http.url, challenge, { redirect_uri: pinned }));
      assert.ok(ok.get('code'));
      for (const bad of [REDIRECT_URI, 'https://claude.ai/api/mcp/auth_callback']) {
        const res = await fetch(authorizeUrl(http.url, challenge, { redirect_uri: bad }), {
          redirect: 'manual',
        });
        assert.equal(res.status, 400, bad);
        assert.equal(res.headers.get('location'), null, bad);
        assert.match(await res.text(), /one of MCP_REDIRECT_URIS: http:\/\/127\.0\.0\.1:8765\/cb/);
      }
    },
    { auth: { oauth: { client: STATIC_CLIENT, redirectUris: [pinned] } } },
  );
});

test('rotating the client secret revokes every token issued under the old one', async () => {
  await withTempDir(async (dir) => {
    const statePath = join(dir, 'oauth-state.json');
    const publicUrl = 'http://localhost:8752';
    let tokens: { access_token: string; refresh_token: string } | undefined;
    await withOAuthServer(
      async (first) => {
        tokens = await rawTokens(localUrl(first));
      },
      { statePath, publicUrl },
    );
    assert.ok(tokens);
    const state = await readFile(statePath, 'utf8');
    assert.ok(!state.includes(STATIC_CLIENT.clientSecret), 'the secret itself is never stored');
    assert.match(state, /"secretFp": "[0-9a-f]{32}"/);
    const rotated = { ...STATIC_CLIENT, clientSecret: 'rotated-secret-0123456789abcdef' };
    await withOAuthServer(
      async (second) => {
        const init = await postInitialize(`${localUrl(second)}/mcp`, tokens?.access_token);
        assert.equal(init.status, 401, 'the old access token is refused');
        const r = await postToken(
          localUrl(second),
          { grant_type: 'refresh_token', refresh_token: tokens?.refresh_token ?? '' },
          basicAuth(rotated.clientId, rotated.clientSecret),
        );
        assert.equal(r.status, 400);
        assert.equal(r.body.error, 'invalid_grant', 'the old refresh token is refused');
        // New tokens under the new secret work.
        const fresh = await rawTokensFor(localUrl(second), rotated.clientSecret);
        assert.equal(
          (await postInitialize(`${localUrl(second)}/mcp`, fresh.access_token)).status,
          200,
        );
      },
      { statePath, publicUrl, auth: { oauth: { client: rotated, statePath } } },
    );
  });
});

/** Authorize + code exchange with `secret` as the client secret. */
async function rawTokensFor(base: string, secret: string) {
  const { verifier, challenge } = pkce();
  const code = (await followAuthorize(authorizeUrl(base, challenge))).get('code') ?? '';
  const res = await postToken(
    base,
    { grant_type: 'authorization_code', code, code_verifier: verifier, redirect_uri: REDIRECT_URI },
    basicAuth(STATIC_CLIENT.clientId, secret),
  );
  assert.equal(res.status, 200, JSON.stringify(res.body));
  return res.body as { access_token: string };
}
