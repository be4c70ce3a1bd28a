/**
 * 421 host switching (vehicle-command `pkg/connector/inet/inet.go`, `pkg/proxy/proxy.go`) and the request deadline. The "other region" is an
 * undici MockAgent origin for the EU Fleet host whose replies are computed by the simulator
 * itself, so signed commands really complete there; loopback traffic to the simulator passes
 * through. Nothing leaves the machine.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { MockAgent } from 'undici';
import { command, type Harness, harness, OK_BODY, VIN } from '../helpers/proxy-harness.js';

const EU = 'https://fleet-api.prd.eu.vn.cloud.tesla.com';

function relayToSim(agent: MockAgent, h: () => Harness, seen: string[]): void {
  agent
    .get(EU)
    .intercept({ path: () => true, method: () => true })
    .reply((opts) => {
      const url = new URL(opts.path, EU);
      const headers = opts.headers as Record<string, string>;
      seen.push(`${opts.method} ${url.pathname}`);
      const text = typeof opts.body === 'string' ? opts.body : '';
      const r = h().sim.fleet.handle({
        method: opts.method,
        path: url.pathname,
        query: url.searchParams,
        body: text ? JSON.parse(text) : null,
        authorization: headers.authorization ?? headers.Authorization,
      });
      return { statusCode: r.status, data: JSON.stringify(r.body), responseOptions: {} };
    })
    .persist();
}

describe('421 host switching', () => {
  let h: Harness;
  let agent: MockAgent;
  const seen: string[] = [];
  beforeEach(async () => {
    seen.length = 0;
    agent = new MockAgent();
    agent.enableNetConnect((host) => host.startsWith('127.0.0.1'));
    relayToSim(agent, () => h, seen);
    h = await harness({ upstreamDispatcher: agent });
  });
  afterEach(async () => {
    await h.close();
    await agent.close();
  });

  it('follows a 421 to the Tesla host it names, with the caller token, and remembers it', async () => {
    h.sim.fleet.injectHttp({ status: 421, baseUrl: EU, endpoint: 'vehicle_data' });
    const res = await h.call(`/api/1/vehicles/${VIN}/vehicle_data?endpoints=charge_state`);
    assert.equal(res.status, 200, res.text);
    assert.ok((res.json as { response: { charge_state?: unknown } }).response.charge_state);
    assert.deepEqual(seen, [`GET /api/1/vehicles/${VIN}/vehicle_data`]);
    // The same token subject now goes to the EU host directly.
    const before = h.count('GET vehicle_data');
    await h.call(`/api/1/vehicles/${VIN}/vehicle_data`);
    assert.equal(seen.length, 2);
    assert.equal(h.count('GET vehicle_data'), before + 1, 'one request, none to the old host');
  });

  it('a signed command answered 421 is sent again on the right host and succeeds', async () => {
    h.sim.fleet.injectHttp({ status: 421, baseUrl: EU, endpoint: 'signed_command' });
    const res = await command(h, 'door_lock');
    assert.deepEqual(res.json, OK_BODY);
    assert.ok(seen.includes(`POST /api/1/vehicles/${VIN}/signed_command`));
  });

  it('never switches to a host outside Tesla', async () => {
    h.sim.fleet.injectHttp({ status: 421, baseUrl: 'https://fleet-api.attacker.example' });
    const res = await h.call(`/api/1/vehicles/${VIN}/vehicle_data`);
    assert.equal(res.status, 421, res.text);
    assert.deepEqual(seen, []);
  });
});

describe('request deadline', () => {
  it('a Fleet API that does not answer in time gives 504, not a hang', async () => {
    const agent = new MockAgent();
    agent.enableNetConnect((host) => host.startsWith('127.0.0.1'));
    const h = await harness({ upstreamDispatcher: agent, timeoutMs: 200, fleetApiUrl: EU });
    agent
      .get(EU)
      .intercept({ path: '/api/1/vehicles', method: 'GET' })
      .reply(200, '{}')
      .delay(5000);
    try {
      const res = await h.call('/api/1/vehicles');
      assert.equal(res.status, 504);
    } finally {
      await h.close();
      await agent.close();
    }
  });
});
