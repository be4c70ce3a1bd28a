import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createRuntime } from '../../src/mcp/runtime.js';
import { parseToolsets } from '../../src/mcp/server.js';
import { connect } from '../helpers/fake-deps.js';

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
const fakeJwt = (scp: string[]) =>
  `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url({ scp, ou_code: 'NA', exp: Math.floor(Date.now() / 1000) + 3600, aud: ['https://fleet-api.prd.na.vn.cloud.tesla.com'] })}.c2ln`;

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { text: string }[];
};

describe('runtime on the real Fleet API client (no network)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-runtime-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  async function setup(scp: string[], token = fakeJwt(scp)) {
    const runtime = await createRuntime({
      env: {
        TESLA_MCP_CONFIG_DIR: dir,
        TESLA_ACCESS_TOKEN: token,
        // Nothing listens here: any request that escaped the preflight would fail loudly.
        TESLA_FLEET_API_URL: 'http://127.0.0.1:9',
        TESLA_VIN: '5YJ3E1EA7KF000001',
      },
      simulator: false,
      log: () => {},
    });
    const s = await connect(runtime.deps, { toolsets: parseToolsets('all'), confirm: 'never' });
    return { runtime, ...s };
  }

  it('fails before any request when the token lacks the scope, naming it', async () => {
    const { runtime, client, close } = await setup(['vehicle_device_data']);
    const r = (await client.callTool({ name: 'charge_start', arguments: {} })) as Result;
    assert.equal(
      (r.structuredContent?.error as { code: string } | undefined)?.code,
      'missing_scope',
    );
    assert.match(r.content[0]?.text ?? '', /vehicle_charging_cmds.*tesla-mcp login/);
    assert.deepEqual(
      ((await runtime.deps.billing()) as { totals: Record<string, number> }).totals,
      {
        data: 0,
        command: 0,
        wake: 0,
        free: 0,
      },
    );
    await close();
    await runtime.close();
  });

  it('vehicle_data with location_data needs vehicle_location, checked before any billed request', async () => {
    const { runtime, client, close } = await setup(['vehicle_device_data']);
    const r = (await client.callTool({
      name: 'vehicle_data',
      arguments: { endpoints: ['charge_state', 'location_data'] },
    })) as Result;
    assert.equal(
      (r.structuredContent?.error as { code: string } | undefined)?.code,
      'missing_scope',
    );
    assert.match(r.content[0]?.text ?? '', /vehicle_location.*tesla-mcp login/);
    assert.deepEqual(
      ((await runtime.deps.billing()) as { totals: Record<string, number> }).totals,
      {
        data: 0,
        command: 0,
        wake: 0,
        free: 0,
      },
    );
    await close();
    await runtime.close();
  });

  it('without a command key, signed commands say how to create one; the token never shows', async () => {
    const token = fakeJwt(['vehicle_cmds', 'vehicle_device_data']);
    const { runtime, client, close } = await setup(['vehicle_cmds', 'vehicle_device_data'], token);
    const r = (await client.callTool({ name: 'door_lock', arguments: {} })) as Result;
    assert.equal(
      (r.structuredContent?.error as { code: string } | undefined)?.code,
      'no_command_key',
    );
    assert.match(r.content[0]?.text ?? '', /tesla-mcp keygen/);
    const status = (await client.callTool({ name: 'get_token_status', arguments: {} })) as Result;
    assert.equal(status.structuredContent?.source, 'TESLA_ACCESS_TOKEN');
    assert.ok(!JSON.stringify([r, status]).includes(token.split('.')[1] ?? 'x'));
    await close();
    await runtime.close();
  });
});
