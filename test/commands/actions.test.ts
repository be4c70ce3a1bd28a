import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as actions from '../../src/commands/actions.js';
import { actionJson, viaRegistry } from '../helpers/decode-command.js';

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
    actionJson(actions.ventWindows()),
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
  for (const state of actions.SUNROOF_STATES) {
    assert.deepEqual(viaRegistry('sun_roof_control', { state }), {
      vehicleControlSunroofOpenCloseAction: { [state]: {} },
    });
  }
  assert.throws(() => viaRegistry('sun_roof_control', { state: 'stop' }), {
    name: 'CommandParamError',
  });
  assert.deepEqual(actionJson(actions.sunroofLevel(40)), {
    vehicleControlSunroofOpenCloseAction: { absoluteLevel: 40 },
  });
  assert.throws(() => actions.sunroofLevel(101), RangeError);
});
