/**
 * The tools reach the Fleet API only through the typed endpoint groups of `src/fleet/api`
 * (`ToolDeps.fleet.vehicles`, `.energy`, ...): each tool sends the request below with a token
 * that has just the scopes the tool declares, and the scope checks those groups make apply to
 * the tools too, before any billed request.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolDeps } from '../../src/mcp/deps.js';
import { parseToolsets } from '../../src/mcp/server.js';
import { ALL_TOOLS } from '../../src/mcp/toolsets/index.js';
import { connect, fakeDeps, VIN } from '../helpers/fake-deps.js';

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

const errorCode = (r: Result) => (r.structuredContent?.error as { code?: string })?.code;

const ALL = { toolsets: parseToolsets('all'), confirm: 'never' as const };
const V = `/api/1/vehicles/${VIN}`;
const SITE = '/api/1/energy_sites/42';

interface Row {
  tool: string;
  args?: Record<string, unknown>;
  method: string;
  path: string;
  query?: Record<string, unknown>;
  body?: unknown;
  partner?: true;
  deps?: Partial<ToolDeps>;
}

const ROWS: Row[] = [
  {
    tool: 'list_vehicles',
    args: { page: 2, per_page: 10 },
    method: 'GET',
    path: '/api/1/vehicles',
    query: { page: 2, per_page: 10 },
  },
  { tool: 'vehicle', method: 'GET', path: V },
  {
    tool: 'vehicle_data',
    method: 'GET',
    path: `${V}/vehicle_data`,
    query: {
      endpoints: 'charge_state;climate_state;drive_state;gui_settings;vehicle_config;vehicle_state',
    },
  },
  { tool: 'mobile_enabled', method: 'GET', path: `${V}/mobile_enabled` },
  {
    tool: 'nearby_charging_sites',
    args: { radius_miles: 5 },
    method: 'GET',
    path: `${V}/nearby_charging_sites`,
    query: { count: 10, radius: 5 },
  },
  {
    tool: 'release_notes',
    args: { staged: true },
    method: 'GET',
    path: `${V}/release_notes`,
    query: { staged: true },
  },
  { tool: 'service_data', method: 'GET', path: `${V}/service_data` },
  { tool: 'recent_alerts', method: 'GET', path: `${V}/recent_alerts` },
  {
    tool: 'fleet_status',
    args: { vins: [VIN.toLowerCase()] },
    method: 'POST',
    path: '/api/1/vehicles/fleet_status',
    body: { vins: [VIN] },
  },
  { tool: 'options', method: 'GET', path: '/api/1/dx/vehicles/options', query: { vin: VIN } },
  { tool: 'specs', method: 'GET', path: `${V}/specs`, partner: true },
  {
    tool: 'warranty_details',
    method: 'GET',
    path: '/api/1/dx/warranty/details',
    query: { vin: VIN },
  },
  {
    tool: 'eligible_subscriptions',
    method: 'GET',
    path: '/api/1/dx/vehicles/subscriptions/eligibility',
    query: { vin: VIN },
  },
  {
    tool: 'eligible_upgrades',
    method: 'GET',
    path: '/api/1/dx/vehicles/upgrades/eligibility',
    query: { vin: VIN },
  },
  { tool: 'me', method: 'GET', path: '/api/1/users/me' },
  { tool: 'region', method: 'GET', path: '/api/1/users/region' },
  { tool: 'orders', method: 'GET', path: '/api/1/users/orders' },
  { tool: 'feature_config', method: 'GET', path: '/api/1/users/feature_config' },
  { tool: 'backup_key', method: 'GET', path: '/api/1/users/backup_key' },
  { tool: 'products', method: 'GET', path: '/api/1/products' },
  {
    tool: 'charging_history',
    args: { vin: undefined, start_time: '2026-01-01T00:00:00Z' },
    method: 'GET',
    path: '/api/1/dx/charging/history',
    query: {
      startTime: '2026-01-01T00:00:00Z',
      pageNo: 1,
      pageSize: 25,
      sortBy: 'StartDateTime',
      sortOrder: 'DESC',
    },
  },
  {
    tool: 'charging_sessions',
    args: { offset: 5 },
    method: 'GET',
    path: '/api/1/dx/charging/sessions',
    query: { vin: VIN, limit: 25, offset: 5 },
  },
  {
    tool: 'charging_invoice',
    args: { id: 'inv-1' },
    method: 'GET',
    path: '/api/1/dx/charging/invoice/inv-1',
  },
  { tool: 'site_info', args: { energy_site_id: '42' }, method: 'GET', path: `${SITE}/site_info` },
  {
    tool: 'live_status',
    args: { energy_site_id: '42' },
    method: 'GET',
    path: `${SITE}/live_status`,
  },
  {
    tool: 'calendar_history',
    args: { energy_site_id: '42', kind: 'backup', time_zone: 'Europe/Berlin' },
    method: 'GET',
    path: `${SITE}/calendar_history`,
    query: { kind: 'backup', period: 'day', time_zone: 'Europe/Berlin' },
  },
  {
    tool: 'telemetry_history',
    args: { energy_site_id: '42', period: 'week' },
    method: 'GET',
    path: `${SITE}/telemetry_history`,
    query: { kind: 'charge', period: 'week' },
  },
  {
    tool: 'backup',
    args: { energy_site_id: '42', backup_reserve_percent: 20 },
    method: 'POST',
    path: `${SITE}/backup`,
    body: { backup_reserve_percent: 20 },
  },
  {
    tool: 'operation',
    args: { energy_site_id: '42', mode: 'autonomous' },
    method: 'POST',
    path: `${SITE}/operation`,
    body: { default_real_mode: 'autonomous' },
  },
  {
    tool: 'storm_mode',
    args: { energy_site_id: '42', enabled: true },
    method: 'POST',
    path: `${SITE}/storm_mode`,
    body: { enabled: true },
  },
  {
    tool: 'grid_import_export',
    args: { energy_site_id: '42', customer_preferred_export_rule: 'pv_only' },
    method: 'POST',
    path: `${SITE}/grid_import_export`,
    body: { customer_preferred_export_rule: 'pv_only' },
  },
  {
    tool: 'off_grid_vehicle_charging_reserve',
    args: { energy_site_id: '42', off_grid_vehicle_charging_reserve_percent: 30 },
    method: 'POST',
    path: `${SITE}/off_grid_vehicle_charging_reserve`,
    body: { off_grid_vehicle_charging_reserve_percent: 30 },
  },
  {
    tool: 'time_of_use_settings',
    args: { energy_site_id: '42', tariff_content_v2_json: '{"version":1}' },
    method: 'POST',
    path: `${SITE}/time_of_use_settings`,
    body: { tou_settings: { tariff_content_v2: { version: 1 } } },
  },
  { tool: 'drivers', method: 'GET', path: `${V}/drivers` },
  {
    tool: 'drivers_remove',
    args: { share_user_id: '77' },
    method: 'DELETE',
    path: `${V}/drivers`,
    query: { share_user_id: '77' },
  },
  { tool: 'share_invites', method: 'GET', path: `${V}/invitations` },
  { tool: 'share_invites_create', method: 'POST', path: `${V}/invitations` },
  {
    tool: 'share_invites_revoke',
    args: { invite_id: '9' },
    method: 'POST',
    path: `${V}/invitations/9/revoke`,
  },
  {
    tool: 'share_invites_redeem',
    args: { code: 'abc123' },
    method: 'POST',
    path: '/api/1/invitations/redeem',
    body: { code: 'abc123' },
  },
  { tool: 'fleet_telemetry_config_get', method: 'GET', path: `${V}/fleet_telemetry_config` },
  {
    tool: 'fleet_telemetry_config_create',
    args: { vins: [VIN], hostname: 'telemetry.example.com', fields_json: '{}' },
    method: 'POST',
    path: '/api/1/vehicles/fleet_telemetry_config_jws',
    body: { token: 'signed-config', vins: [VIN] },
    deps: { signTelemetryConfig: () => 'signed-config' },
  },
  { tool: 'fleet_telemetry_config_delete', method: 'DELETE', path: `${V}/fleet_telemetry_config` },
  { tool: 'fleet_telemetry_errors', method: 'GET', path: `${V}/fleet_telemetry_errors` },
  {
    tool: 'partner_fleet_telemetry_errors',
    method: 'GET',
    path: '/api/1/partner_accounts/fleet_telemetry_errors',
    query: { domain: 'example.com' },
    partner: true,
  },
  {
    tool: 'fleet_telemetry_error_vins',
    method: 'GET',
    path: '/api/1/partner_accounts/fleet_telemetry_error_vins',
    partner: true,
  },
  {
    tool: 'public_key',
    args: { domain: 'Example.COM' },
    method: 'GET',
    path: '/api/1/partner_accounts/public_key',
    query: { domain: 'example.com' },
    partner: true,
  },
];

/** Tools whose input has a `vin` get the test VIN. */
const TAKES_VIN =
  /^(vehicle|mobile|nearby|release|service|recent|options|specs|warranty|eligible|charging_sessions|drivers|share_invites(_create|_revoke)?$|fleet_telemetry_(config_get|config_delete|errors$))/;

const defined = (q: unknown) =>
  Object.fromEntries(Object.entries(q ?? {}).filter(([, v]) => v !== undefined));

describe('each tool sends its request through src/fleet/api', () => {
  for (const row of ROWS) {
    // The token holds exactly the scopes the tool declares: an endpoint that checks for more
    // (the two lists drifting apart) fails here with missing_scope.
    const declared = ALL_TOOLS.find((t) => t.name === row.tool)?.scopes;
    it(`${row.tool} (token scopes: ${declared?.join(', ') || 'none'})`, async () => {
      assert.ok(declared, `${row.tool} is a tool`);
      const { deps, rec } = fakeDeps({
        answers: { 'GET /api/1/dx/charging/invoice/inv-1': new TextEncoder().encode('%PDF-1.7') },
        scopes: declared,
      });
      const { client, close } = await connect({ ...deps, ...row.deps }, ALL);
      const args = { ...(TAKES_VIN.test(row.tool) ? { vin: VIN } : {}), ...row.args };
      const r = (await client.callTool({ name: row.tool, arguments: args })) as Result;
      await close();
      assert.equal(r.isError, undefined, r.content[0]?.text);
      assert.equal(rec.requests.length, 1, JSON.stringify(rec.requests));
      const [req] = rec.requests;
      assert.equal(req?.method, row.method);
      assert.equal(req?.path, row.path);
      assert.deepEqual(defined(req?.query), row.query ?? {});
      assert.deepEqual(req?.body, row.body);
      assert.equal(req?.partner, row.partner);
    });
  }
});

describe('scope checks of src/fleet/api apply to the tools', () => {
  it('vehicle_data with location_data and no vehicle_location scope: missing_scope, no request', async () => {
    const { deps, rec } = fakeDeps({ scopes: ['vehicle_device_data'] });
    const { client, close } = await connect(deps, ALL);
    const r = (await client.callTool({
      name: 'vehicle_data',
      arguments: { vin: VIN, endpoints: ['charge_state', 'location_data'] },
    })) as Result;
    await close();
    assert.equal(r.isError, true);
    assert.equal(errorCode(r), 'missing_scope');
    assert.match(r.content[0]?.text ?? '', /vehicle_location.*tesla-mcp login/);
    assert.deepEqual(rec.requests, []);
  });

  it('vehicle_data asks for location_data once the scope is granted, and only on request', async () => {
    const { deps, rec } = fakeDeps({ scopes: ['vehicle_device_data', 'vehicle_location'] });
    const { client, close } = await connect(deps, ALL);
    const asked = (await client.callTool({
      name: 'vehicle_data',
      arguments: { vin: VIN, endpoints: ['location_data'] },
    })) as Result;
    const plain = (await client.callTool({
      name: 'vehicle_data',
      arguments: { vin: VIN },
    })) as Result;
    await close();
    assert.equal(asked.isError, undefined, asked.content[0]?.text);
    assert.equal(plain.isError, undefined, plain.content[0]?.text);
    assert.deepEqual(
      rec.requests.map((q) => (q.query as { endpoints?: string }).endpoints),
      [
        'location_data',
        'charge_state;climate_state;drive_state;gui_settings;vehicle_config;vehicle_state',
      ],
    );
  });

  it('vehicle_data without vehicle_device_data: missing_scope, no request', async () => {
    const { deps, rec } = fakeDeps({ scopes: ['vehicle_cmds'] });
    const { client, close } = await connect(deps, ALL);
    const r = (await client.callTool({ name: 'vehicle_data', arguments: { vin: VIN } })) as Result;
    await close();
    assert.equal(errorCode(r), 'missing_scope');
    assert.deepEqual(rec.requests, []);
  });

  it('energy reads and writes need their scopes before any request', async () => {
    const { deps, rec } = fakeDeps({ scopes: ['energy_device_data'] });
    const { client, close } = await connect(deps, ALL);
    const read = (await client.callTool({
      name: 'live_status',
      arguments: { energy_site_id: '42' },
    })) as Result;
    const write = (await client.callTool({
      name: 'storm_mode',
      arguments: { energy_site_id: '42', enabled: true },
    })) as Result;
    await close();
    assert.equal(read.isError, undefined, read.content[0]?.text);
    assert.equal(errorCode(write), 'missing_scope');
    assert.match(write.content[0]?.text ?? '', /energy_cmds/);
    assert.deepEqual(
      rec.requests.map((q) => q.path),
      [`${SITE}/live_status`],
    );
  });
});

describe('results that src/fleet/api shapes', () => {
  it('charging_invoice describes the PDF Tesla returns instead of parsing it as JSON', async () => {
    const pdf = new TextEncoder().encode('%PDF-1.7 fake invoice');
    const { deps } = fakeDeps({ answers: { 'GET /api/1/dx/charging/invoice/inv-1': pdf } });
    const { client, close } = await connect(deps, ALL);
    const r = (await client.callTool({
      name: 'charging_invoice',
      arguments: { id: 'inv-1' },
    })) as Result;
    await close();
    assert.deepEqual(r.structuredContent, {
      id: 'inv-1',
      content_type: 'application/pdf',
      size_bytes: pdf.byteLength,
    });
    // The bytes themselves: an embedded resource with the PDF as a base64 blob.
    const res = (r.content as { type: string; resource?: Record<string, string> }[]).find(
      (c) => c.type === 'resource',
    )?.resource;
    assert.equal(res?.mimeType, 'application/pdf');
    assert.equal(res?.uri, 'tesla://charging/invoice/inv-1');
    assert.deepEqual(Buffer.from(res?.blob ?? '', 'base64'), Buffer.from(pdf));
  });

  it('bad input to an endpoint is refused before any request', async () => {
    const { deps, rec } = fakeDeps();
    const { client, close } = await connect(deps, ALL);
    const r = (await client.callTool({
      name: 'charging_history',
      arguments: { vin: 'not-a-vin' },
    })) as Result;
    await close();
    assert.equal(errorCode(r), 'invalid_argument');
    assert.deepEqual(rec.requests, []);
  });
});
