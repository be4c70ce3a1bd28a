import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TokenManager } from '../../src/fleet/auth.js';
import { baseUrlFrom421, errorFromResponse, retryAfterFrom } from '../../src/fleet/classify.js';
import { FleetClient } from '../../src/fleet/client.js';
import { FleetApiError, type FleetErrorCode } from '../../src/fleet/errors.js';
import { FleetHttpError } from '../../src/vehicle/transport.js';
import { fakeFleet, fakeJwt, VIN } from '../helpers/fleet-mock.js';

interface Case {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  code: FleetErrorCode;
  next: RegExp;
  may?: boolean;
  retryable?: boolean;
}

const CASES: Case[] = [
  { status: 401, body: { error: 'invalid_token' }, code: 'unauthorized', next: /tesla-mcp login/ },
  { status: 402, code: 'payment_required', next: /billing/ },
  {
    status: 403,
    body: { error: 'Unauthorized missing scopes' },
    code: 'missing_scope',
    next: /login.*grant/,
  },
  {
    status: 403,
    body: { error: 'Tesla Vehicle Command Protocol required, please refer to the documentation' },
    code: 'protocol_required',
    next: /signed/,
  },
  { status: 403, body: { error: 'forbidden' }, code: 'forbidden', next: /owner or driver/ },
  { status: 404, body: { error: 'not_found' }, code: 'not_found', next: /check the VIN/ },
  {
    status: 408,
    body: { error: 'vehicle is offline or asleep' },
    code: 'asleep',
    next: /call wake_up, then retry/,
    retryable: true,
  },
  {
    status: 412,
    body: { error: 'Unregistered account' },
    code: 'not_registered',
    next: /register --domain example\.com/,
  },
  {
    status: 421,
    body: { error: 'use base URL: https://fleet-api.prd.eu.vn.cloud.tesla.com' },
    code: 'region',
    next: /use https:\/\/fleet-api\.prd\.eu/,
    retryable: true,
  },
  {
    status: 422,
    body: { error: 'vehicle does not support protocol' },
    code: 'protocol_not_supported',
    next: /REST/,
  },
  { status: 423, body: { error: 'account_locked' }, code: 'locked', next: /unlock/ },
  {
    status: 429,
    headers: { 'retry-after': '42' },
    code: 'rate_limited',
    next: /retry after 42 s/,
    retryable: true,
  },
  { status: 451, code: 'legal', next: /region|consent/ },
  {
    status: 500,
    body: { error: 'internal_error' },
    code: 'server_error',
    next: /may have run/,
    may: true,
  },
  {
    status: 503,
    body: { error: 'vehicle is not available' },
    code: 'asleep',
    next: /wake_up/,
    may: false,
    retryable: true,
  },
  {
    status: 503,
    body: { error: 'service_unavailable' },
    code: 'unavailable',
    next: /retry in a minute/,
    may: false,
    retryable: true,
  },
  {
    status: 540,
    body: { error: 'device_unexpected_response' },
    code: 'vehicle_error',
    next: /reboot/,
    may: true,
  },
  { status: 504, code: 'server_error', next: /may have run/, may: true },
  {
    status: 400,
    body: { error: 'invalid_command' },
    code: 'http_error',
    next: /check the request/,
  },
];

for (const c of CASES) {
  test(`HTTP ${c.status} ${JSON.stringify(c.body ?? '')} → ${c.code} over the wire`, async () => {
    const { agent } = fakeFleet(() => ({
      status: c.status,
      body: c.body,
      headers: c.headers ?? {},
    }));
    const client = new FleetClient({
      tokens: new TokenManager({ fixedToken: fakeJwt({}) }),
      dispatcher: agent,
      appDomain: 'example.com',
    });
    // A POST, so 5xx answers exercise "may have executed".
    await assert.rejects(client.restCommand(VIN, 'flash_lights', {}), (e: unknown) => {
      assert.ok(e instanceof FleetApiError, 'a FleetApiError');
      assert.ok(e instanceof FleetHttpError, 'and a FleetHttpError for the vehicle layer');
      assert.equal(e.status, c.status);
      assert.equal(e.code, c.code);
      assert.match(e.message, /^fleet: /);
      assert.match(e.message, c.next);
      assert.equal(e.mayHaveExecuted, c.may ?? false);
      assert.equal(e.retryable, c.retryable ?? false);
      return true;
    });
  });
}

test('a 5xx answer to a GET did not execute anything and may be retried', () => {
  const e = errorFromResponse({
    status: 500,
    body: undefined,
    text: '',
    headers: {},
    method: 'GET',
    mutating: false,
  });
  assert.equal(e.mayHaveExecuted, false);
  assert.equal(e.retryable, true);
});

test('error messages name the VIN but never echo a token found in a body', () => {
  const jwt = fakeJwt({ sub: 'x' });
  const e = errorFromResponse({
    status: 403,
    body: { error: `bad token ${jwt}`, error_description: 'Bearer abcdefghijklmnop' },
    text: '',
    headers: {},
    method: 'GET',
    mutating: false,
    vin: VIN,
  });
  assert.ok(!e.message.includes(jwt));
  assert.ok(!e.message.includes('abcdefghijklmnop'));
  assert.match(e.message, new RegExp(VIN));
});

test('retryAfterFrom reads seconds, HTTP dates and RateLimit-Reset', () => {
  assert.equal(retryAfterFrom({ 'retry-after': '37829' }), 37829);
  const now = Date.parse('2026-01-01T00:00:00Z');
  assert.equal(retryAfterFrom({ 'retry-after': 'Thu, 01 Jan 2026 00:01:00 GMT' }, now), 60);
  assert.equal(retryAfterFrom({ 'ratelimit-reset': '120' }), 120);
  assert.equal(retryAfterFrom({ 'ratelimit-reset': String(now / 1000 + 30) }, now), 30);
  assert.equal(retryAfterFrom({}), undefined);
});

test('retryAfterFrom rounds fractions up and reads header names in any case', () => {
  assert.equal(retryAfterFrom({ 'Retry-After': '1.5' }), 2);
  assert.equal(retryAfterFrom({ 'RateLimit-Reset': '7' }), 7);
  assert.equal(retryAfterFrom({ 'retry-after': 'soon' }), undefined);
});

test('baseUrlFrom421 reads the body text or an Alt-Svc header', () => {
  assert.equal(
    baseUrlFrom421(
      'user out of region, use base URL: https://fleet-api.prd.eu.vn.cloud.tesla.com, see',
    ),
    'https://fleet-api.prd.eu.vn.cloud.tesla.com',
  );
  assert.equal(
    baseUrlFrom421('', 'h2=https://fleet-api.prd.cn.vn.cloud.tesla.cn'),
    'https://fleet-api.prd.cn.vn.cloud.tesla.cn',
  );
  assert.equal(baseUrlFrom421('nothing'), undefined);
});

test('a 404 says whether the endpoint, the vehicle or an id was not found', () => {
  const at = (path: string, body: unknown, text = '') =>
    errorFromResponse({
      status: 404,
      body,
      text,
      headers: {},
      method: 'GET',
      mutating: false,
      path,
      vin: path.match(/[A-HJ-NPR-Z0-9]{17}/)?.[0],
    });
  const endpoint = at(`/api/1/vehicles/${VIN}/nope`, {
    error: 'not_found',
    error_description: `no such endpoint: GET /api/1/vehicles/${VIN}/nope`,
  });
  assert.equal(endpoint.notFound, 'endpoint');
  assert.match(endpoint.message, /no endpoint GET \/api\/1\/vehicles\/.*\/nope/);
  const html = at('/api/1/dx/gone', undefined, '<html>Not Found</html>');
  assert.equal(html.notFound, 'endpoint');
  const vehicle = at(`/api/1/vehicles/${VIN}/vehicle_data`, { error: 'not_found' });
  assert.equal(vehicle.notFound, 'vehicle');
  assert.match(vehicle.message, new RegExp(`vehicle ${VIN} was not found on this account`));
  const id = at('/api/1/dx/charging/invoice/abc-123', {
    error: 'not_found',
    error_description: 'invoice not found',
  });
  assert.equal(id.notFound, 'id');
  assert.match(id.message, /the id in GET \/api\/1\/dx\/charging\/invoice\/abc-123 was not found/);
});
