/**
 * Which Fleet API host a call with a caller's token goes to (the proxy's callers bring their
 * own tokens): the token's audience, a host learned from a 421 for that token, the configured
 * URL; and the 421 rule (Tesla hosts only). Moved here with `src/proxy/fleet-host.ts`, whose
 * logic now lives in `src/fleet` (`regions.ts`, `classify.ts`, `hosts.ts`, `http.ts`).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { baseUrlFrom421 } from '../../src/fleet/classify.js';
import { callerKey, HostMemory } from '../../src/fleet/hosts.js';
import { FleetHttp } from '../../src/fleet/http.js';
import { acceptableSwitch, isTeslaHost } from '../../src/fleet/regions.js';

const NA = 'https://fleet-api.prd.na.vn.cloud.tesla.com';
const EU = 'https://fleet-api.prd.eu.vn.cloud.tesla.com';

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.sig`;
}

/** What a 421 answer names, through the one rule the client applies. */
const misdirectedHost = (altSvc: string | undefined, body: string) => {
  const named = baseUrlFrom421(body, altSvc);
  return named ? acceptableSwitch(named) : undefined;
};

describe('Fleet API host from the token', () => {
  it("picks the fleet-api audience of the token's region", () => {
    const token = jwt({
      aud: [
        'https://fleet-api.prd.na.vn.cloud.tesla.com',
        'https://fleet-api.prd.eu.vn.cloud.tesla.com/',
        'https://auth.tesla.com/oauth2/v3/userinfo',
      ],
      ou_code: 'EU',
      sub: 'user-1',
    });
    assert.equal(new FleetHttp({}).baseUrlFor(token), EU);
  });

  it('ignores non-Tesla audiences and unreadable tokens', () => {
    const http = new FleetHttp({});
    assert.equal(http.baseUrlFor(jwt({ aud: ['https://fleet-api.evil.example'] })), NA);
    assert.equal(http.baseUrlFor('opaque-token'), NA);
  });

  it('a host learned from a 421 wins for the same token, then the override', () => {
    const token = jwt({ aud: [NA], sub: 'user-2' });
    const hosts = new HostMemory();
    const http = new FleetHttp({ baseUrl: 'http://127.0.0.1:9', hosts });
    assert.equal(http.baseUrlFor(token), 'http://127.0.0.1:9');
    hosts.set(callerKey(token), EU);
    assert.equal(http.baseUrlFor(token), EU);
  });

  it("a forged token with another user's sub learns a host for itself only", () => {
    const real = jwt({ aud: [NA], sub: 'user-3' });
    const forged = jwt({ aud: [NA], sub: 'user-3', forged: true });
    const hosts = new HostMemory();
    const http = new FleetHttp({ hosts });
    hosts.set(callerKey(forged), EU);
    assert.equal(http.baseUrlFor(forged), EU);
    assert.equal(http.baseUrlFor(real), NA);
    assert.notEqual(callerKey(real), callerKey(forged));
    assert.match(callerKey(real), /^[0-9a-f]{64}$/, 'a SHA-256, not the token');
  });

  it('the memory is bounded, least recently used out first', () => {
    const hosts = new HostMemory(2);
    hosts.set('a', EU);
    hosts.set('b', EU);
    hosts.get('a');
    hosts.set('a', NA);
    hosts.set('c', EU);
    assert.equal(hosts.size, 2);
    assert.equal(hosts.get('b'), undefined);
    assert.equal(hosts.get('a'), NA);
  });
});

describe('421 host switching', () => {
  it('switches only to Tesla hosts', () => {
    assert.ok(isTeslaHost('fleet-api.prd.cn.vn.cloud.tesla.cn'));
    assert.ok(!isTeslaHost('tesla.com.evil.example'));
    assert.equal(
      misdirectedHost(
        undefined,
        '{"error":"user out of region, use base URL: https://fleet-api.prd.eu.vn.cloud.tesla.com"}',
      ),
      EU,
    );
    assert.equal(misdirectedHost('h2=https://fleet-api.prd.eu.vn.cloud.tesla.com', ''), EU);
    assert.equal(misdirectedHost(undefined, 'use base URL: https://attacker.example'), undefined);
  });
});
