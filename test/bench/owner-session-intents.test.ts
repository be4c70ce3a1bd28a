/**
 * The owner session of `npm run bench -- owner` cannot rot: every scripted call names a tool of
 * ours with arguments the server accepts for it (`registeredInput`, checked as
 * `src/mcp/arguments.ts` does), every Python tool it
 * compares with has Fleet API counts, and the wake-poll count follows `tesla_wait_for_wake`'s
 * loop (a state read at once, then every 5 s until online).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  INTENTS,
  PYTHON_TOOLS,
  pythonWaitForWakePolls,
} from '../../bench/owner-session-intents.js';
import { parseArguments } from '../../src/mcp/arguments.js';
import { registeredInput } from '../../src/mcp/server.js';
import { ALL_TOOLS } from '../../src/mcp/toolsets/index.js';

describe('the scripted owner session', () => {
  it('has at least 20 intents, each with calls on both sides', () => {
    assert.ok(INTENTS.length >= 20, `${INTENTS.length} intents`);
    for (const i of INTENTS) {
      assert.ok(i.calls.length > 0 && i.python.length > 0, i.say);
    }
  });

  it('calls only tools of ours, with arguments their schemas accept', () => {
    const tools = new Map(ALL_TOOLS.map((t) => [t.name, t]));
    for (const i of INTENTS) {
      for (const c of i.calls) {
        const tool = tools.get(c.tool);
        assert.ok(tool, `${i.say}: no tool ${c.tool}`);
        assert.doesNotThrow(
          () => parseArguments(c.tool, registeredInput(tool), c.args ?? {}),
          i.say,
        );
      }
    }
  });

  it('names only Python tools with Fleet API counts, each at least one request', () => {
    for (const i of INTENTS) {
      for (const name of i.python) {
        const t = PYTHON_TOOLS[name];
        assert.ok(t, `${i.say}: no counts for ${name}`);
        assert.ok(t.data + t.command + t.wake >= 1, name);
      }
    }
  });

  it('counts tesla_wait_for_wake polls at 0, 5, 10 ... s up to the first at or after the wake', () => {
    assert.equal(pythonWaitForWakePolls(0), 1); // online at the first read
    assert.equal(pythonWaitForWakePolls(1), 2); // 0 s asleep, 5 s online
    assert.equal(pythonWaitForWakePolls(10), 3); // 0, 5, 10
    assert.equal(pythonWaitForWakePolls(12), 4); // 0, 5, 10, 15
    assert.equal(pythonWaitForWakePolls(12, 2), 7); // 0, 2, ... 12
  });
});
