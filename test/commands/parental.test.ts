import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as parental from '../../src/commands/parental.js';
import { viaRegistry } from '../helpers/decode-command.js';

test('parental-controls PIN, speed limit and setting are checked', () => {
  assert.throws(() => parental.parentalControlsActivate('12a4'), RangeError);
  assert.throws(() => parental.parentalControlsSetSpeedLimit(0), RangeError);
  assert.throws(
    () =>
      parental.parentalControlsEnableSetting('Bedtime' as parental.ParentalControlsSetting, true),
    RangeError,
  );
});

test('parental_controls_enable_setting takes the enum name, case-sensitive, like Go', () => {
  assert.throws(
    () => viaRegistry('parental_controls_enable_setting', { setting: 'curfew', enable: true }),
    {
      name: 'CommandParamError',
      message: 'invalid setting: curfew',
    },
  );
  // The setting is looked up before `enable` is read.
  assert.throws(() => viaRegistry('parental_controls_enable_setting', { setting: 'x' }), {
    message: 'invalid setting: x',
  });
  assert.throws(() => viaRegistry('parental_controls_enable_setting', { setting: 'Curfew' }), {
    message: 'missing enable param',
  });
});
