/**
 * Results that are true, end to end: `tesla-mcp serve` over stdio against `tesla-mcp sim` in
 * another process. A command whose target state already holds is a success with
 * `changed: false` (signed and REST).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SIM_VINS } from '../../src/sim/index.js';
import {
  connectStdio,
  type McpSession,
  serveEnv,
  type ToolResult,
} from '../helpers/mcp-process.js';
import { type SimProcess, startSimProcess } from '../helpers/sim-process.js';

const text = (r: ToolResult) => r.content.map((c) => c.text ?? '').join('\n');

function ok(r: ToolResult): Record<string, unknown> {
  assert.equal(r.isError, undefined, text(r));
  return r.structuredContent ?? {};
}

describe('true results against `tesla-mcp sim` in another process', () => {
  let dir = '';
  let sim: SimProcess | undefined;
  let s: McpSession | undefined;
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    assert.ok(s);
    return s.call(name, args);
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-results-e2e-'));
    sim = await startSimProcess();
    const keyFile = join(dir, 'private-key.pem');
    await writeFile(keyFile, sim.key.toPem('pkcs8'), { mode: 0o600 });
    s = await connectStdio({
      ...serveEnv({ dir, fleetUrl: sim.url, token: sim.token, keyFile }),
      // The simulator's developer app, as `tesla-mcp sim` prints it: partner tokens (specs).
      TESLA_CLIENT_ID: sim.clientId,
      TESLA_CLIENT_SECRET: sim.clientSecret,
    });
  });
  after(async () => {
    await s?.close();
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('the same charge limit twice: signed, the second is changed: false with a sentence', async () => {
    const vin = SIM_VINS.modern;
    ok(await call('set_charge_limit', { vin, percent: 79 }));
    const first = ok(await call('set_charge_limit', { vin, percent: 80 }));
    assert.equal(first.changed, true);
    const second = ok(await call('set_charge_limit', { vin, percent: 80 }));
    assert.equal(second.changed, false);
    assert.equal(second.message, 'charge limit was already 80%');
    assert.equal(second.via, 'signed');
  });

  it('charging amps above the maximum from the last vehicle_data: the value that applies', async () => {
    const vin = SIM_VINS.modern;
    const data = ok(await call('vehicle_data', { vin, endpoints: ['charge_state'] }));
    const max = (data.charge_state as { charge_current_request_max?: number })
      .charge_current_request_max;
    assert.equal(typeof max, 'number');
    const r = ok(await call('set_charging_amps', { vin, charging_amps: (max ?? 0) + 8 }));
    assert.deepEqual(r.applied, { charging_amps: max });
  });

  it('charging_invoice: the PDF as an embedded resource, over stdio', async () => {
    // An id in the simulator's format (src/sim/routes-account.ts `invoiceId`).
    const id = 'sim-invoice-900001';
    const r = await call('charging_invoice', { id });
    assert.equal(r.isError, undefined, text(r));
    const res = (
      r.content as { type: string; resource?: { mimeType: string; blob: string } }[]
    ).find((c) => c.type === 'resource')?.resource;
    assert.equal(res?.mimeType, 'application/pdf');
    assert.equal(
      Buffer.from(res?.blob ?? '', 'base64')
        .subarray(0, 5)
        .toString('latin1'),
      '%PDF-',
    );
  });

  it('specs: a partner token from the simulator app (its own token endpoint), then the answer', async () => {
    assert.ok(sim?.clientId && sim.clientSecret, sim?.output());
    const r = ok(await call('specs', { vin: SIM_VINS.modern }));
    assert.equal(r.vin, SIM_VINS.modern);
    assert.equal(typeof r.model, 'string');
    // The partner token and the app's secret stay out of the answer and the server's log.
    const out = `${JSON.stringify(r)}\n${s?.output() ?? ''}`;
    assert.ok(!out.includes(sim.clientSecret), 'the client secret leaked');
  });

  it('fleet_status without vins covers every vehicle on the account', async () => {
    const r = ok(await call('fleet_status'));
    for (const vin of Object.values(SIM_VINS)) assert.ok(JSON.stringify(r).includes(vin), vin);
  });

  it('the legacy car over REST: charge_stop while not charging is changed: false', async () => {
    const vin = SIM_VINS.legacy;
    ok(await call('wake_up', { vin, wait_seconds: 30 }));
    const r = ok(await call('charge_stop', { vin }));
    assert.equal(r.via, 'rest');
    assert.equal(r.changed, false);
    assert.equal(r.message, 'the car was not charging');
  });
});
