/**
 * Compatibility with existing `tesla-http-proxy` clients: the `curl` examples of Tesla's README
 * (HTTPS, `--cacert`, a self-signed certificate made with `openssl` the way the README makes it)
 * and a client configured the Home Assistant way (base URL + CA certificate), both unchanged
 * against `tesla-mcp proxy --tls-cert/--tls-key`. Skipped with a message when `openssl` or `curl`
 * is missing.
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { Agent, request } from 'undici';
import { command, type Harness, harness, OK_BODY, VIN } from '../helpers/proxy-harness.js';
import { missingOpenssl, selfSignedCert } from '../helpers/tls-cert.js';

const run = promisify(execFile);
const HAVE_CURL = spawnSync('curl', ['--version'], { stdio: 'ignore' }).status === 0;
const skip = missingOpenssl() || (HAVE_CURL ? false : 'curl is not installed');

describe('tesla-http-proxy clients over HTTPS', { skip }, () => {
  let h: Harness;
  let certFile: string;
  let dir: string;
  let base: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-proxy-tls-'));
    const made = selfSignedCert(dir);
    certFile = made.certFile;
    const tls = { cert: made.cert, key: made.key };
    h = await harness({ tls });
    base = h.proxy.url.replace('127.0.0.1', 'localhost');
    assert.ok(h.proxy.url.startsWith('https://'));
  });
  after(async () => {
    await h?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function curl(args: string[]): Promise<{ status: number; body: string }> {
    const { stdout } = await run('curl', [
      '--silent',
      '--show-error',
      '--write-out',
      '\n%{http_code}',
      ...args,
    ]);
    const i = stdout.lastIndexOf('\n');
    return { status: Number(stdout.slice(i + 1)), body: stdout.slice(0, i) };
  }

  it("the README's command example works unchanged", async () => {
    const res = await curl([
      '--cacert',
      certFile,
      '--header',
      'Content-Type: application/json',
      '--header',
      `Authorization: Bearer ${h.sim.token}`,
      '--data',
      '{}',
      `${base}/api/1/vehicles/${VIN}/command/flash_lights`,
    ]);
    assert.equal(res.status, 200, res.body);
    assert.deepEqual(JSON.parse(res.body), OK_BODY);
  });

  it("the README's data and wake_up examples are forwarded", async () => {
    const data = await curl([
      '--cacert',
      certFile,
      '--header',
      `Authorization: Bearer ${h.sim.token}`,
      `${base}/api/1/vehicles/${VIN}/vehicle_data`,
    ]);
    assert.equal(data.status, 200, data.body);
    assert.equal((JSON.parse(data.body) as { response: { vin: string } }).response.vin, VIN);
    const wake = await curl([
      '--cacert',
      certFile,
      '--header',
      `Authorization: Bearer ${h.sim.token}`,
      '--data',
      '',
      `${base}/api/1/vehicles/${VIN}/wake_up`,
    ]);
    assert.equal(wake.status, 200, wake.body);
  });

  it('callers that do not trust the certificate are refused (the TLS is real)', async () => {
    await assert.rejects(curl([`${base}/health`]));
    await assert.rejects(command(h, 'door_lock'));
  });

  it('a client configured the Home Assistant way: base URL + CA certificate', async () => {
    const ca = await readFile(certFile, 'utf8');
    const dispatcher = new Agent({ connect: { ca } });
    try {
      const res = await request(`${base}/api/1/vehicles/${VIN}/command/set_charge_limit`, {
        method: 'POST',
        headers: { authorization: `Bearer ${h.sim.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ percent: 71 }),
        dispatcher,
      });
      assert.equal(res.statusCode, 200);
      assert.deepEqual(await res.body.json(), OK_BODY);
      assert.equal(h.sim.fleet.car(VIN).state.chargeLimit, 71);
    } finally {
      await dispatcher.close();
    }
  });
});
