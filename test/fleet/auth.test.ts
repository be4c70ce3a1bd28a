import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Dispatcher } from 'undici';
import { TokenManager } from '../../src/fleet/auth.js';
import { FleetClient } from '../../src/fleet/client.js';
import {
  FleetApiError,
  LoginRequiredError,
  NotLoggedInError,
  ScopeError,
} from '../../src/fleet/errors.js';
import { TokenStore } from '../../src/fleet/token-store.js';
import {
  ALL_SCOPES,
  AUTH,
  fakeFleet,
  fakeJwt,
  NA,
  type SeenRequest,
  tempDir,
  VIN,
} from '../helpers/fleet-mock.js';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const nowS = NOW / 1000;

function jwt(tag: string, scp: string[] = ALL_SCOPES, exp = nowS + 8 * 3600) {
  return fakeJwt({ aud: [NA], ou_code: 'NA', scp, exp }, tag);
}

interface Env {
  dir: string;
  store: TokenStore;
  cleanup: () => Promise<void>;
}

async function withStore(initial?: {
  access: string;
  refresh: string;
  expiresAt: number;
}): Promise<Env> {
  const { dir, cleanup } = await tempDir();
  const store = new TokenStore(join(dir, 'tokens.json'));
  if (initial) {
    await store.write({
      access_token: initial.access,
      refresh_token: initial.refresh,
      expires_at: initial.expiresAt,
    });
  }
  return { dir, store, cleanup };
}

/** A fake token endpoint that rotates refresh tokens (each single-use) and an API that checks tokens. */
function fakeTesla(store: TokenStore) {
  let generation = 0;
  let validRefresh = 'refresh-0-secret-value';
  let validAccess = 'none';
  const order: string[] = [];
  const { agent, seen } = fakeFleet((r: SeenRequest) => {
    if (r.origin === AUTH) {
      const form = new URLSearchParams(r.body ?? '');
      if (
        form.get('grant_type') !== 'refresh_token' ||
        form.get('refresh_token') !== validRefresh
      ) {
        return {
          status: 401,
          body: { error: 'login_required', error_description: 'The refresh_token is invalid' },
        };
      }
      generation++;
      validRefresh = `refresh-${generation}-secret-value`;
      validAccess = jwt(`access-${generation}`);
      order.push('refresh');
      return {
        status: 200,
        body: {
          access_token: validAccess,
          refresh_token: validRefresh,
          expires_in: 28800,
          token_type: 'Bearer',
        },
      };
    }
    const auth = r.headers.authorization ?? '';
    if (auth !== `Bearer ${validAccess}`) return { status: 401, body: { error: 'invalid_token' } };
    // The rotated refresh token must already be on disk when the new access token is used.
    const onDisk = JSON.parse(readFileSync(store.path, 'utf8')) as { refresh_token: string };
    order.push(onDisk.refresh_token === validRefresh ? 'api-after-save' : 'api-before-save');
    return { status: 200, body: { response: { vin: VIN, state: 'online' } } };
  });
  return {
    agent,
    seen,
    order,
    get refresh() {
      return validRefresh;
    },
    get generation() {
      return generation;
    },
    expireAccess() {
      validAccess = 'revoked';
    },
  };
}

function manager(store: TokenStore, agent: Dispatcher, extra = {}) {
  return new TokenManager({
    store,
    clientId: 'client-id',
    dispatcher: agent,
    now: () => NOW,
    ...extra,
  });
}

test('50 concurrent calls with an expired token cause exactly one refresh, saved before use', async () => {
  const env = await withStore({
    access: jwt('old', ALL_SCOPES, nowS - 10),
    refresh: 'refresh-0-secret-value',
    expiresAt: nowS - 10,
  });
  try {
    const tesla = fakeTesla(env.store);
    const tokens = manager(env.store, tesla.agent);
    const client = new FleetClient({ tokens, dispatcher: tesla.agent });
    const results = await Promise.all(Array.from({ length: 50 }, () => client.vehicle(VIN)));
    assert.equal(results.length, 50);
    assert.ok(results.every((r) => r.state === 'online'));
    assert.equal(tesla.generation, 1, 'one refresh grant');
    assert.equal(tokens.refreshCount, 1);
    assert.equal(tesla.seen.filter((s) => s.origin === AUTH).length, 1);
    assert.equal(tesla.order[0], 'refresh');
    assert.ok(tesla.order.slice(1).every((o) => o === 'api-after-save'));
    const file = JSON.parse(readFileSync(env.store.path, 'utf8')) as Record<string, unknown>;
    assert.equal(file.refresh_token, tesla.refresh);
    assert.equal(statSync(env.store.path).mode & 0o777, 0o600);
  } finally {
    await env.cleanup();
  }
});

test('a 401 triggers one refresh and one retry; 50 concurrent 401s still refresh once', async () => {
  const env = await withStore({
    access: jwt('current'),
    refresh: 'refresh-0-secret-value',
    expiresAt: nowS + 3600,
  });
  try {
    const tesla = fakeTesla(env.store);
    const tokens = manager(env.store, tesla.agent);
    const client = new FleetClient({ tokens, dispatcher: tesla.agent });
    // The server does not accept 'current' (revoked before expiry): every call gets a 401 first.
    const all = await Promise.all(Array.from({ length: 50 }, () => client.vehicle(VIN)));
    assert.equal(all.length, 50);
    assert.equal(tesla.generation, 1);
    const apiCalls = tesla.seen.filter((s) => s.origin === NA);
    assert.equal(apiCalls.length, 100, 'each call: one 401, one retry');
  } finally {
    await env.cleanup();
  }
});

test('a second 401 after the refresh is returned, not looped on', async () => {
  const env = await withStore({
    access: jwt('x'),
    refresh: 'refresh-0-secret-value',
    expiresAt: nowS + 3600,
  });
  try {
    const { agent, seen } = fakeFleet((r) =>
      r.origin === AUTH
        ? {
            status: 200,
            body: {
              access_token: jwt('y'),
              refresh_token: 'refresh-1-secret-value',
              expires_in: 100,
            },
          }
        : { status: 401, body: { error: 'invalid_token' } },
    );
    const client = new FleetClient({ tokens: manager(env.store, agent), dispatcher: agent });
    await assert.rejects(
      client.vehicle(VIN),
      (e: unknown) => e instanceof FleetApiError && e.code === 'unauthorized',
    );
    assert.equal(seen.filter((s) => s.origin === NA).length, 2);
    assert.equal(seen.filter((s) => s.origin === AUTH).length, 1);
  } finally {
    await env.cleanup();
  }
});

test('a refused refresh token asks for login again with the exact command', async () => {
  const env = await withStore({
    access: jwt('old', ALL_SCOPES, nowS - 1),
    refresh: 'refresh-stale-secret',
    expiresAt: nowS - 1,
  });
  try {
    const tesla = fakeTesla(env.store);
    const client = new FleetClient({
      tokens: manager(env.store, tesla.agent),
      dispatcher: tesla.agent,
    });
    await assert.rejects(client.vehicle(VIN), (e: unknown) => {
      assert.ok(e instanceof LoginRequiredError);
      assert.match(e.message, /tesla-mcp login/);
      assert.ok(!e.message.includes('refresh-stale-secret'));
      return true;
    });
  } finally {
    await env.cleanup();
  }
});

test('nothing configured: "not logged in" before any request', async () => {
  const env = await withStore();
  try {
    const { agent, seen } = fakeFleet(() => ({ status: 200 }));
    const client = new FleetClient({ tokens: manager(env.store, agent), dispatcher: agent });
    await assert.rejects(
      client.vehicle(VIN),
      (e: unknown) => e instanceof NotLoggedInError && /tesla-mcp login/.test(e.message),
    );
    assert.equal(seen.length, 0);
  } finally {
    await env.cleanup();
  }
});

test('TESLA_REFRESH_TOKEN seeds the token file on first use', async () => {
  const env = await withStore();
  try {
    const tesla = fakeTesla(env.store);
    const tokens = manager(env.store, tesla.agent, { seedRefreshToken: 'refresh-0-secret-value' });
    const client = new FleetClient({ tokens, dispatcher: tesla.agent });
    assert.equal((await client.vehicle(VIN)).state, 'online');
    const file = await env.store.read();
    assert.equal(file?.refresh_token, 'refresh-1-secret-value');
  } finally {
    await env.cleanup();
  }
});

test('TESLA_ACCESS_TOKEN is used as is and never refreshed', async () => {
  const { agent, seen } = fakeFleet(() => ({ status: 401, body: { error: 'invalid_token' } }));
  const tokens = new TokenManager({
    fixedToken: 'fixed-token-value-123',
    clientId: 'c',
    dispatcher: agent,
  });
  const client = new FleetClient({ tokens, dispatcher: agent });
  await assert.rejects(
    client.vehicle(VIN),
    (e: unknown) => e instanceof FleetApiError && e.status === 401,
  );
  assert.equal(seen.length, 1);
  assert.equal(seen[0]?.headers.authorization, 'Bearer fixed-token-value-123');
  assert.equal(tokens.refreshCount, 0);
});

test('scope preflight fails before any billable call, naming the scope and how to re-consent', async () => {
  const { agent, seen } = fakeFleet(() => ({ status: 200, body: { response: {} } }));
  const tokens = new TokenManager({
    fixedToken: jwt('s', ['openid', 'vehicle_device_data']),
    clientId: 'my-client',
  });
  const client = new FleetClient({ tokens, dispatcher: agent });
  await assert.rejects(client.energy.liveStatus('123'), (e: unknown) => {
    assert.ok(e instanceof ScopeError);
    assert.deepEqual(e.scopes, ['energy_device_data']);
    assert.match(e.message, /energy_device_data/);
    assert.match(e.message, /tesla-mcp login/);
    assert.match(e.message, /revoke_client_id=my-client/);
    return true;
  });
  await assert.rejects(client.vehicles.data(VIN, { endpoints: ['location_data'] }), ScopeError);
  assert.equal(seen.length, 0);
  assert.equal(client.billingSummary().totals.data, 0);
  // Without the location scope the default selection leaves location_data out.
  await client.vehicles.data(VIN);
  assert.match(seen[0]?.path ?? '', /endpoints=charge_state%3Bclimate_state/);
  assert.doesNotMatch(seen[0]?.path ?? '', /location_data/);
});

test('default vehicle_data selection includes location_data when the scope is granted', async () => {
  const { agent, seen } = fakeFleet(() => ({ status: 200, body: { response: {} } }));
  const client = new FleetClient({
    tokens: new TokenManager({ fixedToken: jwt('s') }),
    dispatcher: agent,
  });
  await client.vehicles.data(VIN);
  assert.match(seen[0]?.path ?? '', /location_data/);
});

test('status() reports facts, never a token', async () => {
  const env = await withStore({
    access: jwt('a'),
    refresh: 'refresh-0-secret-value',
    expiresAt: nowS + 100,
  });
  try {
    const tokens = manager(env.store, fakeFleet(() => ({ status: 200 })).agent);
    const s = await tokens.status();
    const text = JSON.stringify(s);
    assert.equal(s.region, 'na');
    assert.equal(s.expired, false);
    assert.ok(!text.includes('refresh-0-secret-value'));
    assert.ok(!text.includes(jwt('a')));
  } finally {
    await env.cleanup();
  }
});

test('two processes sharing the token file spend the single-use refresh token once', async () => {
  const env = await withStore({
    access: jwt('old', ALL_SCOPES, nowS - 10),
    refresh: 'refresh-0-secret-value',
    expiresAt: nowS - 10,
  });
  try {
    const tesla = fakeTesla(env.store);
    // Two managers with their own memory, as two processes would have.
    const a = manager(new TokenStore(env.store.path), tesla.agent);
    const b = manager(new TokenStore(env.store.path), tesla.agent);
    const [ta, tb] = await Promise.all([a.accessToken(), b.accessToken()]);
    assert.equal(tesla.generation, 1, 'one refresh grant in total');
    assert.equal(ta, tb);
    assert.equal(a.refreshCount + b.refreshCount, 1);
  } finally {
    await env.cleanup();
  }
});

test('a stale lock left by a crashed process is broken', async () => {
  const env = await withStore();
  try {
    const { writeFileSync, utimesSync } = await import('node:fs');
    const lock = `${env.store.path}.lock`;
    writeFileSync(lock, '99999');
    const old = new Date(Date.now() - 120_000);
    utimesSync(lock, old, old);
    assert.equal(await env.store.withLock(async () => 'ran'), 'ran');
    writeFileSync(lock, '99999');
    await assert.rejects(
      env.store.withLock(async () => 'x', { timeoutMs: 60 }),
      /locked by another tesla-mcp process/,
    );
  } finally {
    await env.cleanup();
  }
});

test('a partner token is asked of Tesla for a Fleet host, of a loopback Fleet API itself (the simulator)', async () => {
  const LOCAL = 'http://127.0.0.1:8760';
  const { agent, seen } = fakeFleet(
    () => ({ status: 200, body: { access_token: 'partner-token-value', expires_in: 3600 } }),
    [NA, AUTH, LOCAL],
  );
  const tokens = new TokenManager({
    fixedToken: jwt('user'),
    clientId: 'app-id',
    clientSecret: 'app-secret-value',
    dispatcher: agent,
    now: () => NOW,
  });
  assert.equal(await tokens.partnerToken(LOCAL), 'partner-token-value');
  assert.equal(await tokens.partnerToken(NA), 'partner-token-value');
  assert.deepEqual(
    seen.map((r) => `${r.origin}${r.path}`),
    [`${LOCAL}/oauth2/v3/token`, `${AUTH}/oauth2/v3/token`],
  );
  const form = new URLSearchParams(seen[0]?.body ?? '');
  assert.equal(form.get('grant_type'), 'client_credentials');
  assert.equal(form.get('audience'), LOCAL);
});
