import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ElicitRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { NotLoggedInError } from '../../src/fleet/errors.js';
import { notLoggedInFleet } from '../../src/mcp/deps.js';
import { parseConfirmMode, parseToolsets, selectTools } from '../../src/mcp/server.js';
import { VehicleCommandError } from '../../src/vehicle/errors.js';
import { FleetHttpError } from '../../src/vehicle/transport.js';
import { connect, fakeDeps, VIN } from '../helpers/fake-deps.js';

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

function errOf(r: Result): Record<string, unknown> {
  return (r.structuredContent?.error ?? {}) as Record<string, unknown>;
}

describe('toolset selection', () => {
  it('defaults to vehicle, climate, charging, security, navigation', () => {
    assert.deepEqual(parseToolsets(undefined), [
      'vehicle',
      'climate',
      'charging',
      'security',
      'navigation',
    ]);
    assert.equal(parseToolsets('all').length, 12);
    assert.deepEqual(parseToolsets(' energy, keys '), ['energy', 'keys']);
    assert.throws(() => parseToolsets('energy,cars'), /unknown toolset cars/);
  });
  it('read-only keeps only read tools', () => {
    const tools = selectTools({ toolsets: parseToolsets('all'), readOnly: true });
    assert.ok(tools.length > 10);
    assert.ok(tools.every((t) => t.effect === 'read'));
    assert.ok(!tools.some((t) => t.name === 'door_unlock'));
  });
  it('parses confirm modes', () => {
    assert.equal(parseConfirmMode(undefined), 'elicit');
    assert.equal(parseConfirmMode('deny'), 'deny');
    assert.throws(() => parseConfirmMode('ask'), /elicit, never, deny/);
  });
});

describe('server over InMemoryTransport', () => {
  it('lists the default toolsets with annotations and instructions', async () => {
    const { deps } = fakeDeps();
    const { client, close } = await connect(deps);
    const { tools } = await client.listTools();
    const names = tools.map((t) => t.name);
    assert.ok(names.includes('door_lock'));
    assert.ok(names.includes('vehicle_data'));
    assert.ok(!names.includes('live_status'), 'energy is opt-in');
    const unlock = tools.find((t) => t.name === 'door_unlock');
    // The other hints of a gated command are the MCP defaults (not read-only, open world);
    // destructiveHint is sent all the same, for clients that do not apply defaults.
    assert.deepEqual(unlock?.annotations, { destructiveHint: true });
    assert.ok('confirmation_token' in (unlock?.inputSchema.properties ?? {}));
    assert.ok(!('confirm' in (unlock?.inputSchema.properties ?? {})), 'no confirm: true shortcut');
    assert.equal(unlock?.inputSchema.additionalProperties, false);
    assert.match(client.getInstructions() ?? '', /Wake only when needed/);
    await close();
  });

  it('vehicle_data returns a trimmed projection, simulated flag, text = JSON', async () => {
    const { deps, rec } = fakeDeps({
      simulated: true,
      answers: {
        [`GET /api/1/vehicles/${VIN}/vehicle_data`]: {
          vin: VIN,
          state: 'online',
          charge_state: { battery_level: 77, charge_limit_soc: 80, useless_field: 1 },
          drive_state: { latitude: 1, longitude: 2, shift_state: 'P' },
        },
      },
    });
    const { client, close } = await connect(deps);
    const r = (await client.callTool({ name: 'vehicle_data', arguments: {} })) as Result;
    assert.equal(r.isError, undefined);
    const sc = r.structuredContent ?? {};
    assert.deepEqual(sc.charge_state, { battery_level: 77, charge_limit_soc: 80 });
    assert.equal(sc.simulated, true);
    assert.deepEqual(JSON.parse(r.content[0]?.text ?? ''), sc);
    const q = rec.requests.find((x) => x.path.endsWith('/vehicle_data'))?.query as {
      endpoints: string;
    };
    assert.ok(!q.endpoints.includes('location_data'), 'location only on request');
    await close();
  });

  it('a command tool builds Fleet params and sends through the vehicle', async () => {
    const { deps, rec } = fakeDeps();
    const { client, close } = await connect(deps);
    const r = (await client.callTool({
      name: 'set_temps',
      arguments: { vin: VIN, driver_temp_celsius: 21.5 },
    })) as Result;
    assert.equal(r.isError, undefined, r.content[0]?.text);
    assert.deepEqual(rec.sent, [
      {
        vin: VIN,
        name: 'set_temps',
        params: { driver_temp: 21.5, passenger_temp: 21.5 },
        idempotent: true,
      },
    ]);
    const bad = (await client.callTool({
      name: 'set_charge_limit',
      arguments: { percent: 30 },
    })) as Result;
    assert.equal(bad.isError, true);
    assert.equal(rec.sent.length, 1);
    await close();
  });

  it('REST-only commands go to the REST path', async () => {
    const { deps, rec } = fakeDeps();
    const { client, close } = await connect(deps, { toolsets: ['navigation'] });
    const r = (await client.callTool({
      name: 'navigation_request',
      arguments: { address: '1 Infinite Loop' },
    })) as Result;
    assert.equal(r.isError, undefined, r.content[0]?.text);
    assert.equal(rec.rest[0]?.name, 'navigation_request');
    assert.deepEqual((rec.rest[0]?.params as { value?: unknown } | undefined)?.value, {
      'android.intent.extra.TEXT': '1 Infinite Loop',
    });
    await close();
  });

  it('elicitation accepted runs the command; declined does not', async () => {
    for (const accept of [true, false]) {
      const { deps, rec } = fakeDeps();
      const { client, close } = await connect(deps, {}, { elicitation: {} });
      let asked = '';
      client.setRequestHandler(ElicitRequestSchema, async (req) => {
        asked = req.params.message;
        return accept ? { action: 'accept', content: { confirm: true } } : { action: 'decline' };
      });
      const r = (await client.callTool({ name: 'door_unlock', arguments: {} })) as Result;
      assert.match(asked, /Unlock all doors of/);
      assert.equal(rec.sent.length, accept ? 1 : 0);
      if (!accept) {
        assert.equal(r.structuredContent?.executed, false);
        assert.equal(r.structuredContent?.status, 'declined');
      }
      await close();
    }
  });

  it('without elicitation: first call answers a token, the second call with it runs', async () => {
    const { deps, rec } = fakeDeps();
    const { client, close } = await connect(deps);
    const first = (await client.callTool({
      name: 'actuate_trunk',
      arguments: { which_trunk: 'front' },
    })) as Result;
    assert.equal(first.structuredContent?.status, 'confirmation_required');
    assert.match(String(first.structuredContent?.action), /frunk/);
    const token = first.structuredContent?.confirmation_token;
    assert.equal(typeof token, 'string');
    assert.equal(rec.sent.length, 0);
    const second = (await client.callTool({
      name: 'actuate_trunk',
      arguments: { which_trunk: 'front', confirmation_token: token },
    })) as Result;
    assert.equal(second.isError, undefined, second.content[0]?.text);
    assert.deepEqual(rec.sent[0]?.params, { which_trunk: 'front' }, 'the token is not forwarded');
    assert.equal(rec.sent[0]?.idempotent, false, 'actuate_trunk toggles: never resent blindly');
    await close();
  });

  it('confirm never runs at once; deny refuses; a non-risky variant never asks', async () => {
    const a = fakeDeps();
    const s1 = await connect(a.deps, { confirm: 'never' });
    await s1.client.callTool({ name: 'door_unlock', arguments: {} });
    assert.equal(a.rec.sent.length, 1);
    await s1.close();
    const b = fakeDeps();
    const s2 = await connect(b.deps, { confirm: 'deny' });
    const r = (await s2.client.callTool({ name: 'door_unlock', arguments: {} })) as Result;
    assert.equal(r.isError, true);
    assert.equal((errOf(r) as { code: string }).code, 'confirmation_denied');
    await s2.client.callTool({ name: 'set_sentry_mode', arguments: { on: true } });
    assert.equal(b.rec.sent.length, 1, 'sentry on needs no confirmation');
    await s2.close();
  });

  it('errors say what happened, whether it may have run, and what next', async () => {
    const asleep = fakeDeps({
      fail: () =>
        new VehicleCommandError(
          'asleep',
          `vehicle ${VIN} is asleep or offline: call wake_up, then retry`,
          { vin: VIN, retryable: true },
        ),
    });
    const s = await connect(asleep.deps);
    const r = (await s.client.callTool({ name: 'door_lock', arguments: {} })) as Result;
    assert.equal(r.isError, true);
    assert.deepEqual(
      { ...errOf(r), message: undefined, vin: undefined },
      {
        code: 'asleep',
        retryable: true,
        mayHaveSucceeded: false,
        message: undefined,
        vin: undefined,
        nextTool: 'wake_up',
      },
    );
    assert.match(r.content[0]?.text ?? '', /call wake_up.*Nothing was executed/);
    await s.close();

    const unknown = fakeDeps({
      fail: () =>
        new VehicleCommandError('unknown_outcome', 'no answer; the command may have executed', {
          vin: VIN,
          mayHaveExecuted: true,
        }),
    });
    const s2 = await connect(unknown.deps, { confirm: 'never' });
    const r2 = (await s2.client.callTool({ name: 'honk_horn', arguments: {} })) as Result;
    assert.match(r2.content[0]?.text ?? '', /may have executed: check the vehicle state/);
    assert.equal((errOf(r2) as { mayHaveSucceeded: boolean }).mayHaveSucceeded, true);
    await s2.close();

    const limited = fakeDeps({
      answers: {
        [`GET /api/1/vehicles/${VIN}`]: new FleetHttpError({ status: 429, retryAfterSeconds: 42 }),
      },
    });
    const s3 = await connect(limited.deps);
    const r3 = (await s3.client.callTool({ name: 'vehicle', arguments: { vin: VIN } })) as Result;
    assert.equal((errOf(r3) as { code: string }).code, 'rate_limited');
    assert.equal((errOf(r3) as { retryAfterSeconds: number }).retryAfterSeconds, 42);
    assert.match(r3.content[0]?.text ?? '', /retry after 42 s/);
    await s3.close();
  });

  it('without credentials every Fleet call says how to log in', async () => {
    const { deps } = fakeDeps();
    const s = await connect({ ...deps, fleet: notLoggedInFleet() });
    const r = (await s.client.callTool({ name: 'list_vehicles', arguments: {} })) as Result;
    assert.equal(r.isError, true);
    // The tool first; the terminal command only as the human's hint.
    assert.match(r.content[0]?.text ?? '', /not logged in.*Next: call get_login_link/);
    assert.match(r.content[0]?.text ?? '', /for a human at a terminal: `tesla-mcp login`/);
    assert.equal((errOf(r) as { code: string }).code, new NotLoggedInError().code);
    assert.equal((errOf(r) as { nextTool: string }).nextTool, 'get_login_link');
    await s.close();
  });

  it('vin is required when the account has several vehicles and none is configured', async () => {
    const { deps } = fakeDeps({
      answers: { 'GET /api/1/vehicles': [{ vin: VIN }, { vin: '5YJ3E1EA7KF000002' }] },
    });
    const s = await connect(deps);
    const r = (await s.client.callTool({ name: 'door_lock', arguments: {} })) as Result;
    assert.equal((errOf(r) as { code: string }).code, 'invalid_argument');
    assert.match(r.content[0]?.text ?? '', /2 vehicles: pass vin/);
    const withDefault = fakeDeps({ defaultVin: VIN, answers: { 'GET /api/1/vehicles': [] } });
    const s2 = await connect(withDefault.deps);
    const ok = (await s2.client.callTool({ name: 'door_lock', arguments: {} })) as Result;
    assert.equal(ok.isError, undefined);
    assert.equal(withDefault.rec.sent[0]?.vin, VIN);
    await s.close();
    await s2.close();
  });

  it('wake_up waits with progress notifications', async () => {
    // Asleep at the first state read, online from the first poll on.
    let reads = 0;
    const { deps, rec } = fakeDeps({
      answers: {
        [`GET /api/1/vehicles/${VIN}`]: () => ({ vin: VIN, state: reads++ ? 'online' : 'asleep' }),
      },
    });
    const s = await connect(deps);
    const progress: number[] = [];
    const r = (await s.client.callTool(
      { name: 'wake_up', arguments: { wait_seconds: 30 } },
      undefined,
      {
        onprogress: (p) => progress.push(p.progress),
      },
    )) as Result;
    assert.equal(r.structuredContent?.state, 'online');
    assert.ok(progress.length >= 2, `progress: ${progress}`);
    assert.ok(rec.requests.some((x) => x.path.endsWith('/wake_up')));
    await s.close();
  });
});
