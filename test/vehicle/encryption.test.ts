/**
 * Hold response encryption in the vehicle layer: once a domain has answered encrypted (in this
 * process or as recorded in the session cache), a plaintext or stripped reply to a command sent
 * with FLAG_ENCRYPT_RESPONSE is an unknown outcome ("may have executed"), never a success.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { MessageFault } from '../../src/signing/errors.js';
import { VehicleCommandError } from '../../src/vehicle/errors.js';
import { keyFingerprint } from '../../src/vehicle/pairing.js';
import { SessionCache } from '../../src/vehicle/session-cache.js';
import type { VehicleCommand } from '../../src/vehicle/types.js';
import { nodeKey } from '../helpers/node-key.js';
import { CLIMATE_ON, LOCK, setup, VIN } from '../helpers/vehicle-setup.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-hold-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});
let n = 0;
const nextPath = () => join(dir, `sessions-${++n}.json`);

const unknownOutcome = (e: unknown) =>
  e instanceof VehicleCommandError &&
  e.code === 'unknown_outcome' &&
  e.mayHaveExecuted &&
  /not encrypted although this vehicle encrypts its replies/.test(e.message);

for (const cmd of [LOCK, CLIMATE_ON] as VehicleCommand[]) {
  describe(`domain ${cmd.domain}`, () => {
    for (const kind of ['plaintext', 'strip'] as const) {
      test(`a ${kind} reply after an encrypted one: unknown outcome, not resent`, async () => {
        const s = setup();
        await s.vehicle.send(cmd);
        const ran = s.car.executed.length;
        s.transport.inject(VIN, 'command', { kind });
        await assert.rejects(s.vehicle.send(cmd), unknownOutcome);
        assert.equal(s.car.executed.length, ran + 1, 'the car ran it once; it was not resent');
      });
    }

    test('a plaintext reply to the first command (firmware before 2024.38) is accepted', async () => {
      const s = setup();
      s.transport.inject(VIN, 'command', { kind: 'plaintext' });
      const r = await s.vehicle.send(cmd);
      assert.equal(r.result, true);
      // It still does not learn "encrypts" from a plaintext answer: the next plaintext is fine too.
      s.transport.inject(VIN, 'command', { kind: 'plaintext' });
      assert.equal((await s.vehicle.send(cmd)).result, true);
    });

    test('a forced re-handshake keeps the hold', async () => {
      const s = setup();
      await s.vehicle.send(cmd);
      const handshakes = s.transport.count('handshake');
      // A fault without session info makes the client drop the session and handshake again.
      s.transport.inject(
        VIN,
        'command',
        { kind: 'fault', fault: MessageFault.INCORRECT_EPOCH },
        { kind: 'plaintext' },
      );
      await assert.rejects(s.vehicle.send(cmd, { idempotent: false }), unknownOutcome);
      assert.equal(s.transport.count('handshake'), handshakes + 1);
    });
  });
}

test('the session cache records it: a plaintext reply after a restart is refused', async () => {
  const path = nextPath();
  const key = nodeKey();
  const fp = keyFingerprint(key.publicKey);
  const a = setup({ key, cache: await SessionCache.open({ path, keyFingerprint: fp }) });
  await a.vehicle.send(CLIMATE_ON);
  await a.dispatcher.close();
  const doc = JSON.parse(await readFile(path, 'utf8'));
  assert.equal(doc.vehicles[VIN].sessions['3'].encryptsResponses, true);

  const b = setup({
    key,
    transport: a.transport,
    cache: await SessionCache.open({ path, keyFingerprint: fp }),
  });
  const before = a.transport.signedRequests();
  a.transport.inject(VIN, 'command', { kind: 'plaintext' });
  await assert.rejects(b.vehicle.send(CLIMATE_ON), unknownOutcome);
  assert.equal(a.transport.signedRequests() - before, 1, 'the cached session was used');
});

test('a cache file written before the field existed still loads (and is not held)', async () => {
  const path = nextPath();
  const key = nodeKey();
  const fp = keyFingerprint(key.publicKey);
  const a = setup({ key, cache: await SessionCache.open({ path, keyFingerprint: fp }) });
  await a.vehicle.send(CLIMATE_ON);
  await a.dispatcher.close();
  const doc = JSON.parse(await readFile(path, 'utf8'));
  delete doc.vehicles[VIN].sessions['3'].encryptsResponses;
  await writeFile(path, JSON.stringify(doc));

  const warnings: string[] = [];
  const cache = await SessionCache.open({
    path,
    keyFingerprint: fp,
    warn: (m) => warnings.push(m),
  });
  assert.deepEqual(warnings, []);
  assert.equal(cache.get(VIN, 3)?.encryptsResponses, undefined);
  const b = setup({ key, transport: a.transport, cache });
  const before = a.transport.signedRequests();
  await b.vehicle.send(CLIMATE_ON);
  assert.equal(a.transport.signedRequests() - before, 1, 'no handshake: the old entry is used');
  await b.dispatcher.close();
  const again = JSON.parse(await readFile(path, 'utf8'));
  assert.equal(again.vehicles[VIN].sessions['3'].encryptsResponses, true, 'learned again');
});

test('a cache entry with a non-boolean encryptsResponses is skipped as malformed', async () => {
  const path = nextPath();
  const doc = {
    version: 1,
    key: 'fp',
    vehicles: {
      [VIN]: {
        usedAt: 1,
        sessions: { '3': { sessionInfo: 'AAEC', exportedAt: 1, encryptsResponses: 'yes' } },
      },
    },
  };
  await writeFile(path, JSON.stringify(doc));
  const warnings: string[] = [];
  const cache = await SessionCache.open({
    path,
    keyFingerprint: 'fp',
    warn: (m) => warnings.push(m),
  });
  assert.equal(cache.get(VIN, 3), undefined);
  assert.match(warnings.join('\n'), /ignored 1 malformed entry/);
});
