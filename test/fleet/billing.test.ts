import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenManager } from '../../src/fleet/auth.js';
import {
  Billing,
  categorize,
  endpointPattern,
  type SharedBillingCounters,
} from '../../src/fleet/billing.js';
import { FleetClient } from '../../src/fleet/client.js';
import { MemoryStateStore } from '../../src/vehicle/memory-store.js';
import { StateStoreError } from '../../src/vehicle/state-store.js';
import { fakeFleet, fakeJwt, VIN } from '../helpers/fleet-mock.js';

test('categories: wake, command, data, free', () => {
  assert.equal(categorize('POST', `/api/1/vehicles/${VIN}/wake_up`), 'wake');
  assert.equal(categorize('POST', `/api/1/vehicles/${VIN}/command/honk_horn`), 'command');
  assert.equal(categorize('POST', `/api/1/vehicles/${VIN}/signed_command`), 'command');
  // A vehicle id, or a simulator's VIN that is not ISO 3779, in place of the VIN.
  assert.equal(categorize('POST', '/api/1/vehicles/1234567/command/honk_horn'), 'command');
  assert.equal(categorize('POST', '/api/1/vehicles/5YJSIM00000000001/signed_command'), 'command');
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

/** A client on the fake Fleet API (every answer 200) whose billing counts in `store` too. */
function sharingClient(store: SharedBillingCounters, clock?: () => number) {
  const { agent } = fakeFleet(() => ({ status: 200, body: { response: { state: 'online' } } }));
  const billing = new Billing(Date.now(), clock);
  billing.share(store);
  const client = new FleetClient({
    tokens: new TokenManager({ fixedToken: fakeJwt({}) }),
    dispatcher: agent,
    billing,
  });
  return client;
}

/** The memory store's counters, failing like a lost Redis while `down` (nothing kept then). */
class FlakyStore implements SharedBillingCounters {
  readonly description = 'redis 127.0.0.1:1';
  readonly #inner = new MemoryStateStore();
  down = false;
  /** Counts wait for this (a store that is slow to answer). */
  hold: Promise<void> | undefined;
  async countBilling(name: string, n: number): Promise<void> {
    await this.hold;
    if (this.down) throw new StateStoreError('state store: Redis did not answer (closed)');
    return this.#inner.countBilling(name, n);
  }
  async billing(): Promise<Record<string, number>> {
    if (this.down) throw new StateStoreError('state store: Redis did not answer (closed)');
    return this.#inner.billing();
  }
}

test('two clients on one store: either report shows the sum by category, and its own share', async () => {
  const store = new MemoryStateStore();
  const a = sharingClient(store);
  const b = sharingClient(store);
  await a.vehicle(VIN);
  await a.restCommand(VIN, 'honk_horn', {});
  await b.vehicle(VIN);
  await b.vehicle(VIN);
  await b.wakeUp(VIN);
  for (const c of [a, b]) {
    const r = await c.billingReport();
    assert.equal(r.scope, 'all instances sharing memory');
    assert.deepEqual(r.totals, { data: 3, command: 1, wake: 1, free: 0 });
    assert.equal(r.costUsd, Math.round((3 / 500 + 1 / 1000 + 1 / 50) * 1e6) / 1e6);
    const line = r.endpoints.find((l) => l.endpoint === 'GET /api/1/vehicles/{vin}');
    assert.equal(line?.billable, 3);
    assert.match(
      r.text,
      /^Fleet API calls this month \(since \d{4}-\d{2}-01T00:00:00Z\) by all instances sharing memory: 3 data, 1 command, 1 wake/,
    );
    assert.equal(r.sharedError, undefined);
  }
  assert.deepEqual((await a.billingReport()).thisProcess.totals, {
    data: 1,
    command: 1,
    wake: 0,
    free: 0,
  });
  assert.deepEqual((await b.billingReport()).thisProcess.totals, {
    data: 2,
    command: 0,
    wake: 1,
    free: 0,
  });
  assert.match(
    (await b.billingReport()).text,
    /\nThis process since .*: 2 data, 0 command, 1 wake/,
  );
});

test('without a store the report is this process only', async () => {
  const { agent } = fakeFleet(() => ({ status: 200, body: { response: {} } }));
  const c = new FleetClient({
    tokens: new TokenManager({ fixedToken: fakeJwt({}) }),
    dispatcher: agent,
  });
  await c.vehicle(VIN);
  const r = await c.billingReport();
  assert.equal(r.scope, 'this process');
  assert.deepEqual(r.totals, { data: 1, command: 0, wake: 0, free: 0 });
  assert.deepEqual(r.thisProcess.totals, r.totals);
  assert.match(r.text, /^Fleet API calls since /);
});

test('the shared totals are this month (UTC) only; last month stays in the store', async () => {
  const store = new MemoryStateStore();
  let t = Date.parse('2026-11-30T23:59:59Z');
  const c = sharingClient(store, () => t);
  await c.vehicle(VIN);
  await c.vehicle(VIN);
  t = Date.parse('2026-12-01T00:00:01Z');
  await c.restCommand(VIN, 'honk_horn', {});
  const r = await c.billingReport();
  assert.deepEqual(r.totals, { data: 0, command: 1, wake: 0, free: 0 });
  assert.equal(r.since, '2026-12-01T00:00:00.000Z');
  assert.deepEqual(r.thisProcess.totals, { data: 2, command: 1, wake: 0, free: 0 });
  assert.deepEqual(await store.billing(), {
    '2026-11|billable|data|GET /api/1/vehicles/{vin}': 2,
    '2026-12|billable|command|POST /api/1/vehicles/{vin}/command/honk_horn': 1,
  });
});

test('a store that fails: the report says so and gives this process only; nothing is lost', async () => {
  const store = new FlakyStore();
  const other = sharingClient(store);
  await other.vehicle(VIN);
  const c = sharingClient(store);
  store.down = true;
  await c.vehicle(VIN);
  await c.restCommand(VIN, 'honk_horn', {});
  const down = await c.billingReport();
  assert.equal(down.scope, 'this process');
  assert.deepEqual(down.totals, { data: 1, command: 1, wake: 0, free: 0 });
  assert.match(down.sharedError ?? '', /Redis did not answer/);
  assert.equal(down.uncountedCalls, 2);
  assert.match(
    down.text,
    /^The totals of all instances sharing redis 127\.0\.0\.1:1 are unavailable \(state store: Redis did not answer \(closed\)\), and 2 call\(s\) of this process are not counted there yet: the figures below are this process's only\. Call get_billing_summary again/,
  );
  store.down = false;
  const back = await c.billingReport();
  assert.equal(back.scope, 'all instances sharing redis 127.0.0.1:1');
  assert.deepEqual(back.totals, { data: 2, command: 1, wake: 0, free: 0 });
  assert.equal(back.sharedError, undefined);
  assert.equal(back.uncountedCalls, undefined);
});

test('a call is answered while the store has not taken its count yet', async () => {
  const store = new FlakyStore();
  let release = () => {};
  store.hold = new Promise<void>((r) => {
    release = r;
  });
  const c = sharingClient(store);
  const v = await c.vehicle(VIN);
  assert.equal(v.state, 'online');
  assert.deepEqual(await store.billing(), {}, 'the count is still on its way');
  release();
  await c.billing.flush();
  assert.deepEqual(Object.values(await store.billing()), [1]);
});
