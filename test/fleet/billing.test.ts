import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenManager } from '../../src/fleet/auth.js';
import { Billing, categorize, endpointPattern } from '../../src/fleet/billing.js';
import { FleetClient } from '../../src/fleet/client.js';
import { fakeFleet, fakeJwt, VIN } from '../helpers/fleet-mock.js';

test('categories: wake, command, data, free', () => {
  assert.equal(categorize('POST', `/api/1/vehicles/${VIN}/wake_up`), 'wake');
  assert.equal(categorize('POST', `/api/1/vehicles/${VIN}/command/honk_horn`), 'command');
  assert.equal(categorize('POST', `/api/1/vehicles/${VIN}/signed_command`), 'command');
  assert.equal(categorize('GET', `/api/1/vehicles/${VIN}`), 'data');
  assert.equal(categorize('GET', '/api/1/vehicles'), 'data');
  assert.equal(
    categorize('GET', `/api/1/vehicles/${VIN}/vehicle_data?endpoints=charge_state`),
    'data',
  );
  assert.equal(categorize('POST', '/api/1/energy_sites/123/backup'), 'command');
  assert.equal(categorize('GET', '/api/1/energy_sites/123/live_status'), 'data');
  assert.equal(categorize('POST', '/api/1/partner_accounts'), 'free');
  assert.equal(
    endpointPattern(`/api/1/vehicles/${VIN}/command/x?y=1`),
    '/api/1/vehicles/{vin}/command/x',
  );
  assert.equal(
    endpointPattern('/api/1/energy_sites/123/site_info'),
    '/api/1/energy_sites/{id}/site_info',
  );
});

test('answers below 500 are billable (408 and 429 included); 5xx and no answer are not', async () => {
  const statuses = [200, 408, 429, 500, 503];
  let i = 0;
  const { agent } = fakeFleet(() => ({
    status: statuses[i++] ?? 200,
    body: { response: { state: 'online' } },
  }));
  const billing = new Billing(Date.parse('2026-01-01T00:00:00Z'));
  const c = new FleetClient({
    tokens: new TokenManager({ fixedToken: fakeJwt({}) }),
    dispatcher: agent,
    billing,
  });
  for (let n = 0; n < statuses.length; n++) await c.vehicle(VIN).catch(() => undefined);
  await c.wakeUp(VIN);
  await c.restCommand(VIN, 'honk_horn', {});
  const s = c.billingSummary();
  assert.deepEqual(s.totals, { data: 3, command: 1, wake: 1, free: 0 });
  assert.equal(s.costUsd, Math.round((3 / 500 + 1 / 1000 + 1 / 50) * 1e6) / 1e6);
  const line = s.endpoints.find((l) => l.endpoint === 'GET /api/1/vehicles/{vin}');
  assert.deepEqual(line && { b: line.billable, u: line.unbilled }, { b: 3, u: 2 });
  assert.match(s.text, /3 data, 1 command, 1 wake = \$0\.0270/);
  assert.match(s.text, /not billed \(5xx or no answer\)/);
});
