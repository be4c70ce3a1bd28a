import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromBinary } from '@bufbuild/protobuf';
import * as security from '../../src/commands/security.js';
import { UnsignedMessageSchema } from '../../src/gen/vcsec_pb.js';
import { actionJson, toHex, vcsecJson, viaRegistry } from '../helpers/decode-command.js';

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
  assert.deepEqual(viaRegistry('speed_limit_activate', { pin: '1111' }), {
    drivingSpeedLimitAction: { activate: true, pin: '1111' },
  });
  assert.deepEqual(viaRegistry('speed_limit_deactivate', { pin: '1111' }), {
    drivingSpeedLimitAction: { activate: false, pin: '1111' },
  });
  assert.deepEqual(viaRegistry('speed_limit_clear_pin', { pin: '1111' }), {
    drivingClearSpeedLimitPinAction: { pin: '1111' },
  });
  assert.deepEqual(viaRegistry('speed_limit_set_limit', { limit_mph: 65.5 }), {
    drivingSetSpeedLimitAction: { limitMph: 65.5 },
  });
  assert.deepEqual(viaRegistry('trigger_homelink', { lat: 37.5, lon: -122.25 }), {
    vehicleControlTriggerHomelinkAction: {
      location: { latitude: 37.5, longitude: -122.25 },
      token: '',
    },
  });
  assert.deepEqual(viaRegistry('set_low_power_mode', { enable: true }), {
    setLowPowerModeAction: { lowPowerMode: true },
  });
  assert.deepEqual(viaRegistry('keep_accessory_power_mode', { enable: false }), {
    setKeepAccessoryPowerModeAction: { keepAccessoryPowerMode: false },
  });
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

test('locks and RKE actions decode to UnsignedMessage.RKEAction(2)', () => {
  assert.deepEqual(viaRegistry('door_lock'), { RKEAction: 'RKE_ACTION_LOCK' });
  assert.deepEqual(viaRegistry('door_unlock'), { RKEAction: 'RKE_ACTION_UNLOCK' });
  assert.deepEqual(viaRegistry('remote_start_drive'), { RKEAction: 'RKE_ACTION_REMOTE_DRIVE' });
  assert.deepEqual(viaRegistry('auto_secure_vehicle'), {
    RKEAction: 'RKE_ACTION_AUTO_SECURE_VEHICLE',
  });
});

test('door_unlock encodes the oneof member even though RKE_ACTION_UNLOCK is 0', () => {
  const cmd = security.doorUnlock();
  assert.equal(cmd.domain, 2);
  assert.equal(toHex(cmd.payload), '1000');
  const decoded = fromBinary(UnsignedMessageSchema, cmd.payload);
  assert.deepEqual(decoded.subMessage, { case: 'RKEAction', value: 0 });
});

test('closures decode to closureMoveRequest(4)', () => {
  assert.deepEqual(viaRegistry('actuate_trunk', { which_trunk: 'front' }), {
    closureMoveRequest: { frontTrunk: 'CLOSURE_MOVE_TYPE_MOVE' },
  });
  assert.deepEqual(viaRegistry('actuate_trunk', { which_trunk: 'rear' }), {
    closureMoveRequest: { rearTrunk: 'CLOSURE_MOVE_TYPE_MOVE' },
  });
  assert.deepEqual(viaRegistry('open_tonneau'), {
    closureMoveRequest: { tonneau: 'CLOSURE_MOVE_TYPE_OPEN' },
  });
  assert.deepEqual(viaRegistry('close_tonneau'), {
    closureMoveRequest: { tonneau: 'CLOSURE_MOVE_TYPE_CLOSE' },
  });
  assert.deepEqual(viaRegistry('stop_tonneau'), {
    closureMoveRequest: { tonneau: 'CLOSURE_MOVE_TYPE_STOP' },
  });
  assert.deepEqual(vcsecJson(security.closeTrunk()), {
    closureMoveRequest: { rearTrunk: 'CLOSURE_MOVE_TYPE_CLOSE' },
  });
});

test('actuate_trunk reads which_trunk exactly as command.go does', () => {
  // A non-string value falls through to the rear trunk.
  assert.deepEqual(viaRegistry('actuate_trunk', { which_trunk: 1 }), {
    closureMoveRequest: { rearTrunk: 'CLOSURE_MOVE_TYPE_MOVE' },
  });
  // Absent (read as "") or any other string is NominalError "invalid_value".
  for (const params of [{}, { which_trunk: 'back' }, { which_trunk: 'FRONT' }]) {
    assert.throws(() => viaRegistry('actuate_trunk', params), {
      name: 'CommandParamError',
      message: 'invalid_value',
    });
  }
  assert.throws(() => security.actuateTrunk('side' as security.Trunk), RangeError);
});

test('actuators decode to the §4 field paths', () => {
  assert.deepEqual(viaRegistry('honk_horn'), { vehicleControlHonkHornAction: {} });
  assert.deepEqual(viaRegistry('flash_lights'), { vehicleControlFlashLightsAction: {} });
  assert.deepEqual(viaRegistry('window_control', { command: 'vent' }), {
    vehicleControlWindowAction: { vent: {} },
  });
  // lat/lon are ignored over the protocol.
  assert.deepEqual(viaRegistry('window_control', { command: 'close', lat: 1, lon: 2 }), {
    vehicleControlWindowAction: { close: {} },
  });
  assert.deepEqual(
    actionJson(security.ventWindows()),
    viaRegistry('window_control', { command: 'vent' }),
  );
});

test('window_control refuses other commands with the Go text', () => {
  assert.throws(() => viaRegistry('window_control', { command: 'open' }), {
    name: 'CommandParamError',
    message: "command must be 'vent' or 'close'",
  });
  assert.throws(() => viaRegistry('window_control', {}), { message: 'missing command param' });
});

test('sunroof: vent, close and open actions, and an absolute level', () => {
  for (const state of security.SUNROOF_STATES) {
    assert.deepEqual(viaRegistry('sun_roof_control', { state }), {
      vehicleControlSunroofOpenCloseAction: { [state]: {} },
    });
  }
  assert.throws(() => viaRegistry('sun_roof_control', { state: 'stop' }), {
    name: 'CommandParamError',
  });
  assert.deepEqual(actionJson(security.sunroofLevel(40)), {
    vehicleControlSunroofOpenCloseAction: { absoluteLevel: 40 },
  });
  assert.throws(() => security.sunroofLevel(101), RangeError);
});
