import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { createRuntime, type Runtime } from '../../src/mcp/runtime.js';
import { TOOLSET_NAMES } from '../../src/mcp/toolsets/index.js';
import { SIM_VINS, startSimulator } from '../../src/sim/index.js';
import { connect, fakeDeps, VIN } from '../helpers/fake-deps.js';

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

/** The tools that declare an `outputSchema`. */
const STRUCTURED = [
  'list_vehicles',
  'vehicle',
  'vehicle_data',
  'fleet_status',
  'get_billing_summary',
  'live_status',
];

describe('outputSchema: results validate (SDK client) against the simulator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-out-'));
  let runtime: Runtime;
  let client: Client;
  let close: () => Promise<void>;
  // The SDK client checks structuredContent against the listed outputSchema and throws on a
  // mismatch, so a call that resolves has validated.
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    (await client.callTool({ name, arguments: args })) as Result;

  before(async () => {
    runtime = await createRuntime({
      env: { TESLA_MCP_CONFIG_DIR: dir, TESLA_VIN: SIM_VINS.modern },
      simulator: true,
      startSimulator: (o) => startSimulator({ pairKeys: o.pairKeys, wakeDelayMs: 0 }),
      log: () => {},
      sleep: async () => {},
    });
    ({ client, close } = await connect(runtime.deps, { toolsets: TOOLSET_NAMES }));
    const { tools } = await client.listTools();
    const declared = tools.filter((t) => t.outputSchema).map((t) => t.name);
    assert.deepEqual(declared.sort(), [...STRUCTURED].sort());
  });
  after(async () => {
    await close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sc = (r: Result) => r.structuredContent ?? {};
  it('vehicle list, state, data (trimmed and full), fleet status, billing, energy', async () => {
    const list = await call('list_vehicles');
    assert.equal((sc(list).vehicles as unknown[]).length, 3);
    assert.equal((await call('vehicle')).structuredContent?.vin, SIM_VINS.modern);
    const data = await call('vehicle_data');
    assert.equal(typeof (sc(data).charge_state as Record<string, unknown>).battery_level, 'number');
    for (const endpoints of [['charge_state'], ['climate_state'], ['location_data']]) {
      const r = await call('vehicle_data', { endpoints });
      assert.equal(r.isError, undefined, r.content[0]?.text);
    }
    const full = await call('vehicle_data', { full: true });
    assert.ok('gui_settings' in (full.structuredContent ?? {}));
    const fs = await call('fleet_status', { vins: [SIM_VINS.modern, SIM_VINS.unpaired] });
    assert.deepEqual(fs.structuredContent?.unpaired_vins, [SIM_VINS.unpaired]);
    const products = await call('products');
    const site = (sc(products).products as { energy_site_id?: number }[]).find(
      (p) => p.energy_site_id !== undefined,
    );
    const live = await call('live_status', { energy_site_id: String(site?.energy_site_id) });
    assert.equal(typeof live.structuredContent?.percentage_charged, 'number');
    const bill = await call('get_billing_summary');
    assert.ok((sc(bill).totals as { data: number }).data > 0);
  });

  it('error results pass the same check (structuredContent is {error})', async () => {
    // The legacy car is asleep: vehicle_data answers an error, not a protocol failure.
    const r = await call('vehicle_data', { vin: SIM_VINS.legacy });
    assert.equal(r.isError, true);
    assert.equal((r.structuredContent?.error as { code?: string } | undefined)?.code, 'asleep');
    const bad = await call('vehicle', { vin: 'not-a-vin' });
    assert.equal(bad.isError, true);
  });
});

describe('outputSchema is enforced by the client', () => {
  it('a result of the wrong shape is rejected', async () => {
    const { deps } = fakeDeps({
      answers: { [`GET /api/1/vehicles/${VIN}`]: { vin: 42, state: 'online' } },
    });
    const { client, close } = await connect(deps);
    await client.listTools();
    await assert.rejects(
      client.callTool({ name: 'vehicle', arguments: { vin: VIN } }),
      /output schema|Structured content/,
    );
    await close();
  });
});
