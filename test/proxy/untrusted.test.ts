/**
 * What a caller cannot do to the proxy or to other callers: poison another user's learned
 * Fleet host with a forged token (the host a 421 names is remembered per token, by its SHA-256,
 * not per the unverified `sub` claim), or smuggle a path through the VIN (`..%2F..`): a VIN
 * that is not 17 characters of the VIN alphabet is refused with 400 before any Fleet request.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, afterEach, before, beforeEach, describe, it } from 'node:test';
import { MockAgent } from 'undici';
import { decodeJwtClaims } from '../../src/fleet/regions.js';
import { command, type Harness, harness } from '../helpers/proxy-harness.js';

const NA = 'https://fleet-api.prd.na.vn.cloud.tesla.com';
const EU = 'https://fleet-api.prd.eu.vn.cloud.tesla.com';

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.forged-signature`;
}

describe('a forged token cannot move another user to another host', () => {
  let h: Harness;
  let agent: MockAgent;
  let forged: string;
  const seen: { origin: string; token: string }[] = [];

  beforeEach(async () => {
    seen.length = 0;
    agent = new MockAgent();
    agent.enableNetConnect((host) => host.startsWith('127.0.0.1'));
    for (const origin of [NA, EU]) {
      agent
        .get(origin)
        .intercept({ path: () => true, method: () => true })
        .reply((opts) => {
          const headers = opts.headers as Record<string, string>;
          const authorization = headers.authorization ?? '';
          seen.push({ origin, token: authorization.replace(/^Bearer /, '') });
          if (origin === NA && authorization === `Bearer ${forged}`) {
            const error = `user out of region, use base URL: ${EU}`;
            return { statusCode: 421, data: JSON.stringify({ response: null, error }) };
          }
          const url = new URL(opts.path, origin);
          const r = h.sim.fleet.handle({
            method: opts.method,
            path: url.pathname,
            query: url.searchParams,
            body: null,
            authorization,
          });
          return { statusCode: r.status, data: JSON.stringify(r.body) };
        })
        .persist();
    }
    // No TESLA_FLEET_API_URL: each token's audience (NA) picks the host, as with real tokens.
    h = await harness({ upstreamDispatcher: agent, fleetApiUrl: undefined });
    const sub = decodeJwtClaims(h.sim.token)?.sub;
    assert.equal(typeof sub, 'string');
    forged = jwt({ sub, aud: [NA], ou_code: 'NA' });
  });
  afterEach(async () => {
    await h.close();
    await agent.close();
  });

  it("the real user's requests stay on their host; the forged token moves only itself", async () => {
    await h.call('/api/1/vehicles', { token: forged });
    assert.deepEqual(
      seen.map((s) => s.origin),
      [NA, EU],
      'the forged token followed its 421',
    );
    const real = await h.call('/api/1/vehicles');
    assert.equal(real.status, 200, real.text);
    assert.deepEqual(seen.at(-1), { origin: NA, token: h.sim.token });
    await h.call('/api/1/vehicles', { token: forged });
    assert.deepEqual(seen.at(-1), { origin: EU, token: forged }, 'learned for the forged token');
    assert.equal(seen.filter((s) => s.token === h.sim.token && s.origin === EU).length, 0);
  });
});

describe('a VIN that is not a VIN', () => {
  let fleet: Server;
  let requests = 0;
  let h: Harness;
  before(async () => {
    fleet = createServer((_req, res) => {
      requests++;
      res.writeHead(500).end();
    });
    await new Promise<void>((r) => fleet.listen(0, '127.0.0.1', r));
    const port = (fleet.address() as AddressInfo).port;
    h = await harness({ fleetApiUrl: `http://127.0.0.1:${port}` });
  });
  after(async () => {
    await h.close();
    await new Promise<void>((r) => fleet.close(() => r()));
  });

  for (const vin of ['..%2F..%2F..%2F12345678', '5YJ3E1EA1PF00000O', '5YJ3E1EA1PF00000%3F']) {
    it(`${vin}: 400 and no Fleet request`, async () => {
      const res = await command(h, 'door_lock', {}, vin);
      assert.equal(res.status, 400, res.text);
      assert.match(res.text, /invalid VIN/);
      assert.equal(requests, 0);
    });
  }
});
