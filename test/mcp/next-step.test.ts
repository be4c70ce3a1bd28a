/**
 * Errors name the tool the model should call next (`structuredContent.error.nextTool` and the
 * "Next:" sentence), with the terminal command only as the human's hint; errors no tool can fix
 * say who must act and where (partner credentials: TESLA_CLIENT_ID / TESLA_CLIENT_SECRET).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { PartnerCredentialsError } from '../../src/fleet/auth.js';
import { errorFromResponse } from '../../src/fleet/classify.js';
import { ScopeError } from '../../src/fleet/errors.js';
import { toToolError } from '../../src/mcp/tool.js';
import { fromHttpError, VehicleCommandError } from '../../src/vehicle/errors.js';
import { notPairedError } from '../../src/vehicle/pairing.js';
import { FleetHttpError } from '../../src/vehicle/transport.js';

const VIN = '5YJ3E1EA7JF000001';

function result(err: unknown): { text: string; error: Record<string, unknown> } {
  const r = toToolError(err);
  return {
    text: r.content.map((c) => (c.type === 'text' ? c.text : '')).join(''),
    error: (r.structuredContent?.error ?? {}) as Record<string, unknown>,
  };
}

describe('the next step names a tool', () => {
  test('not paired: get_pairing_link, the CLI only as a hint', () => {
    const r = result(notPairedError(VIN, new Uint8Array(65).fill(4), undefined));
    assert.equal(r.error.nextTool, 'get_pairing_link');
    assert.match(r.text, /Next: call get_pairing_link/);
    assert.match(r.text, /for a human at a terminal: `tesla-mcp pair`/);
    assert.doesNotMatch(r.text, /: run `tesla-mcp pair`/);
  });

  test('asleep: wake_up; token refused and missing scope: get_login_link with relogin', () => {
    const asleep = result(
      new VehicleCommandError('asleep', `vehicle ${VIN} is asleep: call wake_up, then retry`, {
        vin: VIN,
      }),
    );
    assert.equal(asleep.error.nextTool, 'wake_up');
    const refused = result(
      errorFromResponse({
        status: 401,
        body: { error: 'invalid_token' },
        text: '',
        headers: {},
        method: 'GET',
        mutating: false,
      }),
    );
    assert.equal(refused.error.nextTool, 'get_login_link');
    assert.match(refused.text, /relogin: true/);
    const scope = result(new ScopeError(['vehicle_cmds']));
    assert.equal(scope.error.nextTool, 'get_login_link');
    assert.match(scope.text, /vehicle_cmds/);
  });

  test('a 404 for the VIN points at list_vehicles; for an endpoint, at no retry', () => {
    const base = { text: '', headers: {}, method: 'GET', mutating: false } as const;
    const vehicle = result(
      errorFromResponse({
        ...base,
        status: 404,
        body: { error: 'not_found' },
        vin: VIN,
        path: `/api/1/vehicles/${VIN}/vehicle_data`,
      }),
    );
    assert.equal(vehicle.error.nextTool, 'list_vehicles');
    assert.equal(vehicle.error.notFound, 'vehicle');
    const endpoint = result(
      errorFromResponse({
        ...base,
        status: 404,
        body: { error: 'not_found', error_description: 'no such endpoint: GET /api/1/x' },
        path: '/api/1/x',
      }),
    );
    assert.equal(endpoint.error.nextTool, undefined);
    assert.equal(endpoint.error.notFound, 'endpoint');
    assert.match(endpoint.text, /do not retry/);
  });

  test('a car that takes only signed commands (403): get_pairing_link, the CLI only as a hint', () => {
    const r = result(
      errorFromResponse({
        status: 403,
        body: { error: 'unsigned_cmds_hardlocked' },
        text: '',
        headers: {},
        method: 'POST',
        mutating: true,
        vin: VIN,
      }),
    );
    assert.equal(r.error.code, 'protocol_required');
    assert.equal(r.error.nextTool, 'get_pairing_link');
    assert.match(
      r.text,
      /Next: .*call get_pairing_link.*\(for a human at a terminal: `tesla-mcp pair`\)/,
    );
    assert.doesNotMatch(r.text, /: run `/);
  });

  test('not registered (412): no tool, the operator must act; the command only as their hint', () => {
    const base = { text: '', headers: {}, method: 'GET', mutating: false } as const;
    for (const err of [
      errorFromResponse({ ...base, status: 412, body: {}, appDomain: 'example.com' }),
      fromHttpError(new FleetHttpError({ status: 412 }), VIN),
    ]) {
      const r = result(err);
      assert.equal(r.error.code, 'not_registered');
      assert.equal(r.error.nextTool, undefined);
      assert.match(r.text, /no tool can fix this: ask the operator/);
      assert.match(r.text, /\(in a terminal: `tesla-mcp register --domain <app domain>`\)/);
      assert.doesNotMatch(r.text, /: run `/);
    }
  });

  test('a scope error keeps the revoke-consent link for the human, without the run advice', () => {
    const r = result(new ScopeError(['vehicle_location'], 'my-app'));
    assert.equal(r.error.nextTool, 'get_login_link');
    assert.match(r.text, /revoke_client_id=my-app/);
    assert.doesNotMatch(r.text, /: run `/);
  });

  test('missing partner credentials say where to set them, and no tool is offered', () => {
    const r = result(new PartnerCredentialsError());
    assert.equal(r.error.code, 'partner_credentials');
    assert.equal(r.error.nextTool, undefined);
    assert.match(r.text, /TESLA_CLIENT_ID and TESLA_CLIENT_SECRET/);
    assert.match(r.text, /developer\.tesla\.com/);
  });
});
