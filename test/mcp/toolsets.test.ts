import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ToolAnnotations } from '@modelcontextprotocol/sdk/types.js';
import { listEntry, type ServerConfig } from '../../src/mcp/server.js';
import { wireAnnotations } from '../../src/mcp/tool.js';
import { ALL_TOOLS, TOOLSET_NAMES, toolsetOf } from '../../src/mcp/toolsets/index.js';
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
    assert.equal(
      wireAnnotations({
        readOnlyHint: false,
        destructiveHint: true,
        idempotentHint: false,
        openWorldHint: true,
      }),
      undefined,
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
