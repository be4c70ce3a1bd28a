/**
 * `tesla-mcp setup --yes` end to end against the fake Tesla authorization server and a fake
 * Fleet / partner API on loopback: every step runs once, a second run skips them all, missing
 * values exit 2 naming the flag without asking anything, and the static-site option writes the
 * exact file tree.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { run as setup } from '../../src/cli/setup.js';
import { PublicKey } from '../../src/signing/index.js';
import { KEY_PATH, startFakeFleet } from '../helpers/fake-fleet-server.js';
import { startFakeAuth } from '../helpers/fake-tesla-auth.js';
import { ALL_SCOPES, fakeJwt, NA, tempDir, VIN } from '../helpers/fleet-mock.js';

const ROOT = join(import.meta.dirname, '..', '..');
const USER = fakeJwt({ aud: [NA], ou_code: 'NA', scp: ALL_SCOPES }, 'setup-user');
const PARTNER = fakeJwt({ aud: [NA], scp: ['openid'] }, 'setup-partner');
const REFRESH = 'setup-refresh-token-value';
const SECRET = 'setup-client-secret-value';

const noPrompts = {
  text: () => Promise.reject(new Error('asked a question')),
  password: () => Promise.reject(new Error('asked a question')),
  select: () => Promise.reject(new Error('asked a question')),
  confirm: () => Promise.reject(new Error('asked a question')),
};

async function world() {
  const auth = await startFakeAuth({
    accessToken: USER,
    refreshToken: REFRESH,
    partnerToken: PARTNER,
    clientSecret: SECRET,
  });
  const fleet = await startFakeFleet({ partnerToken: PARTNER, userToken: USER, vins: [VIN] });
  const { dir, cleanup } = await tempDir();
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    env: { TESLA_MCP_CONFIG_DIR: dir, TESLA_CLIENT_SECRET: SECRET, TESLA_FLEET_API_URL: fleet.url },
    stdout: (t: string) => void out.push(t),
    stderr: (t: string) => void err.push(t),
    authorizeUrl: `${auth.url}/authorize`,
    tokenUrl: `${auth.url}/token`,
    hostedKeyUrl: `${fleet.url}${KEY_PATH}`,
    // The "browser": follows the authorize redirect back to the loopback callback.
    openBrowser: (url: string) => void fetch(url).then((r) => r.text()),
    prompter: noPrompts,
  };
  return {
    auth,
    fleet,
    dir,
    out,
    err,
    io,
    text: () => out.join(''),
    reset: () => {
      out.length = 0;
      err.length = 0;
    },
    close: async () => {
      await auth.close();
      await fleet.close();
      await cleanup();
    },
  };
}

const ARGS = ['--yes', '--client-id', 'my-app', '--domain', 'Example.com', '--port', '0'];

test('setup --yes: key, hosting check, register, login, pairing, doctor; a second run skips all', async () => {
  const w = await world();
  try {
    // Option (a): `serve --http` on the domain serves CONFIG/public-key.pem.
    w.fleet.hostKey = join(w.dir, 'public-key.pem');
    w.fleet.paired.add(VIN);
    const code = await setup([...ARGS, '--hosting', 'serve'], w.io);
    assert.equal(code, 0, `${w.text()}\n${w.err.join('')}`);
    const printed = w.text();
    for (let n = 1; n <= 7; n++) assert.match(printed, new RegExp(`\\[${n}/7\\]`));
    assert.match(printed, /Created the command key/);
    assert.match(printed, /serves our key/);
    assert.match(printed, /registered example\.com; Tesla holds our public key/);
    assert.match(printed, /Signed in\. Tokens saved/);
    assert.match(printed, new RegExp(`vehicle ${VIN}: key paired`));
    assert.match(printed, /All checks passed/);
    const ours = PublicKey.fromPem(readFileSync(join(w.dir, 'public-key.pem'), 'utf8'));
    assert.equal(w.fleet.registered.get('example.com'), ours.toHex());

    // Remembered settings (0600), never the secret.
    const cfgPath = join(w.dir, 'config.json');
    const cfg = readFileSync(cfgPath, 'utf8');
    assert.deepEqual(JSON.parse(cfg), {
      clientId: 'my-app',
      domain: 'example.com',
      region: 'na',
      vin: VIN,
    });
    assert.ok(!cfg.includes(SECRET));
    assert.equal(statSync(cfgPath).mode & 0o777, 0o600);
    assert.ok(!printed.includes(SECRET) && !printed.includes(USER) && !printed.includes(REFRESH));

    // Resumed with only the secret in the environment: the file supplies the rest; every step
    // reports what it found and nothing is created, registered or signed in again.
    w.reset();
    const posts = w.fleet.requests.filter((r) => r === 'POST /api/1/partner_accounts').length;
    const authorizes = w.auth.authorizeQueries.length;
    assert.equal(await setup(['--yes'], w.io), 0, w.err.join(''));
    const again = w.text();
    assert.match(again, /private-key\.pem exists \(fingerprint/);
    assert.match(again, /Tesla holds our key for example\.com/);
    assert.match(again, /✓ signed in/);
    assert.equal(
      w.fleet.requests.filter((r) => r === 'POST /api/1/partner_accounts').length,
      posts,
    );
    assert.equal(w.auth.authorizeQueries.length, authorizes, 'no second login');
  } finally {
    await w.close();
  }
});

test('setup --yes: missing values exit 2 naming the flags; nothing is asked or written', async () => {
  const w = await world();
  try {
    const code = await setup(['--yes'], { ...w.io, env: { TESLA_MCP_CONFIG_DIR: w.dir } });
    assert.equal(code, 2);
    const msg = w.err.join('');
    assert.match(msg, /--client-id \(or TESLA_CLIENT_ID\)/);
    assert.match(msg, /TESLA_CLIENT_SECRET/);
    assert.match(msg, /--domain \(or TESLA_DOMAIN\)/);
    assert.ok(!existsSync(join(w.dir, 'config.json')));
    assert.ok(!existsSync(join(w.dir, 'private-key.pem')));
  } finally {
    await w.close();
  }
});

test('setup --yes: unhosted key needs --hosting; static writes the site tree and stops', async () => {
  const w = await world();
  try {
    assert.equal(await setup(ARGS, w.io), 2);
    assert.match(w.err.join(''), /give --hosting serve\|static\|self/);

    w.reset();
    const site = join(w.dir, 'site');
    const code = await setup([...ARGS, '--hosting', 'static', '--static-dir', site], w.io);
    assert.equal(code, 1);
    const pem = readFileSync(
      join(site, '.well-known/appspecific/com.tesla.3p.public-key.pem'),
      'utf8',
    );
    assert.equal(pem, readFileSync(join(w.dir, 'public-key.pem'), 'utf8'));
    assert.equal(readFileSync(join(site, '.nojekyll'), 'utf8'), '');
    assert.equal(readFileSync(join(site, 'CNAME'), 'utf8'), 'example.com\n');
    assert.match(w.text(), /GitHub Pages/);
    assert.match(w.text(), /run `tesla-mcp setup --yes` again/);
    assert.equal(w.fleet.registered.size, 0, 'no registration before the key is hosted');

    // Once the site is published (the fake domain serves that file), setup goes on.
    w.reset();
    w.fleet.hostKey = join(site, '.well-known/appspecific/com.tesla.3p.public-key.pem');
    assert.equal(await setup(['--yes'], w.io), 1, 'the car is not paired yet: doctor fails');
    assert.match(w.text(), /serves our key/);
    assert.match(w.text(), new RegExp(`vehicle ${VIN}: key not paired yet`));
    assert.match(w.text(), new RegExp(`https://tesla\\.com/_ak/example\\.com\\?vin=${VIN}`));
    assert.match(w.text(), /FAIL {2}vehicle/);
  } finally {
    await w.close();
  }
});

test('setup, interactive: the questions answered through stdin, one run from nothing to doctor', async () => {
  const w = await world();
  const site = join(w.dir, 'site');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'test/helpers/setup-child.ts'), '--port', '0', '--no-qr'],
    {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: w.dir,
        TESLA_MCP_CONFIG_DIR: w.dir,
        TESLA_FLEET_API_URL: w.fleet.url,
        FAKE_AUTHORIZE_URL: `${w.auth.url}/authorize`,
        FAKE_TOKEN_URL: `${w.auth.url}/token`,
        FAKE_HOSTED_KEY_URL: `${w.fleet.url}${KEY_PATH}`,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const DOWN = '\x1b[B';
  // Each question as it appears, the keys typed, and what the "world" does before answering.
  const script: [string, string, (() => void)?][] = [
    ['Client ID of your Tesla app', 'my-app\r'],
    ['Client secret', `${SECRET}\r`],
    ['Domain', 'example.com\r'],
    ['Region of your Tesla account', `${DOWN}\r`], // eu
    ['How will you host the public key?', `${DOWN}\r`], // static
    ['Folder to write the site into', `${'\x7f'.repeat(40)}${site}\r`],
    [
      'Is the key online?',
      '\r',
      () => {
        w.fleet.hostKey = join(site, '.well-known/appspecific/com.tesla.3p.public-key.pem');
      },
    ],
    ['Approved in the car?', '\r', () => w.fleet.paired.add(VIN)],
  ];
  let out = '';
  let rest = '';
  let stderr = '';
  let step = 0;
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
  });
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString();
    rest += d.toString();
    const next = script[step];
    if (next && rest.includes(next[0])) {
      step++;
      rest = '';
      next[2]?.();
      setImmediate(() => child.stdin.write(next[1]));
    }
  });
  try {
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    assert.equal(step, script.length, `stopped at question ${step}:\n${out}\n${stderr}`);
    assert.equal(code, 0, `${out}\n${stderr}`);
    assert.deepEqual(JSON.parse(readFileSync(join(w.dir, 'config.json'), 'utf8')), {
      clientId: 'my-app',
      domain: 'example.com',
      region: 'eu',
      vin: VIN,
    });
    assert.ok(existsSync(join(site, '.nojekyll')));
    assert.equal(w.fleet.registered.get('example.com')?.length, 130);
    assert.match(out, /All checks passed/);
    assert.ok(!out.includes(SECRET), 'the secret is masked');
  } finally {
    child.kill();
    await w.close();
  }
});
