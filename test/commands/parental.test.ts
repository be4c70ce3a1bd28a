import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as parental from '../../src/commands/parental.js';
import { viaRegistry } from '../helpers/decode-command.js';

test('parental-controls commands decode to the §4 field paths', () => {
  assert.deepEqual(viaRegistry('parental_controls_activate', { pin: '2468' }), {
    parentalControlsAction: { activate: true, pin: '2468' },
  });
  assert.deepEqual(viaRegistry('parental_controls_deactivate', { pin: '2468' }), {
    parentalControlsAction: { activate: false, pin: '2468' },
  });
  for (const setting of parental.PARENTAL_CONTROLS_SETTINGS) {
    assert.deepEqual(viaRegistry('parental_controls_enable_setting', { setting, enable: true }), {
      parentalControlsEnableSettingsAction: { setting, enable: true },
    });
  }
  assert.deepEqual(viaRegistry('parental_controls_set_speed_limit', { limit_mph: 70 }), {
    parentalControlsSetSpeedLimitAction: { limitMph: 70 },
  });
  assert.deepEqual(viaRegistry('parental_controls_clear_pin_admin'), {
    parentalControlsClearPinAdminAction: {},
  });
});

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
