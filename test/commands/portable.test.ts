/**
 * `tesla-mcp/commands` is as portable as `tesla-mcp/signing`: no Node built-in in its sources,
 * and the published files both entries load (`dist/signing.js`, `dist/commands.js` and the chunks
 * they import) import nothing but each other. Both run in headless Chromium, served from `dist/`
 * as a web app would load them: a command is built there, signed, verified by the vehicle-side
 * `Verifier`, and its encrypted reply opened.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, normalize, resolve } from 'node:path';
import { describe, it, test } from 'node:test';
import { chromium } from 'playwright-core';
import { build } from '../../src/commands/registry.js';
import { cliArgs, ROOT } from '../helpers/built-cli.js';
import { assertNoNodeInSources } from '../helpers/portable-sources.js';

const DIST = join(ROOT, 'dist');

test('no Node built-in, Buffer or process in src/commands', () => {
  assertNoNodeInSources(join(ROOT, 'src/commands'));
});

/** Every file `entry` loads, following its static and dynamic imports. */
function closure(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const queue = [resolve(DIST, entry)];
  while (queue.length) {
    const file = queue.pop() as string;
    if (seen.has(file)) continue;
    const text = readFileSync(file, 'utf8');
    const specs = [
      ...text.matchAll(/(?:^|[;\s])(?:import|export)\s*(?:[\w*{}\s,$]+from\s*)?["']([^"']+)["']/g),
      ...text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g),
    ].map((m) => m[1] as string);
    seen.set(file, specs);
    for (const s of specs) if (s.startsWith('.')) queue.push(resolve(dirname(file), s));
  }
  return seen;
}

describe('the published portable entries (dist/)', () => {
  cliArgs(); // dist/ is current
  for (const entry of ['signing.js', 'commands.js']) {
    it(`${entry} and the chunks it loads import only each other, and touch no Node global`, () => {
      const files = closure(entry);
      assert.ok(files.size >= 2, `${entry} loads chunks`);
      for (const [file, specs] of files) {
        for (const s of specs)
          assert.ok(s.startsWith('./') || s.startsWith('../'), `${file}: ${s}`);
        const text = readFileSync(file, 'utf8');
        assert.doesNotMatch(text, /\bcreateRequire\b|\bBuffer\.(from|alloc|concat)\b/, file);
        // The one process reference allowed: the require() for bundled CommonJS, which exists
        // only where process.getBuiltinModule does (Node) and is never called by these entries.
        const processUses = text.match(/\bprocess\b[.?]/g) ?? [];
        const allowed = text.match(/globalThis\.process\??\./g) ?? [];
        const guarded = text.match(/typeof process\b/g) ?? [];
        assert.ok(processUses.length <= allowed.length + guarded.length, `${file} uses process`);
      }
    });
  }
});

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'];
const missing = !existsSync(CHROMIUM);
const skip =
  missing && process.env.CI !== 'true'
    ? `${CHROMIUM} is missing: apt-get install chromium (Debian) to run the browser test`
    : false;

// Runs in the page. A string, not a function: the test runner's bundler would add helpers
// (esbuild's __name) to a function's source that the page does not have.
const PAGE_SCRIPT = `async (url) => {
  const c = await import(url + '/commands.js');
  const s = await import(url + '/signing.js');
  const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  const cmd = c.build('set_charge_limit', { percent: 80 });
  const vin = '5YJ3E1EA7JF000001';
  const client = s.PrivateKey.generate();
  const car = new s.Verifier({ key: s.PrivateKey.generate(), vin, domain: cmd.domain });
  const hello = s.createHandshake(client.publicKey, cmd.domain);
  const signer = await s.completeHandshake({
    key: client, vin, request: hello, response: car.handle(hello.bytes).bytes,
  });
  const req = signer.sign(cmd.payload);
  const seen = car.handle(req.bytes);
  const opened = signer.openResponse(req, seen.respond(Uint8Array.of(0x0a, 0x00)));
  let refused = '';
  try { c.build('set_charge_limit', { percent: 20 }); } catch (e) { refused = e.name; }
  return {
    domain: cmd.domain,
    payload: hex(cmd.payload),
    verified: seen.kind === 'command' && hex(seen.payload) === hex(cmd.payload),
    reply: hex(opened.payload),
    encrypted: opened.encrypted,
    refused,
    hasProcess: typeof globalThis.process !== 'undefined',
  };
}`;

describe('tesla-mcp/signing and tesla-mcp/commands in headless Chromium', () => {
  it('build, sign, verify and open the reply in a web page', {
    skip,
    timeout: 60_000,
  }, async () => {
    if (missing) assert.fail(`CI=true but ${CHROMIUM} is missing: apt-get install chromium`);
    cliArgs();
    const requested: string[] = [];
    const server = createServer((req, res) => {
      const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname));
      requested.push(path);
      if (path === '/') {
        res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>t</title>');
        return;
      }
      const file = join(DIST, path);
      if (!file.startsWith(`${DIST}/`) || !file.endsWith('.js') || !existsSync(file)) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'text/javascript' }).end(readFileSync(file));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      await page.goto(`${base}/`);
      const out = await page.evaluate(`(${PAGE_SCRIPT})(${JSON.stringify(base)})`);
      assert.deepEqual(errors, []);
      const expected = build('set_charge_limit', { percent: 80 });
      assert.deepEqual(out, {
        domain: 3,
        payload: Buffer.from(expected.payload).toString('hex'),
        verified: true,
        reply: '0a00',
        encrypted: true,
        refused: 'RangeError',
        hasProcess: false,
      });
      assert.ok(requested.includes('/commands.js') && requested.includes('/signing.js'));
      assert.ok(
        requested.every((p) => p === '/' || p === '/favicon.ico' || p.endsWith('.js')),
        requested.join(),
      );
    } finally {
      await browser.close();
      await new Promise((r) => server.close(r));
    }
  });
});
