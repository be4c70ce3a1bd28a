/**
 * The OAuth server's state shared through a real redis-server (test/helpers/redis-server.ts):
 * two MCP HTTP instances behind one public URL, each on its own Redis connection, as two
 * processes behind a load balancer would be. A token from one works on the other, codes and
 * refresh tokens are single-use across both, a replay on either revokes the grant on both, the
 * guess limit is one limit, and Redis holds no token, code or grant in plaintext.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { SharedGuessLimiter } from '../../../src/mcp/auth/guess-limit.js';
import { SharedOAuthState } from '../../../src/mcp/auth/shared-state.js';
import { type HttpServerHandle, startHttpServer } from '../../../src/mcp/http.js';
import { createClient } from '../../../src/vehicle/redis-client.js';
import { RedisStateStore } from '../../../src/vehicle/redis-store.js';
import { type RedisServer, redisSkip, startRedis } from '../../helpers/redis-server.js';
import {
  authorizeUrl,
  basicAuth,
  createTestServer,
  followAuthorize,
  localUrl,
  pkce,
  postInitialize,
  postToken,
  REDIRECT_URI,
  rawTokens,
  STATIC_CLIENT,
} from './helpers.js';

const PUBLIC_URL = 'http://localhost:8752';

describe('OAuth state shared through Redis', { skip: redisSkip() }, () => {
  let redis: RedisServer;
  const stores: RedisStateStore[] = [];
  const servers: HttpServerHandle[] = [];
  const stateKey = randomBytes(32);
  before(async () => {
    redis = await startRedis();
  });
  after(async () => {
    for (const h of servers) await h.close();
    for (const s of stores) await s.close();
    await redis?.stop();
  });

  /** One MCP HTTP instance on its own connection to `url`, in namespace `fp`. */
  const instance = async (
    fp: string,
    o: { url?: string; key?: Uint8Array; warn?: (m: string) => void } = {},
  ) => {
    const store = await RedisStateStore.connect({ url: o.url ?? redis.url, keyFingerprint: fp });
    stores.push(store);
    const http = await startHttpServer({
      createMcpServer: createTestServer,
      auth: {
        oauth: {
          client: STATIC_CLIENT,
          state: new SharedOAuthState({
            records: store.records('oauth'),
            key: o.key ?? stateKey,
            ...(o.warn ? { warn: o.warn } : {}),
          }),
        },
      },
      guesses: new SharedGuessLimiter({
        store: { events: store.events('guesses'), records: store.records('guesses') },
      }),
      port: 0,
      publicUrl: PUBLIC_URL,
    });
    servers.push(http);
    return localUrl(http);
  };
  const pair = async (fp: string) => [await instance(fp), await instance(fp)] as const;
  const initStatus = async (base: string, token: unknown) =>
    (await postInitialize(`${base}/mcp`, String(token))).status;

  test('a token issued by one instance is accepted by the other, and refreshed there', async () => {
    const [a, b] = await pair('oauth-grants');
    const t = await rawTokens(a);
    assert.equal(await initStatus(b, t.access_token), 200);
    assert.equal(await initStatus(a, t.access_token), 200);
    const r = await postToken(b, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
    assert.equal(r.status, 200);
    assert.equal(await initStatus(a, r.body.access_token), 200);
    // A code from A's /authorize is redeemed at B.
    const { verifier, challenge } = pkce();
    const code = (await followAuthorize(authorizeUrl(a, challenge))).get('code') ?? '';
    const form = { grant_type: 'authorization_code', code, code_verifier: verifier };
    const viaB = await postToken(b, { ...form, redirect_uri: REDIRECT_URI });
    assert.equal(viaB.status, 200);
    assert.equal(await initStatus(a, viaB.body.access_token), 200);
    assert.equal(await initStatus(b, 'tmcp_at_unknown'), 401);
  });

  test('a refresh token exchanged on one instance and replayed on the other revokes the grant', async () => {
    const [a, b] = await pair('oauth-replay');
    const t1 = await rawTokens(a);
    const r2 = await postToken(a, { grant_type: 'refresh_token', refresh_token: t1.refresh_token });
    assert.equal(r2.status, 200);
    assert.equal(await initStatus(b, r2.body.access_token), 200);
    const replay = await postToken(b, {
      grant_type: 'refresh_token',
      refresh_token: t1.refresh_token,
    });
    assert.equal(replay.status, 400);
    assert.equal(replay.body.error, 'invalid_grant');
    assert.match(String(replay.body.error_description), /already used/);
    for (const base of [a, b]) assert.equal(await initStatus(base, r2.body.access_token), 401);
    const r3 = await postToken(a, {
      grant_type: 'refresh_token',
      refresh_token: String(r2.body.refresh_token),
    });
    assert.equal(r3.body.error, 'invalid_grant', 'the rotated refresh token is revoked too');
  });

  test('a code or refresh token redeemed on both at once: exactly one succeeds', async () => {
    const [a, b] = await pair('oauth-race');
    for (let i = 0; i < 10; i++) {
      const { verifier, challenge } = pkce();
      const code = (await followAuthorize(authorizeUrl(a, challenge))).get('code') ?? '';
      const form = {
        grant_type: 'authorization_code',
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT_URI,
      };
      const both = await Promise.all([postToken(a, form), postToken(b, form)]);
      const won = both.filter((r) => r.status === 200);
      const lost = both.filter((r) => r.status !== 200);
      assert.equal(won.length, 1, `round ${i}: one success`);
      assert.equal(lost[0]?.status, 400);
      assert.equal(lost[0]?.body.error, 'invalid_grant');
      // The second redemption is a replay: what the code issued is revoked on both instances.
      assert.equal(await initStatus(b, won[0]?.body.access_token), 401);
    }
    for (let i = 0; i < 10; i++) {
      const t = await rawTokens(b);
      const form = { grant_type: 'refresh_token', refresh_token: t.refresh_token };
      const both = await Promise.all([postToken(a, form), postToken(b, form)]);
      assert.deepEqual(
        both.map((r) => r.status).sort(),
        [200, 400],
        `round ${i}: one refresh succeeds`,
      );
      assert.equal(both.find((r) => r.status === 400)?.body.error, 'invalid_grant');
    }
  });

  test('the limit on guessing the client secret holds across instances', async () => {
    const [a, b] = await pair('oauth-guess');
    const wrong = basicAuth(STATIC_CLIENT.clientId, 'wrong-secret-0123456789');
    const guess = (base: string, auth = wrong) =>
      postToken(base, { grant_type: 'refresh_token', refresh_token: 'tmcp_rt_x' }, auth);
    for (let i = 0; i < 10; i++) {
      const r = await guess(i % 2 === 0 ? a : b);
      assert.equal(r.status, 401, `guess ${i + 1} is compared`);
    }
    for (const base of [a, b]) {
      const r = await guess(base);
      assert.equal(r.status, 429, 'ten guesses in all: both instances refuse');
      assert.ok(Number(r.headers.get('retry-after')) >= 60);
    }
    // Blocked means not compared: even the right secret waits.
    assert.equal((await guess(b, basicAuth())).status, 429);
  });

  test('the shared limiter keeps the in-process limiter’s window and block', async () => {
    const store = await RedisStateStore.connect({ url: redis.url, keyFingerprint: 'guess-unit' });
    stores.push(store);
    let t = 1_000_000;
    const g = new SharedGuessLimiter({
      store: { events: store.events('guesses'), records: store.records('guesses') },
      now: () => t,
    });
    for (let i = 0; i < 9; i++) {
      await g.fail('a');
      t += 20_000;
    }
    assert.equal(await g.retryAfter('a'), undefined, 'nine failures: not blocked');
    await g.fail('a');
    const wait = await g.retryAfter('a');
    assert.ok(wait !== undefined && wait >= 60, `blocked, Retry-After ${wait}`);
    assert.equal(await g.retryAfter('b'), undefined, 'another peer is not affected');
    t += (wait ?? 0) * 1000;
    assert.equal(await g.retryAfter('a'), undefined, 'unblocked after Retry-After');
    await g.fail('a');
    assert.ok(((await g.retryAfter('a')) ?? 0) >= 60, 'nine recent failures plus one block');
    for (let i = 0; i < 30; i++) {
      await g.fail('c');
      t += 34_000;
    }
    assert.equal(await g.retryAfter('c'), undefined, 'failures wider than the window never block');
  });

  test('Redis holds hashes and sealed records only: no token, code, secret or grant', async () => {
    const [a, b] = await pair('oauth-scan');
    const t = await rawTokens(a);
    const r = await postToken(b, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
    const { challenge } = pkce();
    const pending = (await followAuthorize(authorizeUrl(b, challenge))).get('code') ?? '';
    await postToken(a, { grant_type: 'refresh_token', refresh_token: 'x' }, basicAuth('x', 'y'));
    const secrets = [
      t.access_token,
      t.refresh_token,
      String(r.body.access_token),
      String(r.body.refresh_token),
      pending,
      challenge,
      STATIC_CLIENT.clientId,
      STATIC_CLIENT.clientSecret,
      PUBLIC_URL,
      'familyId',
      '127.0.0.1',
    ];
    const raw = createClient({ url: redis.url });
    await raw.connect();
    try {
      const keys = (await raw.sendCommand(['KEYS', 'tesla-mcp:oauth-scan:*'])) as string[];
      const names = keys.map((k) => k.replace(/^tesla-mcp:oauth-scan:/, '')).sort();
      assert.ok(names.some((n) => n.startsWith('oauth:access:')));
      assert.ok(names.some((n) => n.startsWith('oauth:used:')));
      assert.ok(names.some((n) => n.startsWith('oauth:code:')));
      assert.ok(names.some((n) => n.startsWith('guesses:failures:')));
      for (const name of names) {
        assert.match(
          name,
          /^(oauth:(access|refresh|used|code|code-used|revoked)|guesses:(failures|blocked)):[0-9a-f]{64}$/,
        );
      }
      for (const key of keys) {
        const type = String(await raw.sendCommand(['TYPE', key]));
        const value =
          type === 'string'
            ? String(await raw.sendCommand(['GET', key]))
            : JSON.stringify(await raw.sendCommand(['ZRANGE', key, '0', '-1', 'WITHSCORES']));
        if (key.includes(':oauth:')) assert.match(value, /^v1\.[A-Za-z0-9+/=]+$/, key);
        for (const s of secrets) assert.ok(!value.includes(s), `${key} holds ${s.slice(0, 12)}…`);
      }
      for (const k of keys) {
        const ttl = Number(await raw.sendCommand(['PTTL', k]));
        assert.ok(ttl > 0, `${k} expires`);
      }
    } finally {
      await raw.close();
    }
  });

  test('a grant sealed under another state key is refused, and the operator is told why', async () => {
    const warnings: string[] = [];
    const a = await instance('oauth-keys');
    const b = await instance('oauth-keys', { key: randomBytes(32), warn: (m) => warnings.push(m) });
    const t = await rawTokens(a);
    assert.equal(await initStatus(b, t.access_token), 401);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0] ?? '', /TESLA_MCP_STATE_KEY/);
    assert.ok(!warnings[0]?.includes(t.access_token));
  });

  test('Redis lost mid-run: the OAuth endpoints answer 503, retryable, and decide nothing', async () => {
    const own = await startRedis();
    const a = await instance('oauth-lost', { url: own.url });
    const t = await rawTokens(a);
    await own.stop();
    const r = await postToken(a, { grant_type: 'refresh_token', refresh_token: t.refresh_token });
    assert.equal(r.status, 503);
    assert.equal(r.body.error, 'temporarily_unavailable');
    assert.match(String(r.body.error_description), /retry once it is reachable/);
    assert.equal(r.headers.get('retry-after'), '1');
    const init = await postInitialize(`${a}/mcp`, t.access_token);
    assert.equal(init.status, 503);
    assert.ok(!init.body.includes(t.access_token));
  });
});
