import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  CLIMATE_ON,
  carServerReason,
  handshake,
  LOCK,
  type Send,
  signedCall,
  UNLOCK,
} from '../helpers/sim-client.js';
import { type SimProcess, startSimProcess } from '../helpers/sim-process.js';

type Json = Record<string, unknown> & { response: unknown };

describe('tesla-mcp sim over HTTP (separate process)', () => {
  let sim: SimProcess;
  const api = async (method: string, path: string, body?: unknown, token = sim.token) => {
    const res = await fetch(`${sim.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, headers: res.headers, body: (await res.json()) as Json };
  };
  const send: Send = async (vin, bytes) => {
    const r = await api('POST', `/api/1/vehicles/${vin}/signed_command`, {
      routable_message: Buffer.from(bytes).toString('base64'),
    });
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return Uint8Array.from(Buffer.from(String(r.body.response), 'base64'));
  };

  before(async () => {
    sim = await startSimProcess();
  });
  after(async () => {
    await sim?.stop();
  });

  it('prints a loopback URL, a Tesla-shaped JWT and three VINs', () => {
    assert.match(sim.url, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(sim.vins.length, 3);
    const claims = JSON.parse(Buffer.from(sim.token.split('.')[1] ?? '', 'base64url').toString());
    assert.equal(claims.ou_code, 'NA');
    assert.ok(claims.scp.includes('vehicle_cmds'));
    assert.ok(Array.isArray(claims.aud));
    assert.doesNotMatch(sim.output(), /BEGIN .*PRIVATE KEY/);
  });

  it('checks the bearer token and lists vehicles with "simulated": true', async () => {
    assert.equal((await api('GET', '/api/1/vehicles', undefined, 'wrong')).status, 401);
    const r = await api('GET', '/api/1/vehicles');
    assert.equal(r.status, 200);
    assert.equal(r.body.simulated, true);
    assert.deepEqual(
      (r.body.response as { vin: string }[]).map((v) => v.vin),
      sim.vins,
    );
  });

  it('one signed command per domain changes the car, as vehicle_data shows', async () => {
    const [modern = ''] = sim.vins;
    const vcsec = await handshake(send, sim.key, modern, 2, Date.now());
    await signedCall(send, vcsec, UNLOCK, Date.now());
    const info = await handshake(send, sim.key, modern, 3, Date.now());
    const reply = carServerReason(await signedCall(send, info, CLIMATE_ON, Date.now()));
    assert.deepEqual(reply, { ok: true, reason: '' });
    const d = await api('GET', `/api/1/vehicles/${modern}/vehicle_data`);
    const res = d.body.response as {
      vehicle_state: { locked: boolean };
      climate_state: { is_climate_on: boolean };
    };
    assert.equal(res.vehicle_state.locked, false);
    assert.equal(res.climate_state.is_climate_on, true);
    await signedCall(send, vcsec, LOCK, Date.now());
  });

  it('legacy car: 422 on signed_command; wake it, then REST commands work', async () => {
    const legacy = sim.vins[1] ?? '';
    const signed = await api('POST', `/api/1/vehicles/${legacy}/signed_command`, {
      routable_message: 'AA==',
    });
    assert.equal(signed.status, 422);
    assert.equal(
      (await api('GET', `/api/1/vehicles/${legacy}`)).body.response instanceof Object,
      true,
    );
    const asleep = await api('POST', `/api/1/vehicles/${legacy}/command/door_unlock`, {});
    assert.equal(asleep.status, 408);
    const wake = await api('POST', `/api/1/vehicles/${legacy}/wake_up`);
    assert.equal(wake.status, 200);
    assert.equal((wake.body.response as { state: string }).state, 'asleep');
  });

  it('the car whose key is not paired answers the handshake with "not paired"', async () => {
    const unpaired = sim.vins[2] ?? '';
    await assert.rejects(
      () => handshake(send, sim.key, unpaired, 3, Date.now()),
      (e: unknown) => e instanceof Error && 'code' in e && e.code === 'key-not-paired',
    );
    const fs = await api('POST', '/api/1/vehicles/fleet_status', { vins: [unpaired] });
    assert.deepEqual((fs.body.response as { unpaired_vins: string[] }).unpaired_vins, [unpaired]);
  });

  it('rate limits wakes at 3 per minute with 429 and Retry-After', async () => {
    const modern = sim.vins[0] ?? '';
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 4; i++) {
      const r = await api('POST', `/api/1/vehicles/${modern}/wake_up`);
      statuses.push(r.status);
      retryAfter = r.headers.get('retry-after');
    }
    assert.deepEqual(statuses, [200, 200, 200, 429]);
    assert.match(retryAfter ?? '', /^\d+$/);
  });

  it('serves the status page and its JSON without the token', async () => {
    const page = await fetch(`${sim.url}/`);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /simulated/);
    const s = (await (await fetch(`${sim.url}/sim/status.json`)).json()) as Record<string, unknown>;
    assert.equal(s.simulated, true);
    assert.doesNotMatch(JSON.stringify(s), new RegExp(sim.token.slice(-20)));
  });
});
