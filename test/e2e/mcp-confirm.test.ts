/**
 * Confirmation tokens end to end, against `tesla-mcp sim` in another process: over Streamable
 * HTTP with two sessions (a token works once, for its own session, tool and arguments), and over
 * stdio with the server's clock moved past a token's 5 minutes (`./clock-shift.ts`).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CONFIRMATION_TTL_MS } from '../../src/mcp/confirmations.js';
import { SIM_VINS } from '../../src/sim/index.js';
import { clockShiftNodeOptions, shiftClock } from '../helpers/clock-shift.js';
import {
  connectHttp,
  connectStdio,
  type McpSession,
  serveEnv,
  type ToolResult,
} from '../helpers/mcp-process.js';
import { type SimProcess, startSimProcess } from '../helpers/sim-process.js';

const { modern } = SIM_VINS;

interface SimStatus {
  vehicles: { vin: string; locked: boolean; commands: { name: string }[] }[];
  requests: { billable: { commands: number } };
}

const text = (r: ToolResult) => r.content.map((c) => c.text).join('\n');
const codeOf = (r: ToolResult) =>
  (r.structuredContent?.error as { code?: string } | undefined)?.code;

/** The modern car's lock and how many commands it ran (the simulator's log), and billing. */
async function status(sim: SimProcess) {
  const r = await fetch(new URL('/sim/status.json', sim.url), {
    headers: { authorization: `Bearer ${sim.token}` },
  });
  const s = (await r.json()) as SimStatus;
  const car = s.vehicles.find((v) => v.vin === modern);
  return { locked: car?.locked, ran: car?.commands.length, billed: s.requests.billable.commands };
}

describe('confirmation tokens end to end (tesla-mcp sim in another process)', () => {
  it('serve --http, two sessions: nothing runs until the right session presents its token, once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-confirm-'));
    const sim = await startSimProcess();
    let a: Awaited<ReturnType<typeof connectHttp>> | undefined;
    const b = new Client({ name: 'e2e-second-session', version: '0' });
    try {
      const keyFile = join(dir, 'private-key.pem');
      await writeFile(keyFile, sim.key.toPem('pkcs8'), { mode: 0o600 });
      const env = serveEnv({ dir, fleetUrl: sim.url, token: sim.token, keyFile });
      // The default mode; the SDK client declares no elicitation, as Claude Desktop does not.
      env.TESLA_MCP_CONFIRM = 'elicit';
      a = await connectHttp(env);
      await b.connect(new StreamableHTTPClientTransport(a.url));
      const inB = async (name: string, args: Record<string, unknown>) =>
        (await b.callTool({ name, arguments: args })) as ToolResult;
      const untouched = await status(sim);
      assert.equal(untouched.locked, true);
      const token = async (args: Record<string, unknown> = { vin: modern }) => {
        const r = await (a as NonNullable<typeof a>).call('door_unlock', args);
        assert.equal(r.structuredContent?.status, 'confirmation_required', text(r));
        return String(r.structuredContent?.confirmation_token);
      };

      // confirm: true alone is refused, and no command is sent or billed.
      const shortcut = await a.call('door_unlock', { vin: modern, confirm: true });
      assert.equal(codeOf(shortcut), 'invalid_argument', text(shortcut));
      // A first call answers a token and runs nothing.
      const t1 = await token();
      assert.deepEqual(await status(sim), untouched, 'the first call sent nothing');

      // Another session cannot use it (and using it up there leaves it spent).
      const stolen = await inB('door_unlock', { vin: modern, confirmation_token: t1 });
      assert.equal(codeOf(stolen), 'confirmation_invalid', text(stolen));
      // Other arguments, or another tool, are refused.
      const t2 = await token();
      const otherArgs = await a.call('door_unlock', {
        vin: SIM_VINS.legacy,
        confirmation_token: t2,
      });
      assert.equal(codeOf(otherArgs), 'confirmation_invalid', text(otherArgs));
      const t3 = await token();
      const otherTool = await a.call('remote_start_drive', { vin: modern, confirmation_token: t3 });
      assert.equal(codeOf(otherTool), 'confirmation_invalid', text(otherTool));
      assert.deepEqual(await status(sim), untouched, 'no refused call reached the car');

      // The right session, arguments and tool: it runs, once.
      const t4 = await token();
      const ok = await a.call('door_unlock', { vin: modern, confirmation_token: t4 });
      assert.equal(ok.isError, undefined, text(ok));
      const after = await status(sim);
      assert.equal(after.locked, false);
      assert.equal(after.ran, (untouched.ran ?? 0) + 1);
      // The unlock's signed_command requests (with the VCSEC handshake before it) are billed.
      assert.ok(after.billed > untouched.billed, JSON.stringify({ untouched, after }));
      const replay = await a.call('door_unlock', { vin: modern, confirmation_token: t4 });
      assert.equal(codeOf(replay), 'confirmation_invalid', text(replay));
      assert.deepEqual(await status(sim), after, 'a used token runs nothing');
    } finally {
      await b.close().catch(() => {});
      await a?.close();
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a token older than 5 minutes is refused as expired and runs nothing; a fresh one works', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-confirm-expiry-'));
    const sim = await startSimProcess();
    let s: McpSession | undefined;
    try {
      const keyFile = join(dir, 'private-key.pem');
      await writeFile(keyFile, sim.key.toPem('pkcs8'), { mode: 0o600 });
      const env = serveEnv({ dir, fleetUrl: sim.url, token: sim.token, keyFile });
      env.TESLA_MCP_CONFIRM = 'elicit';
      // 5 s past the token's 5 minutes, within the minute more the store keeps a token
      // (src/mcp/confirmations.ts), so the server says "expired", not "unknown". Nothing else
      // the calls rely on expires: TESLA_ACCESS_TOKEN is used as is (never checked for expiry),
      // the simulator keeps real time, and the first session with the car starts after the shift.
      const step = CONFIRMATION_TTL_MS + 5_000;
      env.NODE_OPTIONS = clockShiftNodeOptions(step);
      s = await connectStdio(env);
      const transport = s.client.transport;
      assert.ok(transport instanceof StdioClientTransport);
      const pid = transport.pid;
      assert.ok(pid, 'serve runs in a child process');
      const session = s;
      const token = async () => {
        const r = await session.call('door_unlock', { vin: modern });
        assert.equal(r.structuredContent?.status, 'confirmation_required', text(r));
        return String(r.structuredContent?.confirmation_token);
      };

      const untouched = await status(sim);
      assert.equal(untouched.locked, true);
      const old = await token();
      assert.deepEqual(await status(sim), untouched, 'the first call sent nothing');
      await shiftClock(pid, s.output);
      const late = await s.call('door_unlock', { vin: modern, confirmation_token: old });
      assert.equal(late.isError, true, text(late));
      assert.equal(codeOf(late), 'confirmation_invalid', text(late));
      assert.match(text(late), /confirmation_token has expired \(tokens last 5 minutes\)/);
      assert.match(text(late), /call door_unlock without confirmation_token for a new one/);
      assert.match(text(late), /Nothing was executed/);
      assert.deepEqual(await status(sim), untouched, 'an expired token sent nothing');

      // The same server, on its moved clock, still runs a fresh token, once: the refusal was
      // the token's age.
      const fresh = await token();
      const ok = await s.call('door_unlock', { vin: modern, confirmation_token: fresh });
      assert.equal(ok.isError, undefined, text(ok));
      const after = await status(sim);
      assert.equal(after.locked, false);
      assert.equal(after.ran, (untouched.ran ?? 0) + 1);
      const replay = await s.call('door_unlock', { vin: modern, confirmation_token: fresh });
      assert.equal(codeOf(replay), 'confirmation_invalid', text(replay));
      assert.match(text(replay), /already used/);
      assert.deepEqual(await status(sim), after, 'a used token runs nothing');
    } finally {
      await s?.close();
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
