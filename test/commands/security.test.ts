import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as security from '../../src/commands/security.js';
import { actionJson, viaRegistry } from '../helpers/decode-command.js';

test('security commands decode to the §4 field paths', () => {
  assert.deepEqual(viaRegistry('set_sentry_mode', { on: true }), {
    vehicleControlSetSentryModeAction: { on: true },
  });
  assert.deepEqual(viaRegistry('guest_mode', { enable: false }), {
    guestModeAction: { GuestModeActive: false },
  });
  assert.deepEqual(viaRegistry('set_valet_mode', { on: true, password: '1234' }), {
    vehicleControlSetValetModeAction: { on: true, password: '1234' },
  });
  // Off sends {on: false, password: ""} whatever password was given.
  assert.deepEqual(viaRegistry('set_valet_mode', { on: false, password: '9999' }), {
    vehicleControlSetValetModeAction: { on: false, password: '' },
  });
  assert.deepEqual(viaRegistry('reset_valet_pin'), { vehicleControlResetValetPinAction: {} });
  assert.deepEqual(viaRegistry('set_pin_to_drive', { on: true, password: '4321' }), {
    vehicleControlSetPinToDriveAction: { on: true, password: '4321' },
  });
  assert.deepEqual(viaRegistry('set_pin_to_drive', { on: false }), {
    vehicleControlSetPinToDriveAction: { on: false, password: '' },
  });
  assert.deepEqual(viaRegistry('reset_pin_to_drive_pin'), {
    vehicleControlResetPinToDriveAction: {},
  });
  assert.deepEqual(viaRegistry('clear_pin_to_drive_admin'), {
    vehicleControlResetPinToDriveAdminAction: {},
  });
  assert.deepEqual(viaRegistry('speed_limit_activate', { pin: '1111' }), {
    drivingSpeedLimitAction: { activate: true, pin: '1111' },
  });
  assert.deepEqual(viaRegistry('speed_limit_deactivate', { pin: '1111' }), {
    drivingSpeedLimitAction: { activate: false, pin: '1111' },
  });
  assert.deepEqual(viaRegistry('speed_limit_clear_pin', { pin: '1111' }), {
    drivingClearSpeedLimitPinAction: { pin: '1111' },
  });
  assert.deepEqual(viaRegistry('speed_limit_clear_pin_admin'), {
    drivingClearSpeedLimitPinAdminAction: {},
  });
  assert.deepEqual(viaRegistry('speed_limit_set_limit', { limit_mph: 65.5 }), {
    drivingSetSpeedLimitAction: { limitMph: 65.5 },
  });
  assert.deepEqual(viaRegistry('parental_controls_activate', { pin: '2468' }), {
    parentalControlsAction: { activate: true, pin: '2468' },
  });
  assert.deepEqual(viaRegistry('parental_controls_deactivate', { pin: '2468' }), {
    parentalControlsAction: { activate: false, pin: '2468' },
  });
  for (const setting of security.PARENTAL_CONTROLS_SETTINGS) {
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
  assert.deepEqual(viaRegistry('trigger_homelink', { lat: 37.5, lon: -122.25 }), {
    vehicleControlTriggerHomelinkAction: {
      location: { latitude: 37.5, longitude: -122.25 },
      token: '',
    },
  });
  assert.deepEqual(viaRegistry('erase_user_data'), { eraseUserDataAction: { reason: '' } });
});

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
  assert.throws(() => security.parentalControlsActivate('12a4'), RangeError);
  assert.throws(() => security.speedLimitActivate('99999'), RangeError);
  assert.throws(() => security.setPinToDrive(true), RangeError);
  assert.throws(() => security.setPinToDrive(false, '12'), RangeError);
  assert.throws(() => viaRegistry('set_valet_mode', { on: true }), /four digits/);
  assert.throws(() => viaRegistry('set_valet_mode', { on: true, password: 1234 }), {
    name: 'CommandParamError',
    message: 'invalid password param',
  });
});

test('speed limits, homelink and settings are range-checked', () => {
  assert.throws(() => security.speedLimitSetLimit(49), {
    message: 'speed limit must be 50–120 mph, got 49',
  });
  assert.throws(() => security.speedLimitSetLimit(121), RangeError);
  assert.equal(actionJson(security.speedLimitSetLimit(50)) !== null, true);
  assert.throws(() => security.parentalControlsSetSpeedLimit(0), RangeError);
  assert.throws(() => security.triggerHomelink(90.1, 0), /latitude/);
  assert.throws(() => security.triggerHomelink(0, 180.1), /longitude/);
  assert.throws(
    () =>
      security.parentalControlsEnableSetting('Bedtime' as security.ParentalControlsSetting, true),
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
