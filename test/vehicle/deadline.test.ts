import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VehicleCommandError } from '../../src/vehicle/errors.js';
import { LOCK, setup } from '../helpers/vehicle-setup.js';

test('a VCSEC command that waited past its deadline for the lock is never sent', async () => {
  let now = 1_700_000_000_000;
  const s = setup({ now: () => now, timeoutMs: 10_000 });
  // Warm the VCSEC session so the only requests below are the two commands.
  await s.vehicle.send(LOCK, { name: 'door_lock', idempotent: true });
  const sent: number[] = [];
  const inner = s.transport.signedCommand.bind(s.transport);
  s.transport.signedCommand = async (vin: string, bytes: Uint8Array) => {
    sent.push(now);
    now += 9_500; // the first command takes 9.5 s of the second one's 10 s
    return inner(vin, bytes);
  };
  const first = s.vehicle.send(LOCK, { name: 'door_lock', idempotent: true });
  const second = s.vehicle.send(LOCK, { name: 'door_lock', idempotent: true });
  await first;
  await assert.rejects(second, (e: unknown) => {
    assert.ok(e instanceof VehicleCommandError);
    assert.equal(e.code, 'deadline');
    assert.equal(e.mayHaveExecuted, false);
    return true;
  });
  assert.equal(sent.length, 1, 'the queued command never went out');
});
