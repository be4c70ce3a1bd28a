/**
 * The fault matrix: every MessageFault code and every way a reply can go wrong,
 * against the library's Verifier behind the in-process transport. Each row checks the outcome,
 * the number of requests, what ran on the car, and that counters never go backwards.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MessageFault } from '../../src/signing/errors.js';
import { VehicleCommandError } from '../../src/vehicle/errors.js';
import { CLIMATE_ON, LOCK, type Setup, setup, VIN } from '../helpers/vehicle-setup.js';

const BUSY_LIKE = [MessageFault.BUSY, MessageFault.TIMEOUT, MessageFault.INTERNAL];
const RESYNC = [
  MessageFault.INVALID_SIGNATURE,
  MessageFault.INVALID_TOKEN_OR_COUNTER,
  MessageFault.INCORRECT_EPOCH,
  MessageFault.TIME_EXPIRED,
  MessageFault.TIME_TO_LIVE_TOO_LONG,
];
const SURFACED = Object.entries(MessageFault).filter(
  ([, code]) =>
    code !== MessageFault.NONE &&
    code !== MessageFault.UNKNOWN_KEY_ID &&
    code !== MessageFault.RESPONSE_MTU_EXCEEDED &&
    !BUSY_LIKE.includes(code as 1) &&
    !RESYNC.includes(code as 5),
);

/** A warm session on both domains; returns request counts from here on. */
async function warm(s: Setup): Promise<() => { handshakes: number; commands: number }> {
  await s.vehicle.send(LOCK);
  await s.vehicle.send(CLIMATE_ON);
  const h0 = s.transport.count('handshake');
  const c0 = s.transport.count('command');
  s.car.executed.length = 0;
  return () => ({
    handshakes: s.transport.count('handshake') - h0,
    commands: s.transport.count('command') - c0,
  });
}

/** Every counter the car saw increased (no fresh handshake happened in between). */
function noRegressions(s: Setup): void {
  assert.deepEqual(s.transport.counterRegressions(), []);
}

/** Every counter the car accepted increased (a fresh handshake restarts from the car's). */
function noAcceptedRegressions(s: Setup): void {
  assert.deepEqual(s.transport.counterRegressions({ acceptedOnly: true }), []);
}

describe('fault matrix: MessageFault codes', () => {
  for (const fault of BUSY_LIKE) {
    for (const cmd of [LOCK, CLIMATE_ON]) {
      test(`fault ${fault} on domain ${cmd.domain}: pause, re-sign, resend`, async () => {
        const s = setup();
        const counts = await warm(s);
        s.transport.inject(VIN, 'command', { kind: 'fault', fault });
        await s.vehicle.send(cmd);
        assert.deepEqual(counts(), { handshakes: 0, commands: 2 });
        assert.deepEqual(s.sleeps, [1000]);
        assert.equal(s.car.executed.length, 1);
        noRegressions(s);
      });
    }
  }

  for (const fault of RESYNC) {
    for (const cmd of [LOCK, CLIMATE_ON]) {
      test(`fault ${fault} with session info on domain ${cmd.domain}: apply it, resend at once`, async () => {
        const s = setup();
        const counts = await warm(s);
        s.transport.inject(VIN, 'command', { kind: 'fault', fault, sessionInfo: true });
        await s.vehicle.send(cmd);
        assert.deepEqual(counts(), { handshakes: 0, commands: 2 });
        assert.deepEqual(s.sleeps, []);
        assert.equal(s.car.executed.length, 1);
        noRegressions(s);
      });
    }
    test(`fault ${fault} without session info: one fresh handshake, then success`, async () => {
      const s = setup();
      const counts = await warm(s);
      s.transport.inject(VIN, 'command', { kind: 'fault', fault });
      await s.vehicle.send(CLIMATE_ON);
      assert.deepEqual(counts(), { handshakes: 1, commands: 2 });
      noAcceptedRegressions(s);
    });
  }

  test('3 UNKNOWN_KEY_ID: key_not_paired, not retried', async () => {
    const s = setup();
    const counts = await warm(s);
    s.transport.inject(VIN, 'command', { kind: 'fault', fault: MessageFault.UNKNOWN_KEY_ID });
    await assert.rejects(s.vehicle.send(CLIMATE_ON), {
      code: 'key_not_paired',
      mayHaveExecuted: false,
    });
    assert.deepEqual(counts(), { handshakes: 0, commands: 1 });
  });

  for (const [name, fault] of SURFACED) {
    test(`${fault} ${name}: surfaced as fault, not retried, did not execute`, async () => {
      const s = setup();
      const counts = await warm(s);
      s.transport.inject(VIN, 'command', { kind: 'fault', fault });
      await assert.rejects(s.vehicle.send(CLIMATE_ON, { idempotent: true }), (e: unknown) => {
        assert.ok(e instanceof VehicleCommandError);
        assert.equal(e.code, 'fault');
        assert.equal(e.faultName, name);
        assert.equal(e.mayHaveExecuted, false);
        assert.equal(e.retryable, false);
        assert.ok(e.message.includes(VIN) && e.message.includes(name));
        return true;
      });
      assert.deepEqual(counts(), { handshakes: 0, commands: 1 });
      assert.equal(s.car.executed.length, 0);
    });
  }

  test('25 RESPONSE_MTU_EXCEEDED, non-idempotent: may have executed, never resent', async () => {
    const s = setup();
    const counts = await warm(s);
    s.transport.inject(VIN, 'command', {
      kind: 'fault',
      fault: MessageFault.RESPONSE_MTU_EXCEEDED,
      execute: true,
    });
    await assert.rejects(s.vehicle.send(CLIMATE_ON), (e: unknown) => {
      assert.ok(e instanceof VehicleCommandError);
      assert.equal(e.code, 'unknown_outcome');
      assert.equal(e.mayHaveExecuted, true);
      assert.match(e.message, /may have executed.*check the vehicle state before retrying/);
      return true;
    });
    assert.deepEqual(counts(), { handshakes: 0, commands: 1 });
    assert.equal(s.car.executed.length, 1);
  });

  test('25 RESPONSE_MTU_EXCEEDED, idempotent: resent once', async () => {
    const s = setup();
    const counts = await warm(s);
    s.transport.inject(VIN, 'command', {
      kind: 'fault',
      fault: MessageFault.RESPONSE_MTU_EXCEEDED,
      execute: true,
    });
    await s.vehicle.send(CLIMATE_ON, { idempotent: true });
    assert.deepEqual(counts(), { handshakes: 0, commands: 2 });
    noRegressions(s);
  });

  test('BUSY forever: bounded attempts, then a busy error (no spinning)', async () => {
    const s = setup();
    const counts = await warm(s);
    const busy = { kind: 'fault' as const, fault: MessageFault.BUSY };
    s.transport.inject(VIN, 'command', busy, busy, busy, busy, busy, busy, busy, busy);
    await assert.rejects(s.vehicle.send(LOCK), (e: unknown) => {
      assert.ok(e instanceof VehicleCommandError);
      assert.equal(e.code, 'busy');
      assert.equal(e.retryable, true);
      assert.equal(e.faultName, 'BUSY');
      return true;
    });
    assert.deepEqual(counts(), { handshakes: 0, commands: 4 });
    assert.equal(s.sleeps.length, 3, 'no pause after the last attempt');
  });

  test('BUSY with a short deadline: stops when the next pause would pass it', async () => {
    const clock = { now: 1_700_000_000_000 };
    const s = setup({
      now: () => clock.now,
      sleep: async (ms) => {
        clock.now += ms;
      },
      maxAttempts: 100,
      timeoutMs: 3500,
    });
    const counts = await warm(s);
    const busy = { kind: 'fault' as const, fault: MessageFault.BUSY };
    s.transport.inject(VIN, 'command', busy, busy, busy, busy, busy, busy);
    await assert.rejects(s.vehicle.send(CLIMATE_ON), { code: 'busy' });
    assert.equal(counts().commands, 3);
  });
});

describe('fault matrix: session state', () => {
  test('vehicle reboot mid-session (new epoch, counters reset): resync from the fault, 2 requests', async () => {
    const s = setup();
    const counts = await warm(s);
    s.car.verifiers[3].reboot();
    s.car.verifiers[2].reboot();
    await s.vehicle.send(CLIMATE_ON);
    await s.vehicle.send(LOCK);
    assert.deepEqual(counts(), { handshakes: 0, commands: 4 });
    noRegressions(s);
  });

  test('clock drift forcing TIME_EXPIRED: clock re-learned from the fault, 2 requests', async () => {
    const s = setup();
    const counts = await warm(s);
    s.car.verifiers[3].skewClock(3600);
    await s.vehicle.send(CLIMATE_ON);
    await s.vehicle.send(CLIMATE_ON);
    assert.deepEqual(counts(), { handshakes: 0, commands: 3 });
    noRegressions(s);
  });

  test("vehicle key changed (service visit): fault's session info fails our tag check, one handshake, success", async () => {
    const s = setup();
    const counts = await warm(s);
    s.car.replaceKey(3);
    await s.vehicle.send(CLIMATE_ON);
    assert.deepEqual(counts(), { handshakes: 1, commands: 2 });
    assert.equal(s.car.executed.length, 1);
    noAcceptedRegressions(s);
  });

  test('INVALID_SIGNATURE twice: drop the session, handshake once; again after it: key_changed, fail fast', async () => {
    const s = setup();
    const counts = await warm(s);
    const bad = {
      kind: 'fault' as const,
      fault: MessageFault.INVALID_SIGNATURE,
      sessionInfo: true,
    };
    s.transport.inject(VIN, 'command', bad, bad, bad, bad);
    await assert.rejects(s.vehicle.send(CLIMATE_ON), (e: unknown) => {
      assert.ok(e instanceof VehicleCommandError);
      assert.equal(e.code, 'key_changed');
      assert.match(e.message, /tesla-mcp pair/);
      return true;
    });
    assert.deepEqual(counts(), { handshakes: 1, commands: 3 });
    assert.equal(s.car.executed.length, 0);
  });

  test('key changed and the fresh session fails its tag check too: key_changed after one handshake', async () => {
    const s = setup();
    const counts = await warm(s);
    s.car.replaceKey(2);
    // The first send meets the new key for real; the one after the fresh handshake fails too.
    s.transport.inject(
      VIN,
      'command',
      { kind: 'pass' },
      { kind: 'fault', fault: MessageFault.INVALID_SIGNATURE, sessionInfo: true },
    );
    await assert.rejects(s.vehicle.send(LOCK), { code: 'key_changed' });
    assert.deepEqual(counts(), { handshakes: 1, commands: 2 });
  });
});

describe('fault matrix: replies', () => {
  for (const idempotent of [false, true]) {
    test(`dropped reply, ${idempotent ? 'idempotent: resent once' : 'non-idempotent: may have executed, not resent'}`, async () => {
      const s = setup();
      const counts = await warm(s);
      s.transport.inject(VIN, 'command', { kind: 'drop' });
      if (idempotent) {
        await s.vehicle.send(LOCK, { idempotent });
        assert.deepEqual(counts(), { handshakes: 0, commands: 2 });
        assert.equal(s.car.executed.length, 2);
      } else {
        await assert.rejects(s.vehicle.send(LOCK, { idempotent }), {
          code: 'unknown_outcome',
          mayHaveExecuted: true,
        });
        assert.deepEqual(counts(), { handshakes: 0, commands: 1 });
        assert.equal(s.car.executed.length, 1);
      }
      noRegressions(s);
    });
  }

  test('dropped reply twice, idempotent: resent only once, then unknown_outcome', async () => {
    const s = setup();
    const counts = await warm(s);
    s.transport.inject(VIN, 'command', { kind: 'drop' }, { kind: 'drop' });
    await assert.rejects(s.vehicle.send(LOCK, { idempotent: true }), { code: 'unknown_outcome' });
    assert.deepEqual(counts(), { handshakes: 0, commands: 2 });
  });

  test('504 after the car ran the command: unknown outcome', async () => {
    const s = setup();
    const counts = await warm(s);
    s.transport.inject(VIN, 'command', { kind: 'http', status: 504, execute: true });
    await assert.rejects(s.vehicle.send(CLIMATE_ON), {
      code: 'unknown_outcome',
      mayHaveExecuted: true,
    });
    assert.deepEqual(counts(), { handshakes: 0, commands: 1 });
  });

  for (const idempotent of [false, true]) {
    test(`reply with a bad tag (${idempotent ? 'idempotent' : 'non-idempotent'})`, async () => {
      const s = setup();
      const counts = await warm(s);
      s.transport.inject(VIN, 'command', { kind: 'tamper' });
      const p = s.vehicle.send(CLIMATE_ON, { idempotent });
      if (idempotent) {
        await p;
        assert.deepEqual(counts(), { handshakes: 0, commands: 2 });
      } else {
        await assert.rejects(p, (e: unknown) => {
          assert.ok(e instanceof VehicleCommandError);
          assert.equal(e.code, 'unknown_outcome');
          assert.match(e.message, /failed authentication/);
          return true;
        });
        assert.deepEqual(counts(), { handshakes: 0, commands: 1 });
      }
      noRegressions(s);
    });
  }

  test('a replayed encrypted reply (re-addressed to the new request) is refused, never taken as success', async () => {
    const s = setup();
    const counts = await warm(s);
    s.transport.inject(VIN, 'command', { kind: 'replay' });
    await assert.rejects(s.vehicle.send(CLIMATE_ON), {
      code: 'unknown_outcome',
      mayHaveExecuted: true,
    });
    assert.deepEqual(counts(), { handshakes: 0, commands: 1 });
  });

  test('a BUSY handshake is retried after a pause', async () => {
    const s = setup();
    s.transport.inject(VIN, 'handshake', { kind: 'fault', fault: MessageFault.BUSY });
    await s.vehicle.send(CLIMATE_ON);
    assert.equal(s.transport.count('handshake'), 2);
    assert.equal(s.transport.count('command'), 1);
    assert.deepEqual(s.sleeps, [1000]);
  });

  test('a dropped handshake reply is retried at once (a handshake runs nothing)', async () => {
    const s = setup();
    s.transport.inject(VIN, 'handshake', { kind: 'drop' });
    await s.vehicle.send(LOCK);
    assert.equal(s.transport.count('handshake'), 2);
    assert.equal(s.transport.count('command'), 1);
  });
});
