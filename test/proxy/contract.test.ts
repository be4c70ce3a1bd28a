/**
 * The `tesla-http-proxy` contract (vehicle-command `pkg/proxy/proxy.go`, `pkg/proxy/command.go`,
 * `cmd/tesla-jws`) against the simulator: routes, Go
 * error bodies, pass-through, telemetry config, and the parameter errors of
 * `test-vectors/proxy.json` (TestExtractCommandAction).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { command, type Harness, harness, UNPAIRED, VIN } from '../helpers/proxy-harness.js';

interface VectorCase {
  command: string;
  params: Record<string, unknown> | null;
  error: string;
  body?: string;
}
const vectors = JSON.parse(
  readFileSync(new URL('../../test-vectors/proxy.json', import.meta.url), 'utf8'),
) as { vectors: { expected: { cases: VectorCase[] } }[] };

describe('proxy routes and Go bodies', () => {
  let h: Harness;
  before(async () => {
    h = await harness();
  });
  after(() => h.close());

  it('GET /health answers OK without a token; other methods 405', async () => {
    const ok = await h.call('/health', { token: null });
    assert.equal(ok.status, 200);
    assert.equal(ok.text, 'OK');
    assert.equal((await h.call('/health', { method: 'POST', token: null })).status, 405);
  });

  it('a request without a bearer token gets the Go 403 body', async () => {
    const res = await h.call(`/api/1/vehicles/${VIN}/command/door_lock`, {
      method: 'POST',
      token: null,
    });
    assert.equal(res.status, 403);
    assert.equal(
      res.text.trim(),
      '{"response":null,"error":"client did not provide an OAuth token","error_description":""}',
    );
  });

  it('a VIN that is not 17 characters gets the Go 404 body', async () => {
    const res = await h.call('/api/1/vehicles/1492931520123456/command/door_lock', {
      method: 'POST',
    });
    assert.equal(res.status, 404);
    assert.deepEqual(res.json, {
      response: null,
      error: 'expected 17-character VIN in path (do not user Fleet API ID)',
      error_description: '',
    });
  });

  it('methods other than POST on a command get 405', async () => {
    const res = await h.call(`/api/1/vehicles/${VIN}/command/door_lock`, { method: 'GET' });
    assert.equal(res.status, 405);
  });

  it('TestExtractCommandAction cases: the Go errors and bodies', async () => {
    const cases = vectors.vectors[0]?.expected.cases ?? [];
    assert.equal(cases.length, 3);
    for (const c of cases) {
      const res = await command(h, c.command, c.params);
      assert.equal(res.status, 400, c.command);
      if (c.body) assert.equal(res.text.trim(), c.body);
      else if (c.error === 'ErrCommandNotImplemented') {
        // On purpose unlike the Go proxy: we sign remote_boombox with the extension module
        // (proto-ext/), so its case without a `sound` is a parameter error, still a 400.
        assert.equal(c.command, 'remote_boombox');
        assert.deepEqual(res.json, {
          response: { result: false, reason: 'missing sound param' },
          error: '',
          error_description: '',
        });
      } else {
        const reason = c.error.replace(/^NominalError: /, '');
        assert.deepEqual(res.json, {
          response: { result: false, reason },
          error: '',
          error_description: '',
        });
      }
    }
  });

  it('parameter errors use the Go reasons and send nothing', async () => {
    const before = h.count('POST signed_command');
    const cases: [string, unknown, string][] = [
      ['set_charge_limit', {}, 'missing percent param'],
      ['set_charge_limit', { percent: '80' }, 'invalid percent param'],
      ['set_sentry_mode', { on: 1 }, 'invalid on param'],
      ['actuate_trunk', {}, 'invalid_value'],
      ['window_control', { command: 'open' }, "command must be 'vent' or 'close'"],
    ];
    for (const [name, params, reason] of cases) {
      const res = await command(h, name, params);
      assert.equal(res.status, 400, name);
      assert.deepEqual(res.json, {
        response: { result: false, reason },
        error: '',
        error_description: '',
      });
    }
    assert.equal(h.count('POST signed_command'), before);
  });

  it('a body that is not a JSON object is a 400, not a crash', async () => {
    const res = await command(h, 'door_lock', '[1,2]');
    assert.equal(res.status, 400);
    assert.equal((await command(h, 'door_lock', '{oops')).status, 400);
  });

  it('passes a data endpoint through with method, query and token intact', async () => {
    const res = await h.call(`/api/1/vehicles/${VIN}/vehicle_data?endpoints=charge_state`);
    assert.equal(res.status, 200);
    const r = (res.json as { response: Record<string, unknown> }).response;
    assert.ok(r.charge_state, 'charge_state present');
    assert.equal(r.climate_state, undefined, 'the query was forwarded');
    const list = await h.call('/api/1/vehicles');
    assert.equal((list.json as { count: number }).count, 3);
  });

  it('passes a POST body through and Tesla errors back verbatim', async () => {
    const status = await h.call('/api/1/vehicles/fleet_status', { body: { vins: [VIN] } });
    assert.equal(status.status, 200);
    const r = (status.json as { response: { key_paired_vins: string[] } }).response;
    assert.deepEqual(r.key_paired_vins, [VIN]);
    const missing = await h.call('/api/1/vehicles/NOSUCHVIN00000000/vehicle_data');
    assert.equal(missing.status, 404);
    assert.equal((missing.json as { error: string }).error, 'not_found');
    const bad = await h.call('/api/1/vehicles', { token: 'not-the-sim-token' });
    assert.equal(bad.status, 401, "the caller's own token is what Tesla sees");
  });

  it('signs the telemetry config as JWS with our key and sends it to _jws', async () => {
    const config = { hostname: 'telemetry.example.com', port: 4443, aud: 'ignored', fields: {} };
    const res = await h.call('/api/1/vehicles/fleet_telemetry_config', {
      body: { vins: [VIN, UNPAIRED], config },
    });
    assert.equal(res.status, 200, res.text);
    const r = (res.json as { response: Record<string, unknown> }).response;
    assert.equal(r.updated_vehicles, 1);
    const stored = h.sim.fleet.telemetryConfigs.get(VIN);
    assert.equal(stored?.hostname, 'telemetry.example.com');
    assert.equal(stored?.aud, 'com.tesla.fleet.TelemetryClient');
    assert.equal(stored?.iss, Buffer.from(h.key.publicKey).toString('base64'));
    const bad = await h.call('/api/1/vehicles/fleet_telemetry_config', { body: { vins: [] } });
    assert.equal(bad.status, 400);
  });
});
