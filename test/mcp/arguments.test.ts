import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIRM_MODES } from '../../src/mcp/gate.js';
import { listEntry, registeredInput } from '../../src/mcp/server.js';
import { ALL_TOOLS, TOOLSET_NAMES } from '../../src/mcp/toolsets/index.js';
import { connect, fakeDeps, VIN } from '../helpers/fake-deps.js';

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

type Prop = {
  type?: string;
  enum?: unknown[];
  maximum?: number;
  maxItems?: number;
  items?: Prop;
};

const ALL = { toolsets: TOOLSET_NAMES, confirm: 'never' as const };
const codeOf = (r: Result) => (r.structuredContent?.error as { code?: string } | undefined)?.code;

describe('tool input schemas', () => {
  it('refuse unknown properties (additionalProperties: false) in every confirm mode', () => {
    for (const mode of CONFIRM_MODES) {
      for (const t of ALL_TOOLS) {
        assert.equal(listEntry(t, mode).inputSchema.additionalProperties, false, t.name);
      }
    }
  });

  it('have real maxima: numbers, arrays, and strings (a 100 kB string is refused)', () => {
    const problems: string[] = [];
    for (const t of ALL_TOOLS) {
      const props = (listEntry(t).inputSchema.properties ?? {}) as Record<string, Prop>;
      const shape = registeredInput(t).shape as Record<
        string,
        { safeParse(v: unknown): { success: boolean } }
      >;
      for (const [name, p] of Object.entries(props)) {
        const where = `${t.name}.${name}`;
        if (p.enum) continue;
        if (p.type === 'number' || p.type === 'integer') {
          if (p.maximum === undefined || p.maximum >= Number.MAX_SAFE_INTEGER)
            problems.push(`${where}: no maximum`);
        } else if (p.type === 'array') {
          if (p.maxItems === undefined) problems.push(`${where}: no maxItems`);
        } else if (p.type === 'string') {
          for (const huge of ['1'.repeat(100_000), 'A'.repeat(100_000)]) {
            if (shape[name]?.safeParse(huge).success) problems.push(`${where}: takes 100 kB`);
          }
        }
      }
    }
    assert.deepEqual(problems, []);
  });
});

describe('argument errors come back like every other error', () => {
  it('isError, invalid_argument, a sentence naming the field, and nothing sent', async () => {
    const { deps, rec } = fakeDeps();
    const { client, close } = await connect(deps, ALL);
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['set_charge_limit', { percent: 30 }, /set_charge_limit: percent: .*50/],
      ['set_charge_limit', {}, /percent is required/],
      [
        'set_charge_limit',
        { percent: 80, force: true },
        /"force" is not a parameter.*takes vin, percent/,
      ],
      ['door_lock', { vin: 'not-a-vin' }, /vin: must be a 17-character VIN/],
      ['door_lock', { vin: '../../users/me' }, /vin: must be a 17-character VIN/],
      ['charging_history', { start_time: 'yesterday' }, /start_time: must be an ISO 8601 date/],
      ['charging_history', { end_time: '2026-13-45' }, /end_time: must be an ISO 8601 date/],
      ['charging_sessions', { date_from: '2026-01-01&vin=x' }, /date_from: must be an ISO 8601/],
      ['charging_sessions', { vin: 'x'.repeat(5000) }, /vin: must be a 17-character VIN/],
      ['calendar_history', { energy_site_id: '1', time_zone: 'Mars/Olympus' }, /time_zone: must/],
      ['calendar_history', { energy_site_id: '../1' }, /energy_site_id:/],
      ['list_vehicles', { page: 1e9 }, /page: /],
      ['vehicle_data', { endpoints: 'charge_state' }, /endpoints: /],
    ];
    for (const [name, args, re] of cases) {
      const r = (await client.callTool({ name, arguments: args })) as Result;
      assert.equal(r.isError, true, `${name} ${JSON.stringify(args)}`);
      assert.equal(codeOf(r), 'invalid_argument', name);
      assert.match(r.content[0]?.text ?? '', re, name);
      assert.match(r.content[0]?.text ?? '', /Nothing was executed/);
      assert.doesNotMatch(r.content[0]?.text ?? '', /MCP error|-32602/);
    }
    assert.deepEqual(rec.requests, [], 'no Fleet request for bad arguments');
    assert.deepEqual(rec.sent, []);
    await close();
  });

  it('valid ISO dates and VINs go into the query as given', async () => {
    const { deps, rec } = fakeDeps();
    const { client, close } = await connect(deps, ALL);
    for (const start of ['2026-01-31', '2026-01-31T08:00:00Z', '2026-01-31T08:00:00.123+01:00']) {
      const r = (await client.callTool({
        name: 'charging_history',
        arguments: { vin: VIN, start_time: start },
      })) as Result;
      assert.equal(r.isError, undefined, r.content[0]?.text);
      const q = (rec.requests.at(-1)?.query ?? {}) as { startTime?: string };
      assert.equal(q.startTime, start);
    }
    await close();
  });
});
