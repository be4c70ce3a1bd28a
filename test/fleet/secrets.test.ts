import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { TokenManager } from '../../src/fleet/auth.js';
import { FleetClient } from '../../src/fleet/client.js';
import { TokenStore } from '../../src/fleet/token-store.js';
import { AUTH, fakeFleet, fakeJwt, NA, tempDir, VIN } from '../helpers/fleet-mock.js';

const ACCESS = fakeJwt({ aud: [NA], exp: 1 }, 'secret-access');
const REFRESH = 'refresh-token-secret-9f8e7d';
const CLIENT_SECRET = 'client-secret-value-1a2b3c';
const PARTNER = 'partner-token-secret-4d5e6f';
const SECRETS = [ACCESS, REFRESH, CLIENT_SECRET, PARTNER, 'secret-access'];

test('no token or secret appears in any error message, error property or log line', async () => {
  const { dir, cleanup } = await tempDir();
  const logs: string[] = [];
  const origError = console.error;
  const origLog = console.log;
  const origWarn = console.warn;
  console.error = (...a: unknown[]) => void logs.push(a.map(String).join(' '));
  console.log = console.error;
  console.warn = console.error;
  try {
    const store = new TokenStore(join(dir, 'tokens.json'));
    await store.write({ access_token: ACCESS, refresh_token: REFRESH, expires_at: 1 });
    const statuses = [400, 401, 402, 403, 404, 408, 412, 421, 422, 423, 429, 451, 500, 503, 540];
    const errors: unknown[] = [];
    for (const status of statuses) {
      const { agent } = fakeFleet((r) => {
        if (r.origin === AUTH) {
          const f = new URLSearchParams(r.body ?? '');
          // The token endpoint echoes what it got, as a hostile or buggy server might.
          return f.get('grant_type') === 'client_credentials'
            ? { status: 200, body: { access_token: PARTNER, expires_in: 10 } }
            : {
                status: status === 500 ? 500 : 400,
                body: {
                  error: `invalid_grant ${f.get('refresh_token')}`,
                  error_description: `bad ${f.get('refresh_token')} ${f.get('client_secret')}`,
                },
              };
        }
        return {
          status,
          body: {
            error: `echo ${r.headers.authorization?.slice(7)}`,
            error_description: `raw ${r.headers.authorization?.slice(7)}`,
          },
          headers: { 'retry-after': '5' },
        };
      });
      const tokens = new TokenManager({
        store,
        clientId: 'cid',
        clientSecret: CLIENT_SECRET,
        dispatcher: agent,
      });
      const c = new FleetClient({ tokens, dispatcher: agent });
      for (const call of [
        () => c.vehicle(VIN),
        () => c.partner.publicKey('example.com'),
        () => c.restCommand(VIN, 'x', {}),
      ]) {
        try {
          await call();
        } catch (e) {
          errors.push(e);
        }
      }
      const fixed = new FleetClient({
        tokens: new TokenManager({ fixedToken: ACCESS }),
        dispatcher: agent,
      });
      try {
        await fixed.vehicle(VIN);
      } catch (e) {
        errors.push(e);
      }
    }
    assert.ok(errors.length >= statuses.length * 2);
    const texts = errors.map((e) => {
      const o = e as Record<string, unknown>;
      return `${String((e as Error).message)} ${JSON.stringify({ ...o })} ${String((e as Error).stack)}`;
    });
    for (const t of [...texts, ...logs]) {
      for (const s of SECRETS)
        assert.ok(!t.includes(s), `a secret leaked into: ${t.slice(0, 200)}`);
    }
  } finally {
    console.error = origError;
    console.log = origLog;
    console.warn = origWarn;
    await cleanup();
  }
});
