/**
 * Results that are true, through the MCP SDK client against the in-process simulator: a command
 * whose target state already holds is a success with `changed: false` and a sentence, signed
 * (modern car) and REST (legacy car) alike.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createRuntime, type Runtime } from '../../src/mcp/runtime.js';
import { parseToolsets } from '../../src/mcp/server.js';
import { type RunningSimulator, SIM_VINS, startSimulator } from '../../src/sim/index.js';
import { invoiceId } from '../../src/sim/routes-account.js';
import { connect } from '../helpers/fake-deps.js';

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text?: string; resource?: Record<string, unknown> }[];
};

const text = (r: Result) => r.content.map((c) => c.text ?? '').join('\n');

function ok(r: Result): Record<string, unknown> {
  assert.equal(r.isError, undefined, text(r));
  return r.structuredContent ?? {};
}

describe('true results (MCP client, in-process simulator)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-results-'));
  let runtime: Runtime;
  let sim: RunningSimulator | undefined;
  let client: Client;
  let close: () => Promise<void>;
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as Result;

  before(async () => {
    runtime = await createRuntime({
      env: { TESLA_MCP_CONFIG_DIR: dir, TESLA_VIN: SIM_VINS.modern, TESLA_MCP_CONFIRM: 'never' },
      simulator: true,
      startSimulator: async (o) => {
        sim = await startSimulator({ pairKeys: o.pairKeys, wakeDelayMs: 0 });
        return sim;
      },
      log: () => {},
      sleep: async () => {},
    });
    ({ client, close } = await connect(runtime.deps, {
      toolsets: parseToolsets('all'),
      confirm: 'never',
    }));
  });
  after(async () => {
    await close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('set_charge_limit 80 twice: the second is changed: false, "charge limit was already 80%"', async () => {
    ok(await call('set_charge_limit', { percent: 75 }));
    const first = ok(await call('set_charge_limit', { percent: 80 }));
    assert.equal(first.changed, true);
    const second = ok(await call('set_charge_limit', { percent: 80 }));
    assert.equal(second.changed, false);
    assert.equal(second.message, 'charge limit was already 80%');
    assert.equal(second.reason, 'already_set');
    assert.equal(second.via, 'signed');
  });

  it('charge_stop while not charging, charge_start while charging: changed: false', async () => {
    const car = sim?.fleet.car(SIM_VINS.modern);
    assert.ok(car);
    car.state.chargingState = 'Stopped';
    car.state.batteryLevel = 50;
    const stop = ok(await call('charge_stop'));
    assert.equal(stop.changed, false);
    assert.equal(stop.message, 'the car was not charging');
    assert.equal(ok(await call('charge_start')).changed, true);
    const again = ok(await call('charge_start'));
    assert.equal(again.changed, false);
    assert.equal(again.message, 'the car was already charging');
  });

  it('a real refusal is still an error naming the reason', async () => {
    const car = sim?.fleet.car(SIM_VINS.modern);
    assert.ok(car);
    car.state.chargingState = 'Disconnected';
    const r = await call('charge_start');
    assert.equal(r.isError, true);
    assert.match(text(r), /disconnected/);
    car.state.chargingState = 'Stopped';
  });

  it('charging amps above the maximum of the model, before any vehicle_data: reported, nothing read', async () => {
    const car = sim?.fleet.car(SIM_VINS.modern);
    assert.ok(car);
    const before = car.state.chargeAmps;
    assert.equal(sim?.fleet.counter.snapshot().byEndpoint['GET vehicle_data'] ?? 0, 0);
    const r = ok(await call('set_charging_amps', { charging_amps: 60 }));
    // A Model 3 (the VIN's 4th character) takes at most 48 A; the simulator's car does too.
    assert.deepEqual(r.applied, { charging_amps: 48 });
    assert.match(String(r.message), /60 A is above .* 48 A .*onboard charger of a Model 3/);
    assert.equal(car.state.chargeAmps, 48);
    assert.equal(sim?.fleet.counter.snapshot().byEndpoint['GET vehicle_data'] ?? 0, 0, 'no read');
    car.state.chargeAmps = before;
  });

  it('charging amps above the maximum the last vehicle_data gave: reported with the value that applies', async () => {
    const car = sim?.fleet.car(SIM_VINS.modern);
    assert.ok(car);
    const max = car.state.chargeAmpsMax;
    ok(await call('vehicle_data', { endpoints: ['charge_state'] }));
    const reads = sim?.fleet.counter.snapshot().byEndpoint['GET vehicle_data'] ?? 0;
    const r = ok(await call('set_charging_amps', { charging_amps: max + 8 }));
    assert.deepEqual(r.applied, { charging_amps: max });
    assert.match(String(r.message), new RegExp(`charges at ${max} A`));
    assert.equal(car.state.chargeAmps, max);
    assert.equal(
      sim?.fleet.counter.snapshot().byEndpoint['GET vehicle_data'] ?? 0,
      reads,
      'no extra read',
    );
  });

  it('charging_history pages count from 1: page 1 holds the newest sessions, no gap or overlap', async () => {
    type Page = {
      data: { sessionId: number; chargeStartDateTime: string }[];
      hasMoreData: boolean;
    };
    const page = async (args: Record<string, unknown>) =>
      ok(await call('charging_history', args)) as unknown as Page;
    const all = (await page({})).data;
    assert.ok(all.length >= 4, `the simulator lists ${all.length} sessions`);
    const starts = all.map((s) => s.chargeStartDateTime);
    assert.deepEqual(starts, [...starts].sort().reverse(), 'newest first');
    const first = await page({ page: 1, page_size: 2 });
    const second = await page({ page: 2, page_size: 2 });
    assert.deepEqual(
      first.data.map((s) => s.sessionId),
      all.slice(0, 2).map((s) => s.sessionId),
      'page 1 is the newest two',
    );
    assert.deepEqual(
      second.data.map((s) => s.sessionId),
      all.slice(2, 4).map((s) => s.sessionId),
    );
    assert.equal(first.hasMoreData, true);
    const last = await page({ page: Math.ceil(all.length / 2), page_size: 2 });
    assert.equal(last.hasMoreData, false);
    assert.equal(last.data.at(-1)?.sessionId, all.at(-1)?.sessionId);
  });

  it('charging_invoice: the PDF from charging_history as an embedded resource', async () => {
    const car = sim?.fleet.car(SIM_VINS.modern);
    assert.ok(car);
    // The id charging_history lists for the car's latest session (src/sim/routes-account.ts).
    const id = invoiceId(900_000 + car.id * 10 + 1);
    const r = await call('charging_invoice', { id });
    assert.equal(r.isError, undefined, text(r));
    const res = r.content.find((c) => c.type === 'resource')?.resource as
      | { mimeType: string; blob: string }
      | undefined;
    assert.equal(res?.mimeType, 'application/pdf');
    const bytes = Buffer.from(res?.blob ?? '', 'base64');
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    assert.equal(r.structuredContent?.size_bytes, bytes.byteLength);
    const missing = await call('charging_invoice', { id: 'no-such-invoice' });
    assert.equal(missing.isError, true);
    assert.equal(
      (missing.structuredContent?.error as { notFound?: string } | undefined)?.notFound,
      'id',
    );
  });

  it('specs under --simulator: a partner token from the simulator app, never the user token', async () => {
    assert.ok(sim);
    const r = ok(await call('specs'));
    assert.equal(r.vin, SIM_VINS.modern);
    assert.equal(typeof r.model, 'string');
    // The simulator answers specs to the partner token only, as Tesla does; that token reads no
    // user data, and its token endpoint wants the app's own secret.
    const specsUrl = `${sim.url}/api/1/vehicles/${SIM_VINS.modern}/specs`;
    const asUser = await fetch(specsUrl, { headers: { authorization: `Bearer ${sim.token}` } });
    assert.equal(asUser.status, 401);
    const grant = (secret: string) =>
      fetch(sim?.partner.tokenUrl ?? '', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          grant_type: 'client_credentials',
          client_id: sim?.partner.clientId ?? '',
          client_secret: secret,
          audience: sim?.url ?? '',
        }).toString(),
      });
    assert.equal((await grant('not-the-secret')).status, 401);
    const issued = (await (await grant(sim.partner.clientSecret)).json()) as {
      access_token: string;
    };
    const partner = { authorization: `Bearer ${issued.access_token}` };
    assert.equal((await fetch(specsUrl, { headers: partner })).status, 200);
    assert.equal((await fetch(`${sim.url}/api/1/vehicles`, { headers: partner })).status, 401);
    // Nothing secret in the tool's answer.
    assert.ok(!JSON.stringify(r).includes(issued.access_token));
  });

  it('fleet_status without vins covers every vehicle on the account', async () => {
    const before = sim?.fleet.counter.snapshot().byEndpoint['GET vehicles'] ?? 0;
    const r = ok(await call('fleet_status'));
    const text = JSON.stringify(r);
    for (const vin of Object.values(SIM_VINS)) assert.ok(text.includes(vin), vin);
    assert.equal(
      (sim?.fleet.counter.snapshot().byEndpoint['GET vehicles'] ?? 0) - before,
      1,
      'one list call',
    );
  });

  it('fleet_telemetry_config_create under --simulator signs with the key the cars enrolled', async () => {
    const r = ok(
      await call('fleet_telemetry_config_create', {
        vins: [SIM_VINS.modern],
        hostname: 'telemetry.example.com',
        fields_json: JSON.stringify({ BatteryLevel: { interval_seconds: 60 } }),
      }),
    );
    assert.equal(JSON.stringify(r).includes('"updated_vehicles":1'), true, JSON.stringify(r));
    assert.ok(sim?.fleet.telemetryConfigs.has(SIM_VINS.modern));
  });

  it('the legacy car over REST: valet mode off when already off is changed: false', async () => {
    ok(await call('wake_up', { vin: SIM_VINS.legacy, wait_seconds: 5 }));
    const r = ok(await call('set_valet_mode', { vin: SIM_VINS.legacy, on: false }));
    assert.equal(r.via, 'rest');
    assert.equal(r.changed, false);
    assert.equal(r.message, 'valet mode was already off');
  });
});
