/**
 * `OAuthStateStore` on one file shared by several processes, each stood in for by its own
 * `OAuthStateStore.open` on the same path in a temp folder (and once by a real child process):
 * grants issued by one are accepted by the other, a refresh token is single-use across both, a
 * revocation on one is seen by the other, concurrent issues are all kept, and the file stays 0600
 * with no temporary or lock file left.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { OAuthStateError } from '../../../src/mcp/auth/errors.js';
import { type GrantRecord, OAuthStateStore } from '../../../src/mcp/auth/state.js';
import { withTempDir } from './helpers.js';

const HOUR = 3_600_000;
const now = () => Date.now();
const hash = () => randomBytes(32).toString('hex');

function grant(familyId: string, o: Partial<GrantRecord> = {}): GrantRecord {
  return {
    clientId: 'tesla-mcp-test-client',
    resource: 'http://localhost:8752/mcp',
    scope: '',
    familyId,
    expiresAt: Date.now() + HOUR,
    secretFp: '0123456789abcdef0123456789abcdef',
    ...o,
  };
}

/** Issues one access and refresh token of `familyId` on `store`; returns their hashes. */
async function issue(store: OAuthStateStore, familyId: string) {
  const t = { access: hash(), refresh: hash() };
  await store.putTokens(
    { hash: t.access, rec: grant(familyId) },
    { hash: t.refresh, rec: grant(familyId) },
  );
  return t;
}

async function twoOn(fn: (a: OAuthStateStore, b: OAuthStateStore, path: string) => Promise<void>) {
  await withTempDir(async (dir) => {
    const path = join(dir, 'oauth-state.json');
    await fn(await OAuthStateStore.open(path, now), await OAuthStateStore.open(path, now), path);
  });
}

test('a token issued by one process is accepted by another on the same file', async () => {
  await twoOn(async (a, b) => {
    const t = await issue(a, 'fam-1');
    assert.equal((await b.getAccess(t.access))?.familyId, 'fam-1');
    const r = await b.getRefresh(t.refresh);
    assert.equal(r?.familyId, 'fam-1');
    assert.equal(r?.usedAt, undefined);
    assert.equal(await b.getAccess(hash()), undefined);
  });
});

test('a refresh token exchanged on one process is a replay on the other', async () => {
  await twoOn(async (a, b) => {
    const t = await issue(a, 'fam-1');
    // B read the token before A exchanged it, as a request in flight on B would have.
    const onB = await b.getRefresh(t.refresh);
    assert.ok(onB);
    const onA = await a.getRefresh(t.refresh);
    assert.ok(onA);
    assert.equal(await a.useRefresh(t.refresh, onA), true);
    assert.equal(typeof onA.usedAt, 'number');
    assert.equal(await b.useRefresh(t.refresh, onB), false, 'B decides from the file');
    assert.equal(onB.usedAt, undefined);
    assert.equal(typeof (await b.getRefresh(t.refresh))?.usedAt, 'number');
    assert.equal(await a.useRefresh(t.refresh, onA), false, 'and A too');
  });
});

test('of concurrent exchanges of one refresh token on two processes, exactly one is first', async () => {
  await twoOn(async (a, b) => {
    const t = await issue(a, 'fam-1');
    const recs = await Promise.all([a, b, a, b].map((s) => s.getRefresh(t.refresh)));
    const firsts = await Promise.all(
      [a, b, a, b].map((s, i) => {
        const rec = recs[i];
        assert.ok(rec);
        return s.useRefresh(t.refresh, rec);
      }),
    );
    assert.equal(firsts.filter(Boolean).length, 1);
  });
});

test('revoking a family on one process makes the other refuse it, tokens issued later too', async () => {
  await twoOn(async (a, b, path) => {
    const t = await issue(a, 'fam-1');
    const other = await issue(a, 'fam-2');
    assert.ok(await a.getAccess(t.access));
    await b.revokeFamily('fam-1');
    assert.equal(await a.getAccess(t.access), undefined);
    assert.equal(await a.getRefresh(t.refresh), undefined);
    assert.ok(await a.getAccess(other.access), 'another family is untouched');
    // A finishes an exchange it started before the revocation: its new tokens are dead too.
    const late = await issue(a, 'fam-1');
    assert.equal(await a.getAccess(late.access), undefined);
    assert.equal(await b.getAccess(late.access), undefined);
    const fresh = await OAuthStateStore.open(path, now);
    assert.equal(fresh.size.access, 1, 'a process started later sees only fam-2');
  });
});

test('concurrent issues on two processes are all kept; the file stays 0600, nothing left over', async () => {
  await twoOn(async (a, b, path) => {
    const issued = await Promise.all(
      Array.from({ length: 24 }, (_, i) => issue(i % 2 ? a : b, `fam-${i}`)),
    );
    const later = await OAuthStateStore.open(path, now);
    assert.deepEqual(later.size, { access: 24, refresh: 24 });
    for (const t of issued) {
      assert.ok(await a.getAccess(t.access));
      assert.ok(await b.getRefresh(t.refresh));
    }
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(join(path, '..')), ['oauth-state.json']);
    const text = await readFile(path, 'utf8');
    for (const t of issued) assert.ok(text.includes(t.access));
  });
});

test('a child process issuing and exchanging while this one issues: nothing lost, single use held', async () => {
  await twoOn(async (a, _b, path) => {
    const t = await issue(a, 'fam-parent');
    const script = `
      import { OAuthStateStore } from ${JSON.stringify(new URL('../../../src/mcp/auth/state.ts', import.meta.url).href)};
      import { randomBytes } from 'node:crypto';
      const s = await OAuthStateStore.open(${JSON.stringify(path)}, Date.now);
      const rec = await s.getRefresh(${JSON.stringify(t.refresh)});
      const first = rec !== undefined && (await s.useRefresh(${JSON.stringify(t.refresh)}, rec));
      const issued = [];
      await Promise.all(Array.from({ length: 12 }, async (_, i) => {
        const h = randomBytes(32).toString('hex');
        const g = { clientId: 'c', resource: 'r', scope: '', familyId: 'fam-child-' + i,
          expiresAt: Date.now() + 3600000 };
        await s.putTokens({ hash: h, rec: g }, { hash: randomBytes(32).toString('hex'), rec: g });
        issued.push(h);
      }));
      process.stdout.write(JSON.stringify({ first, issued }));`;
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let out = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    let exited = false;
    const exit = new Promise<number | null>((resolve) =>
      child.once('exit', (code) => {
        exited = true;
        resolve(code);
      }),
    );
    const mine: { access: string; refresh: string }[] = [];
    for (let i = 0; !exited; i++) mine.push(await issue(a, `fam-${i}`));
    assert.equal(await exit, 0);
    const got = JSON.parse(out) as { first: boolean; issued: string[] };
    assert.equal(got.first, true, 'the child exchanged the refresh token first');
    const rec = await a.getRefresh(t.refresh);
    assert.equal(typeof rec?.usedAt, 'number', 'this process sees it used');
    assert.ok(rec);
    assert.equal(await a.useRefresh(t.refresh, rec), false, 'and refuses it here');
    for (const h of got.issued) assert.ok(await a.getAccess(h), 'every token the child issued');
    for (const m of mine) assert.ok(await a.getAccess(m.access));
    const later = await OAuthStateStore.open(path, now);
    assert.equal(later.size.access, 1 + got.issued.length + mine.length);
    assert.equal((await stat(path)).mode & 0o777, 0o600);
    assert.deepEqual(await readdir(join(path, '..')), ['oauth-state.json']);
  });
});

test('a state file that is not JSON: a change is refused with the next step, the file kept', async () => {
  await twoOn(async (a, _b, path) => {
    await writeFile(path, '{ not json', { mode: 0o600 });
    await assert.rejects(
      issue(a, 'fam-1'),
      (err: unknown) =>
        err instanceof OAuthStateError && /not valid JSON: delete it/.test(err.message),
    );
    assert.equal(await readFile(path, 'utf8'), '{ not json');
    assert.deepEqual(await readdir(join(path, '..')), ['oauth-state.json']);
  });
});

test('memory mode (no path) keeps working on its own', async () => {
  const s = await OAuthStateStore.open(undefined, now);
  const t = await issue(s, 'fam-1');
  const rec = await s.getRefresh(t.refresh);
  assert.ok(rec);
  assert.equal(await s.useRefresh(t.refresh, rec), true);
  assert.equal(await s.useRefresh(t.refresh, rec), false);
  await s.revokeFamily('fam-1');
  assert.equal(await s.getAccess(t.access), undefined);
});
