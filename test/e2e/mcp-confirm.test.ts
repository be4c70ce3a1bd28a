import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { SIM_VINS } from '../../src/sim/index.js';
import { connectHttp, serveEnv, type ToolResult } from '../helpers/mcp-process.js';
import { startSimProcess } from '../helpers/sim-process.js';

const { modern } = SIM_VINS;

interface SimStatus {
  vehicles: { vin: string; locked: boolean; commands: { name: string }[] }[];
  requests: { billable: { commands: number } };
}

const text = (r: ToolResult) => r.content.map((c) => c.text).join('\n');
const codeOf = (r: ToolResult) =>
  (r.structuredContent?.error as { code?: string } | undefined)?.code;

describe('confirmation tokens end to end (serve --http, two sessions, tesla-mcp sim)', () => {
  it('nothing reaches the car until the right session presents its token, once', async () => {
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
      const status = async () => {
        const r = await fetch(new URL('/sim/status.json', sim.url), {
          headers: { authorization: `Bearer ${sim.token}` },
        });
        const s = (await r.json()) as SimStatus;
        const car = s.vehicles.find((v) => v.vin === modern);
        return {
          locked: car?.locked,
          ran: car?.commands.length,
          billed: s.requests.billable.commands,
        };
      };
      const untouched = await status();
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
      assert.deepEqual(await status(), untouched, 'the first call sent nothing');

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
      assert.deepEqual(await status(), untouched, 'no refused call reached the car');

      // The right session, arguments and tool: it runs, once.
      const t4 = await token();
      const ok = await a.call('door_unlock', { vin: modern, confirmation_token: t4 });
      assert.equal(ok.isError, undefined, text(ok));
      const after = await status();
      assert.equal(after.locked, false);
      assert.equal(after.ran, (untouched.ran ?? 0) + 1);
      // The unlock's signed_command requests (with the VCSEC handshake before it) are billed.
      assert.ok(after.billed > untouched.billed, JSON.stringify({ untouched, after }));
      const replay = await a.call('door_unlock', { vin: modern, confirmation_token: t4 });
      assert.equal(codeOf(replay), 'confirmation_invalid', text(replay));
      assert.deepEqual(await status(), after, 'a used token runs nothing');
    } finally {
      await b.close().catch(() => {});
      await a?.close();
      await sim.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
