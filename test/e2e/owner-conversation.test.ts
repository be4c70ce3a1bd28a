/**
 * An owner's conversation end to end: `tesla-mcp serve` over stdio with the default toolsets
 * (not pinned) and the default confirmation mode, against `tesla-mcp sim` in another process.
 * What the model sees first (navigation and the pairing link in the default set, one step to the
 * rest through `enable_toolsets` and `notifications/tools/list_changed`), bad arguments refused
 * before any request, a no-op reported as a success, a wake that costs nothing for a car already
 * awake, and a gated command that runs only with its one-time token.
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ToolListChangedNotificationSchema } from '@modelcontextprotocol/sdk/types.js';
import { SIM_VINS } from '../../src/sim/index.js';
import {
  connectStdio,
  type McpSession,
  serveEnv,
  type ToolResult,
} from '../helpers/mcp-process.js';
import { type SimProcess, startSimProcess } from '../helpers/sim-process.js';

const { modern } = SIM_VINS;

const text = (r: ToolResult) => r.content.map((c) => c.text ?? '').join('\n');
const codeOf = (r: ToolResult) =>
  (r.structuredContent?.error as { code?: string } | undefined)?.code;

function ok(r: ToolResult): Record<string, unknown> {
  assert.equal(r.isError, undefined, text(r));
  return r.structuredContent ?? {};
}

interface Billable {
  data: number;
  commands: number;
  wakes: number;
}

describe('an owner conversation against `tesla-mcp sim` in another process', () => {
  let dir = '';
  let sim: SimProcess | undefined;
  let s: McpSession | undefined;
  let listChanged = 0;
  let onListChanged: (() => void) | undefined;
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    assert.ok(s);
    return s.call(name, args);
  };
  const simGet = async <T>(path: string): Promise<T> => {
    assert.ok(sim);
    const r = await fetch(`${sim.url}${path}`, {
      headers: { authorization: `Bearer ${sim.token}` },
    });
    return (await r.json()) as T;
  };
  const billed = async () =>
    (await simGet<{ response: { requests: { billable: Billable } } }>('/_sim/stats')).response
      .requests.billable;
  /** The commands the modern car ran (the simulator's log) and its lock. */
  const car = async () => {
    const st = await simGet<{
      vehicles: { vin: string; locked: boolean; commands: { name: string }[] }[];
    }>('/sim/status.json');
    const v = st.vehicles.find((x) => x.vin === modern);
    return { locked: v?.locked, ran: (v?.commands ?? []).map((c) => c.name) };
  };

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-owner-e2e-'));
    sim = await startSimProcess();
    const keyFile = join(dir, 'private-key.pem');
    await writeFile(keyFile, sim.key.toPem('pkcs8'), { mode: 0o600 });
    const env = serveEnv({ dir, fleetUrl: sim.url, token: sim.token, keyFile });
    // The defaults an owner starts with: toolsets not pinned, confirmations by elicitation
    // (this SDK client declares none, as Claude Desktop does not: one-time tokens instead).
    delete env.TESLA_MCP_TOOLSETS;
    delete env.TESLA_MCP_CONFIRM;
    s = await connectStdio(env);
    s.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      listChanged++;
      onListChanged?.();
    });
  });
  after(async () => {
    await s?.close();
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('the default set has navigation and the pairing link; energy is one step away', async () => {
    assert.ok(s);
    assert.equal(s.client.getServerCapabilities()?.tools?.listChanged, true);
    const names = (await s.client.listTools()).tools.map((t) => t.name);
    for (const n of ['navigation_request', 'get_pairing_link', 'wake_up', 'enable_toolsets']) {
      assert.ok(names.includes(n), n);
    }
    assert.ok(!names.includes('live_status'), 'energy is not in the default set');

    // "Navigate to…" is answered by the car, not "tool not found".
    const nav = ok(
      await call('navigation_request', { vin: modern, address: '1 Main Street, Sim Town' }),
    );
    assert.equal(nav.vin, modern, JSON.stringify(nav));
    assert.ok((await car()).ran.includes('navigation_request'), 'the car got the destination');
  });

  it('bad arguments: invalid_argument naming the field, and nothing is sent', async () => {
    const before = await billed();
    const ranBefore = (await car()).ran.length;
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['set_charge_limit', { vin: modern, percent: 120 }, /percent/],
      ['set_charge_limit', { vin: modern, percent: 80, colour: 'red' }, /colour/],
      ['set_charge_limit', { vin: 'NOT-A-VIN', percent: 80 }, /vin/],
      ['door_unlock', { vin: modern, confirm: true }, /confirm/],
    ];
    for (const [name, args, field] of cases) {
      const r = await call(name, args);
      assert.equal(r.isError, true, `${name} ${JSON.stringify(args)}`);
      assert.equal(codeOf(r), 'invalid_argument', text(r));
      assert.match(text(r), field);
    }
    assert.deepEqual(await billed(), before, 'no request for a refused argument');
    assert.equal((await car()).ran.length, ranBefore);
  });

  it('the same charge limit twice: the second is a success with changed: false', async () => {
    ok(await call('set_charge_limit', { vin: modern, percent: 78 }));
    const first = ok(await call('set_charge_limit', { vin: modern, percent: 80 }));
    assert.equal(first.changed, true);
    const second = ok(await call('set_charge_limit', { vin: modern, percent: 80 }));
    assert.equal(second.changed, false);
    assert.equal(second.message, 'charge limit was already 80%');
  });

  it('wake_up on a car already awake: "already awake", no wake billed', async () => {
    const before = await billed();
    const r = ok(await call('wake_up', { vin: modern }));
    assert.equal(r.woke, false, JSON.stringify(r));
    assert.match(String(r.message), /already awake/i);
    assert.equal((await billed()).wakes, before.wakes);
  });

  it('an unlock runs only with its one-time token, and only once', async () => {
    const untouched = await car();
    assert.equal(untouched.locked, true);
    const first = await call('door_unlock', { vin: modern });
    assert.equal(first.structuredContent?.status, 'confirmation_required', text(first));
    assert.deepEqual(await car(), untouched, 'the first call ran nothing');
    const token = String(first.structuredContent?.confirmation_token);
    const wrongArgs = await call('door_unlock', {
      vin: SIM_VINS.legacy,
      confirmation_token: token,
    });
    assert.equal(codeOf(wrongArgs), 'confirmation_invalid', text(wrongArgs));
    assert.deepEqual(await car(), untouched, 'a token for other arguments ran nothing');

    const again = await call('door_unlock', { vin: modern });
    const t2 = String(again.structuredContent?.confirmation_token);
    ok(await call('door_unlock', { vin: modern, confirmation_token: t2 }));
    const unlocked = await car();
    assert.equal(unlocked.locked, false);
    assert.equal(unlocked.ran.length, untouched.ran.length + 1);
    const replay = await call('door_unlock', { vin: modern, confirmation_token: t2 });
    assert.equal(codeOf(replay), 'confirmation_invalid', text(replay));
    assert.deepEqual(await car(), unlocked, 'a used token runs nothing');
  });

  it('enable_toolsets turns energy on for the session and the client hears list_changed', async () => {
    assert.ok(s && sim);
    const info = ok(await call('enable_toolsets'));
    const sets = info.toolsets as { name: string; on: boolean }[];
    assert.equal(sets.find((t) => t.name === 'energy')?.on, false);
    const seen = listChanged;
    const heard = new Promise<void>((resolve, reject) => {
      onListChanged = resolve;
      setTimeout(() => reject(new Error('no notifications/tools/list_changed')), 10_000).unref();
    });
    ok(await call('enable_toolsets', { toolsets: ['energy'] }));
    await heard;
    assert.equal(listChanged, seen + 1, 'one notification');
    const names = (await s.client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('live_status'));
    const site = /^ENERGY_SITE_ID=(\d+)$/m.exec(sim.output())?.[1];
    assert.ok(site, sim.output());
    const live = ok(await call('live_status', { energy_site_id: site }));
    assert.equal(typeof live.percentage_charged, 'number', JSON.stringify(live));
  });
});
