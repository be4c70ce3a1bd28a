import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isTeslaHost } from '../../src/fleet/regions.js';
import {
  baseUrlFor,
  DEFAULT_FLEET_HOST,
  fleetHostFromToken,
  HostMemory,
  misdirectedHost,
} from '../../src/proxy/fleet-host.js';

function jwt(claims: Record<string, unknown>): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'RS256' })}.${part(claims)}.sig`;
}

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
    assert.equal(fleetHostFromToken(token), 'fleet-api.prd.eu.vn.cloud.tesla.com');
  });

  it('ignores non-Tesla audiences and unreadable tokens', () => {
    assert.equal(
      fleetHostFromToken(jwt({ aud: ['https://fleet-api.evil.example'] })),
      DEFAULT_FLEET_HOST,
    );
    assert.equal(fleetHostFromToken('opaque-token'), DEFAULT_FLEET_HOST);
  });

  it('a host learned from a 421 wins for the same subject, then the override', () => {
    const token = jwt({ aud: ['https://fleet-api.prd.na.vn.cloud.tesla.com'], sub: 'user-2' });
    const memory = new HostMemory();
    assert.equal(baseUrlFor(token, memory, 'http://127.0.0.1:9/').baseUrl, 'http://127.0.0.1:9');
    memory.set('user-2', 'fleet-api.prd.eu.vn.cloud.tesla.com');
    assert.equal(
      baseUrlFor(token, memory, 'http://127.0.0.1:9').baseUrl,
      'https://fleet-api.prd.eu.vn.cloud.tesla.com',
    );
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
      'fleet-api.prd.eu.vn.cloud.tesla.com',
    );
    assert.equal(
      misdirectedHost('h2=https://fleet-api.prd.eu.vn.cloud.tesla.com', ''),
      'fleet-api.prd.eu.vn.cloud.tesla.com',
    );
    assert.equal(misdirectedHost(undefined, 'use base URL: https://attacker.example'), undefined);
  });
});
