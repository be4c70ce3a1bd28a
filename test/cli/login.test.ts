import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { run as login } from '../../src/cli/login.js';
import { run as logout } from '../../src/cli/logout.js';
import { captureOutput } from '../helpers/cli-output.js';
import { startFakeAuth } from '../helpers/fake-tesla-auth.js';
import { ALL_SCOPES, fakeJwt, NA, tempDir } from '../helpers/fleet-mock.js';

const ACCESS = fakeJwt(
  { aud: [NA], ou_code: 'NA', scp: ALL_SCOPES.filter((s) => s !== 'energy_cmds') },
  'login',
);
const REFRESH = 'login-refresh-token-secret-value';

test('login: PKCE S256 end to end against a fake authorization server on loopback', async () => {
  const auth = await startFakeAuth({ accessToken: ACCESS, refreshToken: REFRESH });
  const { dir, cleanup } = await tempDir();
  const cap = captureOutput();
  let browser: Promise<string> | undefined;
  try {
    const env = {
      TESLA_CLIENT_ID: 'my-app',
      TESLA_CLIENT_SECRET: 'app-secret-value',
      TESLA_MCP_CONFIG_DIR: dir,
    };
    const code = await login(['--port', '0'], {
      ...cap.io,
      env,
      authorizeUrl: `${auth.url}/authorize`,
      tokenUrl: `${auth.url}/token`,
      openBrowser: (url) => {
        // The "browser": follows the authorize redirect back to the loopback callback.
        browser = fetch(url).then((r) => r.text());
      },
    });
    assert.equal(code, 0, cap.err.join(''));
    assert.match(await (browser ?? Promise.resolve('')), /Signed in to Tesla/);
    const q = auth.authorizeQueries[0];
    assert.ok(q);
    assert.equal(q.get('response_type'), 'code');
    assert.equal(q.get('client_id'), 'my-app');
    assert.equal(q.get('code_challenge_method'), 'S256');
    assert.match(q.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
    assert.match(q.get('redirect_uri') ?? '', /^http:\/\/localhost:\d+\/callback$/);
    for (const s of ['energy_device_data', 'energy_cmds', 'vehicle_cmds', 'offline_access']) {
      assert.ok(q.get('scope')?.split(' ').includes(s), s);
    }
    const f = auth.tokenForms[0];
    assert.equal(f?.get('audience'), NA);
    assert.equal(f?.get('client_secret'), 'app-secret-value');
    const path = join(dir, 'tokens.json');
    const saved = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    assert.equal(saved.access_token, ACCESS);
    assert.equal(saved.refresh_token, REFRESH);
    assert.equal(statSync(path).mode & 0o777, 0o600);
    const printed = cap.out.join('');
    assert.match(printed, /http:\/\/localhost:\d+\/callback/);
    assert.match(printed, /Not granted: energy_cmds/);
    assert.ok(!printed.includes(ACCESS) && !printed.includes(REFRESH), 'tokens are never printed');

    // logout deletes the file and says so.
    const cap2 = captureOutput();
    assert.equal(await logout([], { ...cap2.io, env }), 0);
    assert.match(cap2.out.join(''), /Deleted the token file/);
    assert.throws(() => statSync(path));
    const cap3 = captureOutput();
    assert.equal(await logout([], { ...cap3.io, env }), 0);
    assert.match(cap3.out.join(''), /nothing to delete/);
  } finally {
    await auth.close();
    await cleanup();
  }
});

test('login: a forged callback with the wrong state is ignored; a denial fails clearly', async () => {
  const auth = await startFakeAuth({
    accessToken: ACCESS,
    refreshToken: REFRESH,
    denyWith: 'access_denied',
  });
  const { dir, cleanup } = await tempDir();
  const cap = captureOutput();
  try {
    const code = await login(['--port=0', '--no-open'], {
      ...cap.io,
      env: { TESLA_CLIENT_ID: 'my-app', TESLA_MCP_CONFIG_DIR: dir },
      authorizeUrl: `${auth.url}/authorize`,
      tokenUrl: `${auth.url}/token`,
      openBrowser: async (url) => {
        const redirect = new URL(url).searchParams.get('redirect_uri') ?? '';
        const forged = await fetch(`${redirect}?code=evil&state=wrong`);
        assert.equal(forged.status, 400);
        void fetch(url).then((r) => r.text());
      },
    });
    assert.equal(code, 1);
    assert.match(cap.err.join(''), /access_denied/);
    assert.equal(auth.tokenForms.length, 0, 'no code was exchanged');
  } finally {
    await auth.close();
    await cleanup();
  }
});

test('login without TESLA_CLIENT_ID says what to set', async () => {
  const cap = captureOutput();
  assert.equal(
    await login([], { ...cap.io, env: { TESLA_MCP_CONFIG_DIR: '/nonexistent/tesla-mcp' } }),
    1,
  );
  assert.match(cap.err.join(''), /TESLA_CLIENT_ID/);
  const cap2 = captureOutput();
  assert.equal(await login(['--region', 'mars'], { ...cap2.io, env: { TESLA_CLIENT_ID: 'x' } }), 2);
  assert.match(cap2.err.join(''), /unknown TESLA_REGION/);
});

test('login --no-browser: prints the URL, takes the pasted redirect URL, checks its state', async () => {
  const auth = await startFakeAuth({ accessToken: ACCESS, refreshToken: REFRESH });
  const { dir, cleanup } = await tempDir();
  try {
    const env = { TESLA_CLIENT_ID: 'my-app', TESLA_MCP_CONFIG_DIR: dir, DISPLAY: ':0' };
    const paste = async (printed: string, tamper?: (u: URL) => void) => {
      // The user opens the printed URL elsewhere; the browser lands on the (dead) redirect URI.
      const url = /^ {2}(http:\/\/127\.0\.0\.1:\d+\/authorize\?\S+)$/m.exec(printed)?.[1];
      assert.ok(url, 'the authorize URL is printed');
      const res = await fetch(url, { redirect: 'manual' });
      const location = new URL(res.headers.get('location') ?? '');
      tamper?.(location);
      return location.toString();
    };
    const cap = captureOutput();
    const code = await login(['--no-browser', '--port', '8799'], {
      ...cap.io,
      env,
      authorizeUrl: `${auth.url}/authorize`,
      tokenUrl: `${auth.url}/token`,
      readLine: async () => paste(cap.out.join('')),
    });
    assert.equal(code, 0, cap.err.join(''));
    assert.equal(auth.authorizeQueries[0]?.get('redirect_uri'), 'http://localhost:8799/callback');
    assert.equal(auth.tokenForms.length, 1);
    assert.equal(auth.tokenForms[0]?.get('redirect_uri'), 'http://localhost:8799/callback');
    const saved = JSON.parse(readFileSync(join(dir, 'tokens.json'), 'utf8')) as {
      access_token: string;
    };
    assert.equal(saved.access_token, ACCESS);
    assert.match(cap.out.join(''), /Copy that whole address/);

    // A pasted URL with another state is refused and nothing is exchanged.
    const bad = captureOutput();
    const refused = await login(['--no-browser', '--port', '8799'], {
      ...bad.io,
      env,
      authorizeUrl: `${auth.url}/authorize`,
      tokenUrl: `${auth.url}/token`,
      readLine: async () => paste(bad.out.join(''), (u) => u.searchParams.set('state', 'forged')),
    });
    assert.equal(refused, 1);
    assert.match(bad.err.join(''), /state in that URL does not match/);
    assert.equal(auth.tokenForms.length, 1, 'no second code exchange');

    const junk = captureOutput();
    assert.equal(
      await login(['--no-browser'], {
        ...junk.io,
        env,
        authorizeUrl: `${auth.url}/authorize`,
        readLine: async () => 'not a url',
      }),
      1,
    );
    assert.match(junk.err.join(''), /not a URL: paste the whole address/);
  } finally {
    await auth.close();
    await cleanup();
  }
});

test('login without a display and no browser hook goes headless by itself', async () => {
  const auth = await startFakeAuth({ accessToken: ACCESS, refreshToken: REFRESH });
  const { dir, cleanup } = await tempDir();
  try {
    const cap = captureOutput();
    let asked = false;
    const code = await login([], {
      ...cap.io,
      env: { TESLA_CLIENT_ID: 'my-app', TESLA_MCP_CONFIG_DIR: dir },
      authorizeUrl: `${auth.url}/authorize`,
      tokenUrl: `${auth.url}/token`,
      readLine: async () => {
        asked = true;
        return 'http://localhost:8750/callback?code=x&state=y';
      },
    });
    if (process.platform === 'linux') {
      assert.ok(asked, 'asked for the pasted URL');
      assert.equal(code, 1);
      assert.match(cap.out.join(''), /No browser here/);
    }
  } finally {
    await auth.close();
    await cleanup();
  }
});
