import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as security from '../../src/commands/security.js';
import { actionJson, viaRegistry } from '../helpers/decode-command.js';

test('PIN checks never echo the PIN', () => {
  for (const bad of ['123', '12345', 'abcd', '']) {
    assert.throws(
      () => security.enableValetMode(bad),
      (err: unknown) => {
        assert.ok(err instanceof RangeError);
        assert.equal(err.message, 'valet PIN must be four digits');
        return true;
      },
    );
  }
  assert.throws(() => security.speedLimitActivate('99999'), RangeError);
  assert.throws(() => security.setPinToDrive(true), RangeError);
  assert.throws(() => security.setPinToDrive(false, '12'), RangeError);
  assert.throws(() => viaRegistry('set_valet_mode', { on: true }), /four digits/);
  assert.throws(() => viaRegistry('set_valet_mode', { on: true, password: 1234 }), {
    name: 'CommandParamError',
    message: 'invalid password param',
  });
});

test('speed limits and homelink are range-checked', () => {
  assert.throws(() => security.speedLimitSetLimit(49), {
    message: 'speed limit must be 50–120 mph, got 49',
  });
  assert.throws(() => security.speedLimitSetLimit(121), RangeError);
  assert.equal(actionJson(security.speedLimitSetLimit(50)) !== null, true);
  assert.throws(() => security.triggerHomelink(90.1, 0), /latitude/);
  assert.throws(() => security.triggerHomelink(0, 180.1), /longitude/);
});

test('actuate_trunk reads which_trunk exactly as command.go does', () => {
  // A non-string value falls through to the rear trunk: a row in test-vectors/commands.
  // Absent (read as "") or any other string is NominalError "invalid_value".
  for (const params of [{}, { which_trunk: 'back' }, { which_trunk: 'FRONT' }]) {
    assert.throws(() => viaRegistry('actuate_trunk', params), {
      name: 'CommandParamError',
      message: 'invalid_value',
    });
  }
  assert.throws(() => security.actuateTrunk('side' as security.Trunk), RangeError);
});

test('window_control refuses other commands with the Go text', () => {
  assert.throws(() => viaRegistry('window_control', { command: 'open' }), {
    name: 'CommandParamError',
    message: "command must be 'vent' or 'close'",
  });
  assert.throws(() => viaRegistry('window_control', {}), { message: 'missing command param' });
});

test('sunroof: only vent, close and open states, and a level of 0–100', () => {
  assert.deepEqual([...security.SUNROOF_STATES], ['vent', 'close', 'open']);
  assert.throws(() => viaRegistry('sun_roof_control', { state: 'stop' }), {
    name: 'CommandParamError',
  });
  assert.throws(() => security.sunroofLevel(101), RangeError);
});
