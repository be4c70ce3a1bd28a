import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenManager } from '../../src/fleet/auth.js';
import { FleetClient } from '../../src/fleet/client.js';
import {
  ALL_SCOPES,
  AUTH,
  EU,
  fakeFleet,
  fakeJwt,
  NA,
  type SeenRequest,
  splitPath,
  VIN,
  VIN2,
} from '../helpers/fleet-mock.js';

const USER = fakeJwt({ aud: [NA], ou_code: 'NA', scp: ALL_SCOPES }, 'user');
const PARTNER = 'partner-token-value-xyz';

function setup(reply: unknown = {}) {
  const { agent, seen } = fakeFleet((r: SeenRequest) => {
    if (r.origin === AUTH) {
      const f = new URLSearchParams(r.body ?? '');
      assert.equal(f.get('grant_type'), 'client_credentials');
      return {
        status: 200,
        body: { access_token: `${PARTNER}-${f.get('audience')}`, expires_in: 3600 },
      };
    }
    return { status: 200, body: { response: reply } };
  });
  const tokens = new TokenManager({
    fixedToken: USER,
    clientId: 'cid',
    clientSecret: 'client-secret-value',
    dispatcher: agent,
  });
  return { c: new FleetClient({ tokens, dispatcher: agent }), seen };
}

interface Row {
  name: string;
  call: (c: FleetClient) => Promise<unknown>;
  method: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  partner?: boolean;
}

const ROWS: Row[] = [
  { name: 'vehicles.list', call: (c) => c.vehicles.list(), method: 'GET', path: '/api/1/vehicles' },
  {
    name: 'vehicles.get',
    call: (c) => c.vehicles.get(VIN),
    method: 'GET',
    path: `/api/1/vehicles/${VIN}`,
  },
  {
    name: 'vehicles.data',
    call: (c) => c.vehicles.data(VIN, { endpoints: ['charge_state', 'location_data'] }),
    method: 'GET',
    path: `/api/1/vehicles/${VIN}/vehicle_data`,
    query: { endpoints: 'charge_state;location_data' },
  },
  {
    name: 'vehicles.mobileEnabled',
    call: (c) => c.vehicles.mobileEnabled(VIN),
    method: 'GET',
    path: `/api/1/vehicles/${VIN}/mobile_enabled`,
  },
  {
    name: 'vehicles.nearbyChargingSites',
    call: (c) => c.vehicles.nearbyChargingSites(VIN, { count: 5, radius: 20, detail: true }),
    method: 'GET',
    path: `/api/1/vehicles/${VIN}/nearby_charging_sites`,
    query: { count: '5', radius: '20', detail: 'true' },
  },
  {
    name: 'vehicles.options',
    call: (c) => c.vehicles.options(VIN),
    method: 'GET',
    path: '/api/1/dx/vehicles/options',
    query: { vin: VIN },
  },
  {
    name: 'vehicles.releaseNotes',
    call: (c) => c.vehicles.releaseNotes(VIN, { staged: true, language: 'de' }),
    method: 'GET',
    path: `/api/1/vehicles/${VIN}/release_notes`,
    query: { staged: 'true', language: 'de' },
  },
  {
    name: 'vehicles.serviceData',
    call: (c) => c.vehicles.serviceData(VIN),
    method: 'GET',
    path: `/api/1/vehicles/${VIN}/service_data`,
  },
  {
    name: 'vehicles.recentAlerts',
    call: (c) => c.vehicles.recentAlerts(VIN),
    method: 'GET',
    path: `/api/1/vehicles/${VIN}/recent_alerts`,
  },
  {
    name: 'vehicles.fleetStatus',
    call: (c) => c.vehicles.fleetStatus([VIN, VIN2]),
    method: 'POST',
    path: '/api/1/vehicles/fleet_status',
    body: { vins: [VIN, VIN2] },
  },
  {
    name: 'vehicles.warrantyDetails',
    call: (c) => c.vehicles.warrantyDetails(VIN),
    method: 'GET',
    path: '/api/1/dx/warranty/details',
    query: { vin: VIN },
  },
  {
    name: 'vehicles.eligibleSubscriptions',
    call: (c) => c.vehicles.eligibleSubscriptions(VIN),
    method: 'GET',
    path: '/api/1/dx/vehicles/subscriptions/eligibility',
    query: { vin: VIN },
  },
  {
    name: 'vehicles.eligibleUpgrades',
    call: (c) => c.vehicles.eligibleUpgrades(VIN),
    method: 'GET',
    path: '/api/1/dx/vehicles/upgrades/eligibility',
    query: { vin: VIN },
  },
  {
    name: 'vehicles.specs',
    call: (c) => c.vehicles.specs(VIN),
    method: 'GET',
    path: `/api/1/vehicles/${VIN}/specs`,
    partner: true,
  },
  {
    name: 'vehicles.enterpriseRoles',
    call: (c) => c.vehicles.enterpriseRoles(VIN),
    method: 'GET',
    path: `/api/1/dx/enterprise/v1/${VIN}/roles`,
  },
  {
    name: 'vehicles.enterprisePayer',
    call: (c) => c.vehicles.enterprisePayer(VIN, { payer: 'x' }),
    method: 'POST',
    path: `/api/1/dx/enterprise/v1/${VIN}/payer`,
    body: { payer: 'x' },
  },
  {
    name: 'charging.history (pageNo/pageSize, not page/per_page)',
    call: (c) => c.charging.history({ vin: VIN, pageNo: 2, pageSize: 25, sortOrder: 'DESC' }),
    method: 'GET',
    path: '/api/1/dx/charging/history',
    query: { vin: VIN, pageNo: '2', pageSize: '25', sortOrder: 'DESC' },
  },
  {
    name: 'charging.sessions',
    call: (c) => c.charging.sessions({ vin: VIN, dateFrom: '2026-01-01', limit: 10, offset: 5 }),
    method: 'GET',
    path: '/api/1/dx/charging/sessions',
    query: { vin: VIN, date_from: '2026-01-01', limit: '10', offset: '5' },
  },
  {
    name: 'energy.products',
    call: (c) => c.energy.products(),
    method: 'GET',
    path: '/api/1/products',
  },
  {
    name: 'energy.siteInfo',
    call: (c) => c.energy.siteInfo(42),
    method: 'GET',
    path: '/api/1/energy_sites/42/site_info',
  },
  {
    name: 'energy.liveStatus',
    call: (c) => c.energy.liveStatus('42'),
    method: 'GET',
    path: '/api/1/energy_sites/42/live_status',
  },
  {
    name: 'energy.calendarHistory',
    call: (c) =>
      c.energy.calendarHistory(42, { kind: 'backup', period: 'week', timeZone: 'Europe/Berlin' }),
    method: 'GET',
    path: '/api/1/energy_sites/42/calendar_history',
    query: { kind: 'backup', period: 'week', time_zone: 'Europe/Berlin' },
  },
  {
    name: 'energy.telemetryHistory',
    call: (c) => c.energy.telemetryHistory(42, { startDate: 'a', endDate: 'b' }),
    method: 'GET',
    path: '/api/1/energy_sites/42/telemetry_history',
    query: { kind: 'charge', start_date: 'a', end_date: 'b' },
  },
  {
    name: 'energy.setBackupReserve',
    call: (c) => c.energy.setBackupReserve(42, 30),
    method: 'POST',
    path: '/api/1/energy_sites/42/backup',
    body: { backup_reserve_percent: 30 },
  },
  {
    name: 'energy.setOperationMode (backup allowed)',
    call: (c) => c.energy.setOperationMode(42, 'backup'),
    method: 'POST',
    path: '/api/1/energy_sites/42/operation',
    body: { default_real_mode: 'backup' },
  },
  {
    name: 'energy.setStormMode',
    call: (c) => c.energy.setStormMode(42, false),
    method: 'POST',
    path: '/api/1/energy_sites/42/storm_mode',
    body: { enabled: false },
  },
  {
    name: 'energy.setGridImportExport',
    call: (c) =>
      c.energy.setGridImportExport(42, {
        disallowChargeFromGridWithSolarInstalled: true,
        customerPreferredExportRule: 'pv_only',
      }),
    method: 'POST',
    path: '/api/1/energy_sites/42/grid_import_export',
    body: {
      disallow_charge_from_grid_with_solar_installed: true,
      customer_preferred_export_rule: 'pv_only',
    },
  },
  {
    name: 'energy.setOffGridVehicleChargingReserve',
    call: (c) => c.energy.setOffGridVehicleChargingReserve(42, 50),
    method: 'POST',
    path: '/api/1/energy_sites/42/off_grid_vehicle_charging_reserve',
    body: { off_grid_vehicle_charging_reserve_percent: 50 },
  },
  {
    name: 'energy.setTimeOfUseSettings',
    call: (c) => c.energy.setTimeOfUseSettings(42, { version: 1 }),
    method: 'POST',
    path: '/api/1/energy_sites/42/time_of_use_settings',
    body: { tou_settings: { tariff_content_v2: { version: 1 } } },
  },
  { name: 'user.me', call: (c) => c.user.me(), method: 'GET', path: '/api/1/users/me' },
  { name: 'user.region', call: (c) => c.user.region(), method: 'GET', path: '/api/1/users/region' },
  { name: 'user.orders', call: (c) => c.user.orders(), method: 'GET', path: '/api/1/users/orders' },
  {
    name: 'user.featureConfig',
    call: (c) => c.user.featureConfig(),
    method: 'GET',
    path: '/api/1/users/feature_config',
  },
  {
    name: 'user.backupKey',
    call: (c) => c.user.backupKey(),
    method: 'GET',
    path: '/api/1/users/backup_key',
  },
  {
    name: 'partner.register',
    call: (c) => c.partner.register('Example.COM', { baseUrl: EU }),
    method: 'POST',
    path: '/api/1/partner_accounts',
    body: { domain: 'example.com' },
    partner: true,
  },
  {
    name: 'partner.publicKey (partner token, not the user token)',
    call: (c) => c.partner.publicKey('example.com'),
    method: 'GET',
    path: '/api/1/partner_accounts/public_key',
    query: { domain: 'example.com' },
    partner: true,
  },
  {
    name: 'partner.fleetTelemetryErrors',
    call: (c) => c.partner.fleetTelemetryErrors('example.com'),
    method: 'GET',
    path: '/api/1/partner_accounts/fleet_telemetry_errors',
    query: { domain: 'example.com' },
    partner: true,
  },
  {
    name: 'partner.fleetTelemetryErrorVins',
    call: (c) => c.partner.fleetTelemetryErrorVins(),
    method: 'GET',
    path: '/api/1/partner_accounts/fleet_telemetry_error_vins',
    partner: true,
  },
  {
    name: 'telemetry.getConfig',
    call: (c) => c.telemetry.getConfig(VIN),
    method: 'GET',
    path: `/api/1/vehicles/${VIN}/fleet_telemetry_config`,
  },
  {
    name: 'telemetry.deleteConfig',
    call: (c) => c.telemetry.deleteConfig(VIN),
    method: 'DELETE',
    path: `/api/1/vehicles/${VIN}/fleet_telemetry_config`,
  },
  {
    name: 'telemetry.errors',
    call: (c) => c.telemetry.errors(VIN),
    method: 'GET',
    path: `/api/1/vehicles/${VIN}/fleet_telemetry_errors`,
  },
  {
    name: 'sharing.drivers',
    call: (c) => c.sharing.drivers(VIN),
    method: 'GET',
    path: `/api/1/vehicles/${VIN}/drivers`,
  },
  {
    name: 'sharing.removeDriver',
    call: (c) => c.sharing.removeDriver(VIN, 1234),
    method: 'DELETE',
    path: `/api/1/vehicles/${VIN}/drivers`,
    query: { share_user_id: '1234' },
  },
  {
    name: 'sharing.invitations',
    call: (c) => c.sharing.invitations(VIN),
    method: 'GET',
    path: `/api/1/vehicles/${VIN}/invitations`,
  },
  {
    name: 'sharing.createInvitation',
    call: (c) => c.sharing.createInvitation(VIN),
    method: 'POST',
    path: `/api/1/vehicles/${VIN}/invitations`,
  },
  {
    name: 'sharing.revokeInvitation',
    call: (c) => c.sharing.revokeInvitation(VIN, '99'),
    method: 'POST',
    path: `/api/1/vehicles/${VIN}/invitations/99/revoke`,
  },
  {
    name: 'sharing.redeemInvitation (code in the body)',
    call: (c) => c.sharing.redeemInvitation('abc123'),
    method: 'POST',
    path: '/api/1/invitations/redeem',
    body: { code: 'abc123' },
  },
];

for (const row of ROWS) {
  test(`endpoint ${row.name}`, async () => {
    const { c, seen } = setup();
    await row.call(c);
    const api = seen.filter((s) => s.origin !== AUTH);
    assert.equal(api.length, 1);
    const req = api[0] as SeenRequest;
    const { path, query } = splitPath(req.path);
    assert.equal(req.method, row.method);
    assert.equal(path, row.path);
    assert.deepEqual(query, row.query ?? {});
    assert.deepEqual(req.body === undefined ? undefined : JSON.parse(req.body), row.body);
    if (row.partner) {
      assert.match(req.headers.authorization ?? '', new RegExp(`^Bearer ${PARTNER}-https://`));
      assert.equal(seen.filter((s) => s.origin === AUTH).length, 1);
    } else {
      assert.equal(req.headers.authorization, `Bearer ${USER}`);
    }
  });
}

test('invoice returns bytes', async () => {
  const { agent } = fakeFleet(() => ({ status: 200, body: '%PDF-1.4 fake' }));
  const c = new FleetClient({ tokens: new TokenManager({ fixedToken: USER }), dispatcher: agent });
  const pdf = await c.charging.invoice('inv-1');
  assert.equal(Buffer.from(pdf).toString(), '%PDF-1.4 fake');
});

test('argument checks fail before any request', async () => {
  const { c, seen } = setup();
  await assert.rejects(c.vehicles.get('SHORT'), RangeError);
  await assert.rejects(c.vehicles.get('5YJ3E1EA7KF0000/1'), RangeError, 'no path characters');
  await assert.rejects(c.vehicles.get(`${VIN}/../x`), RangeError);
  await assert.rejects(
    c.vehicles.data(VIN, { endpoints: ['bogus' as 'charge_state'] }),
    /unknown vehicle_data endpoint/,
  );
  await assert.rejects(c.energy.setBackupReserve(1, 101), RangeError);
  await assert.rejects(c.energy.setOperationMode(1, 'bogus' as 'backup'), RangeError);
  await assert.rejects(c.partner.register('https://example.com'), /bare domain/);
  await assert.rejects(c.partner.register('localhost'), /public domain/);
  await assert.rejects(c.charging.history({ pageSize: 1000 }), RangeError);
  await assert.rejects(c.charging.history({ pageNo: 0 }), /pageNo counts from 1/);
  await assert.rejects(c.restCommand(VIN, '../x', {}), RangeError);
  assert.equal(seen.length, 0);
});

test('the partner token is cached per audience', async () => {
  const { c, seen } = setup({ public_key: '04ab' });
  assert.equal(await c.partner.publicKey('example.com'), '04ab');
  await c.partner.publicKey('example.com');
  await c.partner.publicKey('example.com', { baseUrl: EU });
  const grants = seen
    .filter((s) => s.origin === AUTH)
    .map((s) => new URLSearchParams(s.body ?? '').get('audience'));
  assert.deepEqual(grants, [NA, EU]);
});
