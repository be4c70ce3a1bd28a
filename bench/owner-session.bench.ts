/**
 * A scripted owner session (`npm run bench -- owner`): the everyday intents of
 * `./owner-session-intents.ts` driven through the MCP server (in process, every toolset, a client
 * without elicitation, so risky tools take the `confirmation_token` round trip) against the
 * simulated fleet, the car asleep at the start. Billed calls are counted from what the simulator
 * received, by category (`src/fleet/billing.ts` `categorize`, priced with `PRICES`), and
 * cross-checked with the server's own `get_billing_summary` and with the simulator's counter
 * (which sorts by its own routes, so a wrong `categorize` shows). Beside each intent: what the
 * Python server ysrdevs/tesla-mcp sends for it (per-tool counts in the intents file). The target
 * is no call a careful human would not make, and fewer billed calls than the Python server.
 * Figures are printed, never asserted.
 *
 * @module
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { type BillingCategory, categorize, PRICES } from '../src/fleet/billing.js';
import { createRuntime } from '../src/mcp/runtime.js';
import { parseToolsets } from '../src/mcp/server.js';
import { DEFAULT_FLEET, startSimulator } from '../src/sim/index.js';
import { connect } from '../test/helpers/fake-deps.js';
import { table } from './harness.js';
import {
  type FleetCalls,
  INTENTS,
  PROXY_HANDSHAKES,
  PYTHON_SOURCE,
  PYTHON_TOOLS,
  pythonWaitForWakePolls,
  type ToolCall,
  WAKE_SECONDS,
} from './owner-session-intents.js';

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

interface Received {
  method: string;
  path: string;
  status: number;
}

const none = (): FleetCalls => ({ data: 0, command: 0, wake: 0 });
const cost = (c: FleetCalls) =>
  c.data * PRICES.data + c.command * PRICES.command + c.wake * PRICES.wake;
const total = (c: FleetCalls) => c.data + c.command + c.wake;
const usd = (n: number) => `$${n.toFixed(3)}`;
const cells = (c: FleetCalls) => `${c.data}/${c.command}/${c.wake}`;

function add(a: FleetCalls, b: FleetCalls): FleetCalls {
  return { data: a.data + b.data, command: a.command + b.command, wake: a.wake + b.wake };
}

/** Billed requests (status 1-499, `src/fleet/billing.ts`) by category. */
function billed(received: readonly Received[]): FleetCalls {
  const c = none();
  for (const r of received) {
    if (!(r.status > 0 && r.status < 500)) continue;
    const cat: BillingCategory = categorize(r.method, r.path);
    if (cat !== 'free') c[cat] += 1;
  }
  return c;
}

/** The Python server's requests for one intent; `firstCommand` adds the proxy's handshakes. */
function pythonCalls(tools: readonly string[], firstCommand: { seen: boolean }): FleetCalls {
  let c = none();
  for (const name of tools) {
    const t = PYTHON_TOOLS[name];
    if (!t) throw new Error(`owner-session: no Fleet API counts for the Python tool ${name}`);
    c = add(c, t);
    if (t.proxied && !firstCommand.seen) {
      firstCommand.seen = true;
      c.command += PROXY_HANDSHAKES;
    }
  }
  return c;
}

export async function run(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-owner-'));
  const modern = DEFAULT_FLEET[0];
  if (!modern) throw new Error('owner-session: the simulator has no modern car');
  // The simulator's clock moves on with the server's waits, so a wake takes WAKE_SECONDS of
  // simulated time and no real time. Only waits for a wake move it, and the session's one wake
  // comes before any signed session is open: a jump later would expire the commands in flight.
  let offset = 0;
  const now = () => Date.now() + offset;
  const received: Received[] = [];
  let simCounts: (() => FleetCalls) | undefined;
  const runtime = await createRuntime({
    env: { TESLA_MCP_CONFIG_DIR: dir, TESLA_VIN: modern.vin },
    simulator: true,
    startSimulator: async (o) => {
      const sim = await startSimulator({
        pairKeys: o.pairKeys,
        vehicles: [{ ...modern, asleep: true }],
        wakeDelayMs: WAKE_SECONDS * 1000,
        now,
      });
      const fleet = sim.fleet;
      simCounts = () => {
        const b = fleet.counter.snapshot().billable;
        return { data: b.data, command: b.commands, wake: b.wakes };
      };
      // The owner's usual limit is 90 %, so the first "80 %" changes it and the second does not.
      const car = fleet.vehicles.get(modern.vin);
      if (car) car.state.chargeLimit = 90;
      const handle = fleet.handle.bind(fleet);
      fleet.handle = (req) => {
        const res = handle(req);
        if (!req.path.startsWith('/_sim/')) {
          received.push({ method: req.method, path: req.path, status: res.drop ? 0 : res.status });
        }
        return res;
      };
      return sim;
    },
    log: () => {},
    sleep: async (ms) => {
      offset += ms;
    },
  });
  const { client, close } = await connect(runtime.deps, { toolsets: parseToolsets('all') });
  try {
    await session(client, received, () => simCounts?.() ?? none());
  } finally {
    await close();
    await runtime.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function callTool(client: Client, c: ToolCall): Promise<Result> {
  return (await client.callTool({ name: c.tool, arguments: c.args ?? {} })) as Result;
}

/** One intent's calls as a model makes them, following what the answers say. */
async function converse(client: Client, calls: readonly ToolCall[]): Promise<string[]> {
  const made: string[] = [];
  const problems: string[] = [];
  for (const c of calls) {
    made.push(c.tool);
    let r = await callTool(client, c);
    const code = (r.structuredContent?.error as { code?: string } | undefined)?.code;
    if (r.isError && code === 'asleep') {
      made.push('wake_up', c.tool);
      const w = await callTool(client, { tool: 'wake_up' });
      if (w.isError) problems.push(`wake_up: ${w.content[0]?.text}`);
      r = await callTool(client, c);
    }
    const token = r.structuredContent?.confirmation_token;
    if (r.structuredContent?.status === 'confirmation_required' && typeof token === 'string') {
      made.push(`${c.tool}+token`);
      r = await callTool(client, { tool: c.tool, args: { ...c.args, confirmation_token: token } });
    }
    if (r.isError) problems.push(`${c.tool}: ${r.content[0]?.text}`);
    else if (r.structuredContent?.changed === false) made.push('(changed: false)');
  }
  return problems.length ? [...made, `FAILED ${problems.join('; ')}`] : made;
}

/** `simCounts`: the simulator's own billable counts (by its routes, not `categorize`). */
async function session(
  client: Client,
  received: Received[],
  simCounts: () => FleetCalls,
): Promise<void> {
  const rows: (string | number)[][] = [];
  let ours = none();
  let theirs = none();
  const firstCommand = { seen: false };
  const failures: string[] = [];
  for (const intent of INTENTS) {
    const from = received.length;
    const made = await converse(client, intent.calls);
    const failed = made.at(-1)?.startsWith('FAILED');
    if (failed) failures.push(`${intent.say}: ${made.at(-1)}`);
    const o = billed(received.slice(from));
    const p = pythonCalls(intent.python, firstCommand);
    ours = add(ours, o);
    theirs = add(theirs, p);
    rows.push([
      intent.say,
      made.filter((m) => !m.startsWith('FAILED')).join(', '),
      cells(o),
      usd(cost(o)),
      intent.python.join(', '),
      cells(p),
      usd(cost(p)),
    ]);
  }
  rows.push([
    `**total (${INTENTS.length} intents)**`,
    '',
    `${cells(ours)} = ${total(ours)}`,
    usd(cost(ours)),
    '',
    `${cells(theirs)} = ${total(theirs)}`,
    usd(cost(theirs)),
  ]);
  table(
    [
      'intent',
      'our tool calls',
      'our billed data/command/wake',
      'our cost',
      'Python server tools',
      'its data/command/wake',
      'its cost',
    ],
    rows,
  );
  const summary = (await callTool(client, { tool: 'get_billing_summary' })).structuredContent;
  const server = (summary?.totals ?? {}) as Partial<FleetCalls>;
  const serverCalls: FleetCalls = {
    data: server.data ?? 0,
    command: server.command ?? 0,
    wake: server.wake ?? 0,
  };
  const sim = simCounts();
  console.log('');
  table(
    ['measure', 'value'],
    [
      [
        'billed calls: ours / Python server',
        `${total(ours)} / ${total(theirs)} = ${(total(ours) / total(theirs)).toFixed(2)}`,
      ],
      [
        'estimated cost: ours / Python server',
        `${usd(cost(ours))} / ${usd(cost(theirs))} = ${(cost(ours) / cost(theirs)).toFixed(2)}`,
      ],
      [
        `the server's get_billing_summary (data/command/wake; scope: ${String(summary?.scope ?? 'none')})`,
        `${cells(serverCalls)}${sameCalls(serverCalls, ours) ? ' (matches the simulator)' : ' (DIFFERS from the simulator)'}`,
      ],
      [
        "the simulator's own billable counts (its routes' categories)",
        `${cells(sim)}${sameCalls(sim, ours) ? ' (matches categorize)' : ' (DIFFERS from categorize)'}`,
      ],
      [
        'answers 408 (asleep) / 429 (rate limit) / 5xx, billed ones included above',
        [408, 429, 500]
          .map(
            (s) => received.filter((r) => r.status === s || (s === 500 && r.status >= 500)).length,
          )
          .join(' / '),
      ],
      ['Python server counts read from', `${PYTHON_SOURCE} (bench/owner-session-intents.ts)`],
      ['simulated wake time', `${WAKE_SECONDS} s`],
      [
        'Python wake polls assumed (tesla_wait_for_wake, every 5 s)',
        String(pythonWaitForWakePolls(WAKE_SECONDS)),
      ],
      [
        'Python: tesla-http-proxy session handshakes (once, first command)',
        String(PROXY_HANDSHAKES),
      ],
    ],
  );
  if (failures.length) {
    console.log(
      `\n${failures.length} intent(s) failed:\n${failures.map((f) => `- ${f}`).join('\n')}`,
    );
  }
}

function sameCalls(a: FleetCalls, b: FleetCalls): boolean {
  return a.data === b.data && a.command === b.command && a.wake === b.wake;
}
