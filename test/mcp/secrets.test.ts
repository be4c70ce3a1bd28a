import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createRuntime } from '../../src/mcp/runtime.js';
import { listEntry, parseToolsets } from '../../src/mcp/server.js';
import { ALL_TOOLS } from '../../src/mcp/toolsets/index.js';
import { PrivateKey } from '../../src/signing/keys.js';
import { SIM_VINS, startSimulator } from '../../src/sim/index.js';
import { connect } from '../helpers/fake-deps.js';

type Schema = {
  type?: string;
  enum?: unknown[];
  minimum?: number;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
};

const STRINGS: Record<string, string> = {
  energy_site_id: '1689000111',
  pin: '1234',
  password: '1234',
  days_of_week: 'All',
  domain: 'example.com',
  hostname: 'telemetry.example.com',
  fields_json: '{"BatteryLevel":{"interval_seconds":60}}',
  body_json: '{}',
  tariff_content_v2_json: '{}',
  address: '1 Main Street',
  note: 'note',
  vehicle_name: 'Sim',
  id: 'abc123',
  invite_id: 'abc123',
  share_user_id: 'abc123',
  code: 'abc123',
};

/** The smallest valid arguments for a tool: its required fields, sampled from the schema. */
function sample(name: string, s: Schema): unknown {
  if (s.enum) return s.enum[0];
  if (s.type === 'boolean') return true;
  if (s.type === 'number' || s.type === 'integer') return Math.max(s.minimum ?? 1, 1);
  if (s.type === 'array') return [name === 'vins' ? SIM_VINS.modern : sample(name, s.items ?? {})];
  if (s.type === 'string') return STRINGS[name] ?? 'abc';
  return undefined;
}

describe('no secret ever reaches a result or a log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-secrets-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('runs every tool against the simulator and greps outputs and logs', async () => {
    const key = PrivateKey.generate();
    const pem = key.toPem('pkcs8');
    writeFileSync(join(dir, 'private-key.pem'), pem, { mode: 0o600 });
    const env = {
      TESLA_MCP_CONFIG_DIR: dir,
      TESLA_VIN: SIM_VINS.modern,
      TESLA_DOMAIN: 'example.com',
      TESLA_REFRESH_TOKEN: 'refresh-token-secret-0123456789',
      MCP_API_KEY: 'tmcp_api-key-secret-0123456789',
    };
    const logs: string[] = [];
    const runtime = await createRuntime({
      env,
      simulator: true,
      startSimulator: (o) =>
        startSimulator({
          pairKeys: o.pairKeys,
          wakeDelayMs: 0,
          rateLimits: { data: 10_000, commands: 10_000, wakes: 10_000 },
        }),
      log: (l) => logs.push(l),
      sleep: async () => {},
    });
    const { client, close } = await connect(runtime.deps, {
      toolsets: parseToolsets('all'),
      confirm: 'never',
      log: (l) => logs.push(l),
    });
    const outputs: string[] = [];
    const invalid: string[] = [];
    for (const tool of ALL_TOOLS) {
      const schema = listEntry(tool).inputSchema as Schema;
      const args: Record<string, unknown> = {};
      for (const field of schema.required ?? []) {
        args[field] = sample(field, schema.properties?.[field] ?? {});
      }
      const r = await client.callTool({ name: tool.name, arguments: args });
      const text = JSON.stringify(r);
      outputs.push(text);
      if (/Invalid arguments for/.test(text)) invalid.push(`${tool.name}: ${text.slice(0, 200)}`);
    }
    await close();
    const simToken = runtime.simulator?.token ?? '';
    await runtime.close();
    assert.deepEqual(invalid, [], 'the sampler must produce valid arguments for every tool');
    const secrets = {
      'access token': simToken,
      'refresh token': env.TESLA_REFRESH_TOKEN,
      'API key': env.MCP_API_KEY,
      'private key (PKCS#8 body)': pem.split('\n')[1] ?? '',
      'private key (SEC1 body)': key.toPem('sec1').split('\n')[1] ?? '',
    };
    const all = [...outputs, ...logs].join('\n');
    assert.ok(simToken.length > 20 && outputs.length === ALL_TOOLS.length);
    for (const [what, value] of Object.entries(secrets)) {
      assert.ok(value.length >= 16, what);
      assert.ok(!all.includes(value), `${what} leaked`);
    }
    assert.ok(!/BEGIN (EC )?PRIVATE KEY/.test(all), 'no private PEM');
    assert.ok(!/\bat [\w.<>]+ \(.*:\d+:\d+\)/.test(all), 'no stack traces');
  });
});
