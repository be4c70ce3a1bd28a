import assert from 'node:assert/strict';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SIM_VINS } from '../../src/sim/index.js';
import {
  connectHttp,
  connectStdio,
  type McpSession,
  serveEnv,
  type ToolResult,
} from '../helpers/mcp-process.js';
import { type SimProcess, startSimProcess } from '../helpers/sim-process.js';

const { modern, legacy, unpaired } = SIM_VINS;

const text = (r: ToolResult) => r.content.map((c) => c.text).join('\n');
const part = <T>(r: ToolResult, key: string) => (r.structuredContent?.[key] ?? {}) as T;
const errorOf = (r: ToolResult) =>
  part<{ code?: string; retryAfterSeconds?: number; mayHaveSucceeded?: boolean }>(r, 'error');

function ok(r: ToolResult): ToolResult {
  assert.equal(r.isError, undefined, text(r));
  return r;
}

/**
 * One sim process and one serve process per transport, so each run starts from the simulator's
 * initial state (legacy car asleep, empty rate-limit windows).
 */
async function withServer(
  connect: (env: Record<string, string>) => Promise<McpSession>,
  body: (s: McpSession, ctx: { sim: SimProcess; dir: string; pem: string }) => Promise<void>,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-e2e-'));
  let sim: SimProcess | undefined;
  let s: McpSession | undefined;
  try {
    sim = await startSimProcess();
    const pem = sim.key.toPem('pkcs8');
    const keyFile = join(dir, 'private-key.pem');
    await writeFile(keyFile, pem, { mode: 0o600 });
    s = await connect(serveEnv({ dir, fleetUrl: sim.url, token: sim.token, keyFile }));
    await body(s, { sim, dir, pem });
  } finally {
    await s?.close();
    await sim?.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The end-to-end list, the same over both transports. */
async function scenario(s: McpSession, ctx: { sim: SimProcess; dir: string; pem: string }) {
  const results: ToolResult[] = [];
  const call = async (
    name: string,
    args: Record<string, unknown> = {},
    onProgress?: (m: string | undefined) => void,
  ) => {
    const r = await s.call(name, args, onProgress);
    results.push(r);
    return r;
  };

  // List vehicles: the sim's three cars, the legacy one asleep.
  const list = ok(await call('list_vehicles'));
  const cars = part<{ vin: string; state: string }[]>(list, 'vehicles');
  assert.deepEqual(cars.map((c) => c.vin).sort(), [modern, legacy, unpaired].sort());
  assert.equal(cars.find((c) => c.vin === legacy)?.state, 'asleep');

  // Read data (trimmed projection).
  const data = ok(await call('vehicle_data', { vin: modern }));
  assert.equal(
    typeof part<{ battery_level?: unknown }>(data, 'charge_state').battery_level,
    'number',
  );
  assert.equal(part<{ locked?: boolean }>(data, 'vehicle_state').locked, true);
  // Results that come from the simulator say so, also through the real Fleet path (not
  // `serve --simulator`): the Fleet client notices the sim's top-level `"simulated": true`.
  assert.equal(data.structuredContent?.simulated, true);

  // A signed VCSEC command (confirm=never runs it at once), checked through a read tool.
  const unlock = ok(await call('door_unlock', { vin: modern }));
  assert.equal(unlock.structuredContent?.via, 'signed', text(unlock));
  const vs = ok(await call('vehicle_data', { vin: modern, endpoints: ['vehicle_state'] }));
  assert.equal(part<{ locked?: boolean }>(vs, 'vehicle_state').locked, false);
  ok(await call('door_lock', { vin: modern }));
  const vs2 = ok(await call('vehicle_data', { vin: modern, endpoints: ['vehicle_state'] }));
  assert.equal(part<{ locked?: boolean }>(vs2, 'vehicle_state').locked, true);

  // A signed Infotainment command.
  const limit = ok(await call('set_charge_limit', { vin: modern, percent: 73 }));
  assert.equal(limit.structuredContent?.via, 'signed', text(limit));
  const cs = ok(await call('vehicle_data', { vin: modern, endpoints: ['charge_state'] }));
  assert.equal(part<{ charge_limit_soc?: number }>(cs, 'charge_state').charge_limit_soc, 73);

  // The legacy car: asleep, so a command says so; wake_up (with progress); then REST.
  const asleep = await call('door_lock', { vin: legacy });
  assert.equal(errorOf(asleep).code, 'asleep', text(asleep));
  assert.match(text(asleep), /wake_up/);
  const progress: (string | undefined)[] = [];
  const woke = ok(
    await call('wake_up', { vin: legacy, wait_seconds: 30 }, (m) => progress.push(m)),
  );
  assert.equal(woke.structuredContent?.state, 'online', text(woke));
  assert.ok(progress.includes('wake_up sent'), JSON.stringify(progress));
  const rest = ok(await call('set_charge_limit', { vin: legacy, percent: 64 }));
  assert.equal(rest.structuredContent?.via, 'rest', text(rest));
  const lcs = ok(await call('vehicle_data', { vin: legacy, endpoints: ['charge_state'] }));
  assert.equal(part<{ charge_limit_soc?: number }>(lcs, 'charge_state').charge_limit_soc, 64);

  // Not paired: the error names the pairing link for TESLA_DOMAIN.
  const np = await call('door_lock', { vin: unpaired });
  assert.equal(np.isError, true);
  assert.equal(errorOf(np).code, 'key_not_paired', text(np));
  assert.ok(text(np).includes('https://tesla.com/_ak/example.com'), text(np));
  assert.equal(errorOf(np).mayHaveSucceeded, false);
  const link = ok(await call('get_pairing_link', { vin: unpaired }));
  assert.ok(text(link).includes('https://tesla.com/_ak/example.com'), text(link));

  // wake_up on a car already online costs no wake (one state read, then nothing).
  const sim = async (method: string, path: string) =>
    (await fetch(`${ctx.sim.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ctx.sim.token}` },
    }).then((r) => r.json())) as {
      response?: { requests?: { billable?: Record<string, number> } };
    };
  const billed = async () => (await sim('GET', '/_sim/stats')).response?.requests?.billable ?? {};
  const before = await billed();
  for (let i = 0; i < 3; i++) {
    const awake = ok(await call('wake_up', { vin: modern }));
    assert.equal(awake.structuredContent?.woke, false, text(awake));
  }
  const afterAwake = await billed();
  assert.equal(afterAwake.wakes, before.wakes, 'no wake for a car already online');
  // At most one state read (none when a call of the last 30 s already reached the car).
  assert.ok((afterAwake.data ?? 0) - (before.data ?? 0) <= 1, JSON.stringify([before, afterAwake]));

  // A rate limit: Tesla allows 3 wakes per vehicle per minute; the 4th is answered 429. Each
  // round the car falls asleep (simulator control) and `vehicle` sees it.
  let limited: ToolResult | undefined;
  for (let i = 0; i < 4 && !limited; i++) {
    await sim('POST', `/_sim/vehicles/${modern}/sleep`);
    ok(await call('vehicle', { vin: modern }));
    const r = await call('wake_up', { vin: modern, wait_seconds: 0 });
    if (r.isError) limited = r;
    else assert.equal(r.structuredContent?.woke, true, text(r));
  }
  assert.ok(limited, 'the fourth wake within a minute is rate limited');
  const e = errorOf(limited);
  assert.equal(e.code, 'rate_limited', text(limited));
  assert.equal(e.mayHaveSucceeded, false);
  assert.ok(typeof e.retryAfterSeconds === 'number' && e.retryAfterSeconds > 0);
  assert.match(text(limited), new RegExp(`retry after ${e.retryAfterSeconds} s`));

  // No secret in any result or in the server's output.
  const everything = results.map(text).join('\n') + s.output();
  assert.ok(!everything.includes(ctx.sim.token), 'the access token leaked');
  assert.ok(!everything.includes(ctx.pem.split('\n')[1] ?? ctx.pem), 'the private key leaked');
}

// The two transports use separate processes and folders, so they run side by side.
describe('MCP end to end against `tesla-mcp sim` in another process', { concurrency: true }, () => {
  it('over stdio (StdioClientTransport)', async () => {
    let dir = '';
    await withServer(connectStdio, async (s, ctx) => {
      dir = ctx.dir;
      await scenario(s, ctx);
      await s.close();
      // The dispatcher saved its sessions to TESLA_SESSION_CACHE, owner-only.
      const st = await stat(join(dir, 'sessions.json'));
      assert.equal(st.mode & 0o777, 0o600);
    });
  });

  it('over Streamable HTTP (serve --http --no-auth on 127.0.0.1)', async () => {
    await withServer(connectHttp, scenario);
  });
});
