/**
 * The no-op reasons of src/vehicle/already.ts, one test per row: the row's reason, sent by the car
 * as a signed `CarServer` error and as a REST `result:false`, is a success with the row's sentence
 * (`changed: false` for "already holds"); the same text from another command, or a real refusal,
 * stays a `command_failed` error.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { create, toBinary } from '@bufbuild/protobuf';
import { ResponseSchema } from '../../src/gen/car_server_pb.js';
import { ALREADY_REASONS, matchAlready } from '../../src/vehicle/already.js';
import { VehicleCommandError } from '../../src/vehicle/errors.js';
import { restCommand } from '../../src/vehicle/rest.js';
import { afterReply, type Call } from '../../src/vehicle/signed-call.js';
import type { FleetTransport, RestCommandResult } from '../../src/vehicle/transport.js';

const VIN = '5YJ3E1EA7JF000001';

function call(name: string, params: Record<string, unknown>): Call {
  return {
    vin: VIN,
    publicKey: new Uint8Array(65).fill(4),
    appDomain: undefined,
    name,
    params,
    idempotent: false,
    deadline: Date.now() + 10_000,
    signal: new AbortController().signal,
    sends: 1,
    maxAttempts: 4,
    unknownRetried: false,
    invalidSignatures: 0,
    rehandshaken: false,
    last: undefined,
  };
}

function refusal(reason: string): Uint8Array {
  return toBinary(
    ResponseSchema,
    create(ResponseSchema, {
      actionStatus: { result: 1, resultReason: { reason: { case: 'plainText', value: reason } } },
    }),
  );
}

function restCar(answer: RestCommandResult): FleetTransport {
  const no = async (): Promise<never> => {
    throw new Error('not used');
  };
  return {
    signedCommand: no,
    wakeUp: no,
    vehicle: no,
    restCommand: async () => answer,
  };
}

/** One case per row of the table: the command it is sent for and the sentence expected. */
const CASES: Record<string, { name: string; params: Record<string, unknown>; message: RegExp }> = {
  already_set: {
    name: 'set_charge_limit',
    params: { percent: 80 },
    message: /^charge limit was already 80%$/,
  },
  not_charging: { name: 'charge_stop', params: {}, message: /^the car was not charging$/ },
  is_charging: { name: 'charge_start', params: {}, message: /^the car was already charging$/ },
  complete: { name: 'charge_start', params: {}, message: /already complete/ },
  'already off': {
    name: 'set_valet_mode',
    params: { on: false },
    message: /^valet mode was already off$/,
  },
  'already on': {
    name: 'set_sentry_mode',
    params: { on: true },
    message: /^Sentry Mode was already on$/,
  },
  requested: { name: 'actuate_trunk', params: {}, message: /accepted actuate_trunk/ },
};

describe('no-op reasons (src/vehicle/already.ts)', () => {
  test('every row has a case here and names its source', () => {
    assert.deepEqual(ALREADY_REASONS.map((r) => r.reason).sort(), Object.keys(CASES).sort());
    for (const row of ALREADY_REASONS) assert.match(row.source, /^[\w.-]+\/[\w.-]+ \S+\.(go|py)$/);
  });

  for (const row of ALREADY_REASONS) {
    const c = CASES[row.reason];
    if (!c) continue;
    const unchanged = row.outcome === 'unchanged';
    test(`"${row.reason}" from ${c.name} is a success${unchanged ? ' with changed: false' : ''}`, async () => {
      const signed = afterReply(call(c.name, c.params), 3, refusal(row.reason));
      assert.equal(signed.do, 'return');
      if (signed.do !== 'return') return;
      assert.equal(signed.result.result, true);
      assert.equal(signed.result.reason, row.reason);
      assert.equal(signed.result.changed, unchanged ? false : undefined);
      assert.match(signed.result.message ?? '', c.message);

      const rest = await restCommand(
        restCar({ result: false, reason: row.reason }),
        VIN,
        c.name,
        c.params,
        {},
      );
      assert.equal(rest.via, 'rest');
      assert.equal(rest.changed, unchanged ? false : undefined);
      assert.match(rest.message ?? '', c.message);
    });
  }

  test('the Go SDK prefix form matches too ("car could not execute command: already off")', () => {
    const m = matchAlready('set_valet_mode', 'car could not execute command: already off');
    assert.equal(m?.row.reason, 'already off');
  });

  test('a reason meant for another command is still an error (not_charging from charge_start)', async () => {
    const next = afterReply(call('charge_start', {}), 3, refusal('not_charging'));
    assert.equal(next.do, 'throw');
    const err = next.do === 'throw' ? next.error : undefined;
    assert.ok(err instanceof VehicleCommandError);
    assert.equal(err.code, 'command_failed');
    assert.equal(err.reason, 'not_charging');
    await assert.rejects(
      restCommand(restCar({ result: false, reason: 'is_charging' }), VIN, 'charge_stop', {}, {}),
      (e: unknown) => e instanceof VehicleCommandError && e.code === 'command_failed',
    );
  });

  test('a real refusal stays command_failed with the reason (disconnected)', async () => {
    await assert.rejects(
      restCommand(restCar({ result: false, reason: 'disconnected' }), VIN, 'charge_start', {}, {}),
      (e: unknown) =>
        e instanceof VehicleCommandError &&
        e.code === 'command_failed' &&
        e.reason === 'disconnected' &&
        /disconnected/.test(e.message),
    );
  });

  test('set_charging_amps and an unknown setter get their own sentences', () => {
    assert.equal(
      matchAlready('set_charging_amps', 'already_set', { charging_amps: 16 })?.message,
      'charging current was already 16 A',
    );
    assert.match(matchAlready('set_cop_temp', 'already_set')?.message ?? '', /already in place/);
    assert.equal(matchAlready('charge_start', ''), undefined);
  });
});
