import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ToolAnnotations,
  ToolListChangedNotificationSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { listEntry, type ServerConfig } from '../../src/mcp/server.js';
import { wireAnnotations } from '../../src/mcp/tool.js';
import {
  ALL_TOOLS,
  DEFAULT_TOOLSETS,
  TOOLSET_NAMES,
  toolsetOf,
} from '../../src/mcp/toolsets/index.js';
import { connect, fakeDeps } from '../helpers/fake-deps.js';

/** What a client reads from sent annotations: the MCP schema's defaults fill the gaps. */
function asRead(a: ToolAnnotations | undefined) {
  const readOnly = a?.readOnlyHint ?? false;
  return {
    readOnly,
    // Meaningful only when readOnlyHint is false (MCP schema, ToolAnnotations).
    destructive: readOnly ? undefined : (a?.destructiveHint ?? true),
    idempotent: readOnly ? undefined : (a?.idempotentHint ?? false),
    openWorld: a?.openWorldHint ?? true,
  };
}

/** `tools/list` bytes measured as bench/mcp.bench.ts does: the JSON of the client's answer. */
async function listed(config: ServerConfig) {
  const { deps } = fakeDeps();
  const { client, close } = await connect(deps, config);
  const r = await client.listTools();
  await close();
  return { names: r.tools.map((t) => t.name), bytes: Buffer.byteLength(JSON.stringify(r)) };
}

describe('tools/list stays small', () => {
  it('sent annotations mean what the declared ones say, for every tool', () => {
    for (const t of ALL_TOOLS) {
      const sent = listEntry(t).annotations;
      const declared = t.annotations;
      assert.deepEqual(
        asRead(sent),
        {
          readOnly: declared.readOnlyHint,
          destructive: declared.readOnlyHint ? undefined : declared.destructiveHint,
          idempotent: declared.readOnlyHint ? undefined : declared.idempotentHint,
          openWorld: declared.openWorldHint,
        },
        t.name,
      );
      assert.equal(sent?.title, undefined, `${t.name}: the title is sent once, not twice`);
    }
    assert.deepEqual(
      wireAnnotations({
        readOnlyHint: false,
        destructiveHint: false,
        idempotentHint: true,
        openWorldHint: true,
      }),
      { destructiveHint: false, idempotentHint: true },
    );
    assert.deepEqual(
      wireAnnotations({
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: true,
      }),
      { destructiveHint: true },
    );
  });

  it('default toolsets ≤ 36,000 bytes, all tools ≤ 72,000 bytes', async () => {
    const def = await listed({});
    const all = await listed({ toolsets: TOOLSET_NAMES });
    assert.ok(def.bytes <= 36_000, `default toolsets: ${def.bytes} bytes`);
    assert.ok(all.bytes <= 72_000, `all tools: ${all.bytes} bytes`);
    assert.equal(all.names.length, ALL_TOOLS.length);
  });

  it('the default set has navigation and the pairing link', async () => {
    const { names } = await listed({});
    for (const n of ['navigation_request', 'get_pairing_link', 'wake_up', 'door_lock'])
      assert.ok(names.includes(n), n);
    assert.equal(toolsetOf('get_pairing_link'), 'vehicle');
    assert.ok(!names.includes('live_status'), 'energy is opt-in');
  });
});

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

describe('enable_toolsets', () => {
  it('unpinned: turns a toolset on, says so, and tells the client the list changed', async () => {
    const { deps, rec } = fakeDeps();
    const { client, close } = await connect(deps);
    assert.equal(client.getServerCapabilities()?.tools?.listChanged, true);
    assert.match(client.getInstructions() ?? '', /call enable_toolsets/);
    let changed = 0;
    client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
      changed++;
    });
    const before = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(before.includes('enable_toolsets'));
    assert.ok(!before.includes('live_status'));

    // A tool of a toolset that is off names the way to turn it on, and calls nothing.
    const off = (await client.callTool({
      name: 'live_status',
      arguments: { energy_site_id: '1' },
    })) as Result;
    assert.equal(off.isError, true);
    assert.equal(
      (off.structuredContent?.error as { code?: string } | undefined)?.code,
      'toolset_off',
    );
    assert.match(off.content[0]?.text ?? '', /enable_toolsets with toolsets: \["energy"\]/);
    assert.equal(rec.requests.length, 0);

    // Without arguments: what exists and what each holds; nothing changes.
    const info = (await client.callTool({ name: 'enable_toolsets', arguments: {} })) as Result;
    const sets = info.structuredContent?.toolsets as {
      name: string;
      on: boolean;
      holds: string;
      tools: string[];
    }[];
    assert.deepEqual(
      sets.map((s) => s.name),
      TOOLSET_NAMES,
    );
    const energy = sets.find((s) => s.name === 'energy');
    assert.equal(energy?.on, false);
    assert.match(energy?.holds ?? '', /Powerwall/);
    assert.ok(energy?.tools.includes('backup'));
    assert.equal(sets.find((s) => s.name === 'navigation')?.on, true);
    assert.equal(changed, 0);

    const on = (await client.callTool({
      name: 'enable_toolsets',
      arguments: { toolsets: ['energy'] },
    })) as Result;
    assert.deepEqual(on.structuredContent?.enabled, ['energy']);
    await waitFor(() => changed === 1);
    const after = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(after.includes('live_status') && after.includes('backup'));
    assert.equal(after.length, before.length + (energy?.tools.length ?? 0));
    const live = (await client.callTool({
      name: 'live_status',
      arguments: { energy_site_id: '1' },
    })) as Result;
    assert.equal(live.isError, undefined, live.content[0]?.text);
    assert.equal(rec.requests.at(-1)?.path, '/api/1/energy_sites/1/live_status');

    // Again: already on, no second notification.
    const again = (await client.callTool({
      name: 'enable_toolsets',
      arguments: { toolsets: ['energy'] },
    })) as Result;
    assert.deepEqual(again.structuredContent?.enabled, []);
    assert.match(String(again.structuredContent?.message), /Already on: energy/);
    // An unknown name is refused and changes nothing.
    const bad = (await client.callTool({
      name: 'enable_toolsets',
      arguments: { toolsets: ['cars'] },
    })) as Result;
    assert.equal(bad.isError, true);
    assert.equal((await client.listTools()).tools.length, after.length);
    assert.equal(changed, 1);
    await close();
  });

  it('--read-only still holds for toolsets turned on later', async () => {
    const { deps } = fakeDeps();
    const { client, close } = await connect(deps, { readOnly: true });
    const r = (await client.callTool({
      name: 'enable_toolsets',
      arguments: { toolsets: ['energy', 'keys'] },
    })) as Result;
    assert.deepEqual(r.structuredContent?.enabled, ['energy', 'keys']);
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(names.includes('live_status') && names.includes('get_key_status'));
    for (const n of ['backup', 'erase_user_data', 'door_unlock']) assert.ok(!names.includes(n), n);
    const sets = r.structuredContent?.toolsets as { name: string; tools: string[] }[];
    assert.ok(!sets.find((s) => s.name === 'energy')?.tools.includes('backup'));
    const write = (await client.callTool({
      name: 'backup',
      arguments: { energy_site_id: '1', backup_reserve_percent: 50 },
    })) as Result;
    assert.equal(write.isError, true);
    assert.match(write.content[0]?.text ?? '', /backup not found: call tools\/list/);
    await close();
  });

  it('pinned toolsets: no enable_toolsets, no instruction about it', async () => {
    const { deps } = fakeDeps();
    const { client, close } = await connect(deps, { toolsets: DEFAULT_TOOLSETS });
    const names = (await client.listTools()).tools.map((t) => t.name);
    assert.ok(!names.includes('enable_toolsets'));
    assert.doesNotMatch(client.getInstructions() ?? '', /enable_toolsets/);
    const r = (await client.callTool({ name: 'enable_toolsets', arguments: {} })) as Result;
    assert.equal(r.isError, true);
    await close();
  });
});

async function waitFor(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 100 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond(), 'condition not reached');
}
