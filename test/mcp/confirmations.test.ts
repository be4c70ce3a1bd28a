import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CONFIRMATION_TTL_MS,
  type ConfirmationCall,
  Confirmations,
  canonicalJson,
  MemoryPendingStore,
  type PendingStore,
} from '../../src/mcp/confirmations.js';
import { connect, fakeDeps, VIN } from '../helpers/fake-deps.js';

type Result = {
  isError?: boolean;
  structuredContent?: Record<string, unknown>;
  content: { type: string; text: string }[];
};

const OTHER_VIN = '5YJ3E1EA7KF000002';
const call = (o: Partial<ConfirmationCall> = {}): ConfirmationCall => ({
  tool: 'door_unlock',
  session: 's1',
  args: { vin: VIN },
  ...o,
});

/** A clock the test moves by hand. */
function clock(start = 1_700_000_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

/** A store that records what it was given (to show it never holds the token). */
function recordingStore(): PendingStore & { seen: string[] } {
  const inner = new MemoryPendingStore();
  const seen: string[] = [];
  return {
    seen,
    async put(k, v, ttl) {
      seen.push(k, v);
      await inner.put(k, v, ttl);
    },
    get: (k) => inner.get(k),
    delete: (k) => inner.delete(k),
  };
}

describe('confirmation tokens', () => {
  it('a token allows exactly its call, once', async () => {
    const c = new Confirmations();
    const { token } = await c.issue(call());
    assert.equal(await c.redeem(token, call()), 'ok');
    assert.equal(await c.redeem(token, call()), 'unknown', 'single use');
  });

  it('other arguments, another tool or another session are refused, and use up the token', async () => {
    const c = new Confirmations();
    for (const other of [
      call({ args: { vin: OTHER_VIN } }),
      call({ args: { vin: VIN, extra: 1 } }),
      call({ args: {} }),
      call({ tool: 'remote_start_drive' }),
      call({ session: 's2' }),
    ]) {
      const { token } = await c.issue(call());
      assert.equal(await c.redeem(token, other), 'mismatch', JSON.stringify(other));
      assert.equal(await c.redeem(token, call()), 'unknown', 'a refused token is gone');
    }
  });

  it('the arguments are compared as canonical JSON (key order does not matter)', async () => {
    assert.equal(
      canonicalJson({ b: 1, a: { d: [2, { f: 1, e: 0 }], c: undefined } }),
      '{"a":{"d":[2,{"e":0,"f":1}]},"b":1}',
    );
    const c = new Confirmations();
    const { token } = await c.issue(call({ args: { vin: VIN, which_trunk: 'front' } }));
    assert.equal(await c.redeem(token, call({ args: { which_trunk: 'front', vin: VIN } })), 'ok');
  });

  it('valid for 5 minutes by the injected clock', async () => {
    const t = clock();
    const c = new Confirmations({ now: t.now });
    assert.equal(c.ttlSeconds, 300);
    const early = await c.issue(call());
    const late = await c.issue(call());
    t.advance(CONFIRMATION_TTL_MS - 1);
    assert.equal(await c.redeem(early.token, call()), 'ok');
    t.advance(1);
    assert.equal(await c.redeem(late.token, call()), 'expired');
  });

  it('an unknown or forged token is refused', async () => {
    const c = new Confirmations();
    const { token } = await c.issue(call());
    assert.equal(await c.redeem(`${token}x`, call()), 'unknown');
    assert.equal(await c.redeem('', call()), 'unknown');
    assert.equal(await c.redeem(token, call()), 'ok');
  });

  it('two concurrent redemptions of one token: exactly one goes on', async () => {
    const c = new Confirmations();
    const { token } = await c.issue(call());
    const results = await Promise.all([c.redeem(token, call()), c.redeem(token, call())]);
    assert.deepEqual(results.sort(), ['ok', 'unknown']);
  });

  it('tokens are random (256 bits) and the store never holds one', async () => {
    const store = recordingStore();
    const c = new Confirmations({ store });
    const tokens = new Set<string>();
    for (let i = 0; i < 20; i++) tokens.add((await c.issue(call())).token);
    assert.equal(tokens.size, 20);
    for (const t of tokens) {
      assert.match(t, /^ct_[A-Za-z0-9_-]{43}$/);
      assert.ok(!store.seen.some((s) => s.includes(t.slice(3))), 'the token reached the store');
    }
  });

  it('the in-memory store expires entries, deletes once and stays bounded', async () => {
    const t = clock();
    const s = new MemoryPendingStore({ now: t.now, max: 3 });
    await s.put('a', '1', 1000);
    assert.equal(await s.get('a'), '1');
    t.advance(1000);
    assert.equal(await s.get('a'), undefined);
    await s.put('b', '2', 1000);
    assert.equal(await s.delete('b'), true);
    assert.equal(await s.delete('b'), false);
    for (const k of ['c', 'd', 'e', 'f']) await s.put(k, k, 1000);
    assert.equal(await s.get('c'), undefined, 'the oldest entry made room');
    assert.equal(await s.get('f'), 'f');
  });
});

describe('gated tools over the SDK client (no elicitation)', () => {
  const first = async (client: Awaited<ReturnType<typeof connect>>['client'], args = {}) => {
    const r = (await client.callTool({ name: 'door_unlock', arguments: args })) as Result;
    assert.equal(r.isError, undefined, r.content[0]?.text);
    assert.equal(r.structuredContent?.status, 'confirmation_required');
    assert.equal(r.structuredContent?.executed, false);
    assert.match(String(r.structuredContent?.next), /ask them.*confirmation_token/);
    return String(r.structuredContent?.confirmation_token);
  };
  const refusal = (r: Result) => {
    assert.equal(r.isError, true, r.content[0]?.text);
    return (r.structuredContent?.error as { code?: string } | undefined)?.code;
  };

  it('confirm: true alone runs nothing', async () => {
    const { deps, rec } = fakeDeps();
    const { client, close } = await connect(deps);
    const r = (await client.callTool({
      name: 'door_unlock',
      arguments: { confirm: true },
    })) as Result;
    assert.equal(refusal(r), 'invalid_argument');
    assert.match(r.content[0]?.text ?? '', /"confirm" is not a parameter of door_unlock/);
    assert.deepEqual(rec.sent, []);
    await close();
  });

  it('a token runs its call once; other arguments, tool or session are refused', async () => {
    const { deps, rec } = fakeDeps();
    const a = await connect(deps);
    const use = (c: typeof a, name: string, args: Record<string, unknown>) =>
      c.client.callTool({ name, arguments: args }) as Promise<Result>;

    const other = await first(a.client, { vin: VIN });
    const r1 = await use(a, 'door_unlock', { vin: OTHER_VIN, confirmation_token: other });
    assert.equal(refusal(r1), 'confirmation_invalid');
    assert.match(r1.content[0]?.text ?? '', /another tool, other arguments or another session/);
    assert.match(r1.content[0]?.text ?? '', /call door_unlock without confirmation_token/);

    const tool = await first(a.client);
    const r2 = await use(a, 'remote_start_drive', { confirmation_token: tool });
    assert.equal(refusal(r2), 'confirmation_invalid');
    assert.deepEqual(rec.sent, []);

    const ok = await first(a.client);
    const r3 = await use(a, 'door_unlock', { confirmation_token: ok });
    assert.equal(r3.isError, undefined, r3.content[0]?.text);
    assert.equal(rec.sent.length, 1);
    const again = await use(a, 'door_unlock', { confirmation_token: ok });
    assert.equal(refusal(again), 'confirmation_invalid');
    assert.match(again.content[0]?.text ?? '', /already used/);
    assert.equal(rec.sent.length, 1, 'a token works once');
    await a.close();
  });

  it('a token from another session is refused, also when the sessions share a store', async () => {
    const { deps, rec } = fakeDeps();
    const confirmations = new Confirmations();
    const a = await connect(deps, { confirmations });
    const b = await connect(deps, { confirmations });
    const token = await first(a.client);
    const r = (await b.client.callTool({
      name: 'door_unlock',
      arguments: { confirmation_token: token },
    })) as Result;
    assert.equal(refusal(r), 'confirmation_invalid');
    assert.deepEqual(rec.sent, []);
    await a.close();
    await b.close();
  });

  it('an expired token is refused', async () => {
    const t = clock();
    const { deps, rec } = fakeDeps();
    const s = await connect(deps, { confirmations: new Confirmations({ now: t.now }) });
    const token = await first(s.client);
    t.advance(CONFIRMATION_TTL_MS);
    const r = (await s.client.callTool({
      name: 'door_unlock',
      arguments: { confirmation_token: token },
    })) as Result;
    assert.equal(refusal(r), 'confirmation_invalid');
    assert.match(r.content[0]?.text ?? '', /expired/);
    assert.deepEqual(rec.sent, []);
    await s.close();
  });

  it('with --confirm never or deny there is no token: never runs at once, deny refuses', async () => {
    for (const mode of ['never', 'deny'] as const) {
      const { deps, rec } = fakeDeps();
      const s = await connect(deps, { confirm: mode });
      const { tools } = await s.client.listTools();
      const unlock = tools.find((x) => x.name === 'door_unlock');
      assert.ok(!('confirmation_token' in (unlock?.inputSchema.properties ?? {})), mode);
      const r = (await s.client.callTool({ name: 'door_unlock', arguments: {} })) as Result;
      if (mode === 'never') assert.equal(rec.sent.length, 1);
      else assert.equal(refusal(r), 'confirmation_denied');
      await s.close();
    }
  });
});
