import assert from 'node:assert/strict';
import { chmodSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { run as doctor } from '../../src/cli/doctor.js';
import { run as keygen } from '../../src/cli/keygen.js';
import { run as pair, pairingLink } from '../../src/cli/pair.js';
import { run as register } from '../../src/cli/register.js';
import { PrivateKey, PublicKey } from '../../src/signing/index.js';
import { captureOutput } from '../helpers/cli-output.js';
import {
  ALL_SCOPES,
  AUTH,
  EU,
  fakeFleet,
  fakeJwt,
  NA,
  type Reply,
  type SeenRequest,
  splitPath,
  tempDir,
  VIN,
  VIN2,
} from '../helpers/fleet-mock.js';

const SITE = 'https://example.com';
const KEY_PATH = '/.well-known/appspecific/com.tesla.3p.public-key.pem';
const USER = fakeJwt({ aud: [NA], ou_code: 'NA', scp: ALL_SCOPES }, 'doctor');

async function withKey() {
  const t = await tempDir();
  const cap = captureOutput();
  assert.equal(
    await keygen(['--domain', 'example.com'], { ...cap.io, env: { TESLA_MCP_CONFIG_DIR: t.dir } }),
    0,
    cap.text(),
  );
  const pem = readFileSync(join(t.dir, 'public-key.pem'), 'utf8');
  return { ...t, pem, pub: PublicKey.fromPem(pem), printed: cap.text() };
}

test('keygen writes a 0600 private key and the public key, prints the hosting URL and fingerprint', async () => {
  const k = await withKey();
  try {
    const priv = join(k.dir, 'private-key.pem');
    assert.equal(statSync(priv).mode & 0o777, 0o600);
    const key = PrivateKey.fromPem(readFileSync(priv, 'utf8'));
    assert.ok(key.public.equals(k.pub));
    assert.match(k.printed, new RegExp(`https://example\\.com${KEY_PATH.replace(/\./g, '\\.')}`));
    assert.ok(k.printed.includes(k.pub.fingerprint()));
    assert.ok(!k.printed.includes('PRIVATE KEY'), 'the private key is never printed');
    const cap = captureOutput();
    assert.equal(
      await keygen([], { ...cap.io, env: { TESLA_MCP_CONFIG_DIR: k.dir } }),
      1,
      'an existing key is kept',
    );
    assert.match(cap.text(), /--force/);
    assert.ok(PrivateKey.fromPem(readFileSync(priv, 'utf8')).public.equals(k.pub));
  } finally {
    await k.cleanup();
  }
});

test('pair prints the _ak link with the VIN', async () => {
  assert.equal(
    pairingLink('Example.com', VIN.toLowerCase()),
    `https://tesla.com/_ak/example.com?vin=${VIN}`,
  );
  const cap = captureOutput();
  const { dir, cleanup } = await tempDir();
  const env = { TESLA_DOMAIN: 'example.com', TESLA_MCP_CONFIG_DIR: dir };
  assert.equal(await pair(['--vin', VIN], { ...cap.io, env }), 0);
  assert.match(cap.text(), new RegExp(`https://tesla\\.com/_ak/example\\.com\\?vin=${VIN}`));
  // --vin is remembered in CONFIG/config.json (0600); TESLA_DOMAIN from the environment is not.
  const saved = join(dir, 'config.json');
  assert.deepEqual(JSON.parse(readFileSync(saved, 'utf8')), { vin: VIN });
  assert.equal(statSync(saved).mode & 0o777, 0o600);
  const again = captureOutput();
  assert.equal(await pair([], { ...again.io, env }), 0);
  assert.match(again.text(), new RegExp(`\\?vin=${VIN}`), 'the remembered VIN is used');
  const other = captureOutput();
  assert.equal(await pair([], { ...other.io, env: { ...env, TESLA_VIN: VIN2 } }), 0);
  assert.match(other.text(), new RegExp(`\\?vin=${VIN2}`), 'environment wins over the file');
  await cleanup();
  const bad = captureOutput();
  assert.equal(
    await pair([], { ...bad.io, env: { TESLA_MCP_CONFIG_DIR: '/nonexistent/tesla-mcp' } }),
    2,
  );
  assert.match(bad.text(), /TESLA_DOMAIN/);
});

function healthyTesla(
  pem: string,
  pub: PublicKey,
  extra: (r: SeenRequest) => Reply | undefined = () => undefined,
) {
  return fakeFleet(
    (r) => {
      const hit = extra(r);
      if (hit) return hit;
      const { path } = splitPath(r.path);
      if (r.origin === SITE)
        return path === KEY_PATH
          ? { status: 200, body: pem, headers: { 'cache-control': 'no-cache' } }
          : { status: 404 };
      if (r.origin === AUTH)
        return { status: 200, body: { access_token: 'partner-token-abcdef', expires_in: 3600 } };
      if (path === '/api/1/partner_accounts')
        return { status: 200, body: { response: { domain: 'example.com' } } };
      if (path === '/api/1/partner_accounts/public_key')
        return { status: 200, body: { response: { public_key: pub.toHex() } } };
      if (path === '/api/1/vehicles')
        return {
          status: 200,
          body: {
            response: [
              { vin: VIN, state: 'asleep' },
              { vin: VIN2, state: 'online' },
            ],
          },
        };
      if (path === '/api/1/users/region')
        return { status: 200, body: { response: { region: 'na', fleet_api_base_url: NA } } };
      if (path === '/api/1/vehicles/fleet_status') {
        return {
          status: 200,
          body: {
            response: {
              key_paired_vins: [VIN],
              unpaired_vins: [VIN2],
              vehicle_info: { [VIN]: { vehicle_command_protocol_required: true } },
            },
          },
        };
      }
      return { status: 404, body: { error: 'not_found' } };
    },
    [SITE, NA, EU, AUTH],
  );
}

test('register: checks the hosted key, then registers in na and eu with a partner token', async () => {
  const k = await withKey();
  try {
    const { agent, seen } = healthyTesla(k.pem, k.pub);
    const env = {
      TESLA_MCP_CONFIG_DIR: k.dir,
      TESLA_CLIENT_ID: 'cid',
      TESLA_CLIENT_SECRET: 'client-secret-123',
    };
    const cap = captureOutput();
    assert.equal(
      await register(['--domain', 'example.com', '--region', 'na,eu,cn'], {
        ...cap.io,
        env,
        dispatcher: agent,
      }),
      0,
      cap.text(),
    );
    const regs = seen.filter((s) => s.method === 'POST' && s.path === '/api/1/partner_accounts');
    assert.deepEqual(
      regs.map((s) => s.origin),
      [NA, EU],
    );
    assert.ok(regs.every((s) => s.headers.authorization === 'Bearer partner-token-abcdef'));
    assert.deepEqual(JSON.parse(regs[0]?.body ?? ''), { domain: 'example.com' });
    assert.match(cap.text(), /developer\.tesla\.cn/);
    assert.match(cap.text(), /na: registered example\.com; Tesla holds our public key/);
    assert.ok(
      !cap.text().includes('partner-token-abcdef') && !cap.text().includes('client-secret-123'),
    );
  } finally {
    await k.cleanup();
  }
});

test('register refuses a bad domain, and a hosted key that is not ours, before registering', async () => {
  const k = await withKey();
  try {
    const other = PrivateKey.generate().public;
    const { agent, seen } = healthyTesla(other.toPem(), other);
    const env = {
      TESLA_MCP_CONFIG_DIR: k.dir,
      TESLA_CLIENT_ID: 'cid',
      TESLA_CLIENT_SECRET: 's-123456789',
    };
    const bad = captureOutput();
    assert.equal(
      await register(['--domain', 'https://example.com/'], { ...bad.io, env, dispatcher: agent }),
      2,
    );
    assert.match(bad.text(), /bare domain/);
    const cap = captureOutput();
    assert.equal(
      await register(['--domain', 'example.com'], { ...cap.io, env, dispatcher: agent }),
      1,
    );
    assert.match(cap.text(), /is not ours/);
    assert.equal(seen.filter((s) => s.path.startsWith('/api/1/partner_accounts')).length, 0);
  } finally {
    await k.cleanup();
  }
});

test('doctor on a broken setup: FAIL lines with next steps, exit 1', async () => {
  const t = await tempDir();
  try {
    const { agent } = fakeFleet(() => ({ status: 500 }), [SITE, NA, EU, AUTH]);
    const cap = captureOutput();
    assert.equal(
      await doctor([], { ...cap.io, env: { TESLA_MCP_CONFIG_DIR: t.dir }, dispatcher: agent }),
      1,
    );
    const text = cap.text();
    assert.match(text, /FAIL {2}command key: no key at .*: run `tesla-mcp keygen`/);
    assert.match(text, /FAIL {2}domain: TESLA_DOMAIN is not set/);
    assert.match(text, /FAIL {2}app credentials/);
    assert.match(text, /FAIL {2}Tesla token: not logged in: run `tesla-mcp login`/);
    assert.match(text, /check\(s\) failed/);
  } finally {
    await t.cleanup();
  }
});

test('doctor flags a world-readable key, a caching header and an unpaired vehicle', async () => {
  const k = await withKey();
  try {
    chmodSync(join(k.dir, 'private-key.pem'), 0o644);
    const { agent } = healthyTesla(k.pem, k.pub, (r) =>
      r.origin === SITE
        ? {
            status: 200,
            body: k.pem,
            headers: { 'cache-control': 'public, max-age=31536000, immutable' },
          }
        : undefined,
    );
    const env = {
      TESLA_MCP_CONFIG_DIR: k.dir,
      TESLA_DOMAIN: 'example.com',
      TESLA_CLIENT_ID: 'cid',
      TESLA_CLIENT_SECRET: 'client-secret-123',
      TESLA_ACCESS_TOKEN: USER,
    };
    const cap = captureOutput();
    assert.equal(await doctor([], { ...cap.io, env, dispatcher: agent }), 1);
    const text = cap.text();
    assert.match(text, /FAIL {2}command key: .*readable by others/);
    assert.match(text, /WARN {2}hosted public key: served with Cache-Control/);
    assert.match(text, new RegExp(`PASS  vehicle ${VIN}: key paired; requires signed commands`));
    assert.match(
      text,
      new RegExp(`FAIL  vehicle ${VIN2}: key not paired: run \`tesla-mcp pair --vin ${VIN2}\``),
    );
  } finally {
    await k.cleanup();
  }
});

test('doctor on a healthy setup: every line passes, exit 0, no secret printed', async () => {
  const k = await withKey();
  try {
    const { agent } = healthyTesla(k.pem, k.pub, (r) =>
      splitPath(r.path).path === '/api/1/vehicles' && r.origin === NA
        ? { status: 200, body: { response: [{ vin: VIN, state: 'asleep' }] } }
        : undefined,
    );
    const env = {
      TESLA_MCP_CONFIG_DIR: k.dir,
      TESLA_DOMAIN: 'example.com',
      TESLA_CLIENT_ID: 'cid',
      TESLA_CLIENT_SECRET: 'client-secret-123',
      TESLA_ACCESS_TOKEN: USER,
    };
    const cap = captureOutput();
    const code = await doctor([], { ...cap.io, env, dispatcher: agent });
    const text = cap.text();
    assert.equal(code, 0, text);
    assert.doesNotMatch(text, /^(FAIL|WARN)/m);
    for (const name of [
      'settings',
      'command key',
      'hosted public key',
      'app credentials',
      'partner registration',
      'Tesla token',
      'scopes',
      'region',
      `vehicle ${VIN}`,
    ]) {
      assert.match(text, new RegExp(`^PASS  ${name}:`, 'm'), name);
    }
    assert.match(text, /All checks passed/);
    for (const secret of [USER, 'client-secret-123', 'partner-token-abcdef'])
      assert.ok(!text.includes(secret));
  } finally {
    await k.cleanup();
  }
});
