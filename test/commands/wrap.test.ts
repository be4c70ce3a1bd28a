import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fromBinary } from '@bufbuild/protobuf';
import { EXTENSION_COMMAND_NAMES } from '../../src/commands/names.js';
import { getCommand } from '../../src/commands/registry.js';
import { infotainmentExt } from '../../src/commands/wrap.js';
import { ActionSchema, VehicleActionSchema } from '../../src/gen/car_server_pb.js';
import { StwHeatLevel } from '../../src/gen/common_pb.js';
import {
  StwHeatLevel as StwHeatLevelExt,
  VehicleActionExtSchema,
} from '../../src/gen-ext/car_server_ext_pb.js';

test('extension field numbers are not used by Tesla’s public VehicleAction', () => {
  const taken = new Set(VehicleActionSchema.fields.map((f) => f.number));
  const ours = VehicleActionExtSchema.fields.map((f) => f.number);
  assert.deepEqual(ours, [22, 24, 53, 58, 64, 70, 71, 90]);
  for (const n of ours) assert.equal(taken.has(n), false, `field ${n}`);
});

test('an extension command is a valid CarServer.Action for Tesla’s public parser', () => {
  const cmd = infotainmentExt({ case: 'boomboxAction', value: { sound: 2000 } });
  const action = fromBinary(ActionSchema, cmd.payload);
  assert.equal(action.actionMsg.case, 'vehicleAction');
  const va = action.actionMsg.value;
  // The public protos do not name field 64: it is kept as an unknown field, nothing else is set.
  assert.equal(va?.vehicleActionMsg.case, undefined);
  assert.deepEqual(
    va?.$unknown?.map((u) => [u.no, u.wireType]),
    [[64, 2]],
  );
});

test('our StwHeatLevel has the numbers of StwHeatLevel in Tesla’s common.proto', () => {
  assert.deepEqual(
    [
      StwHeatLevelExt.StwHeatLevel_Unknown,
      StwHeatLevelExt.StwHeatLevel_Off,
      StwHeatLevelExt.StwHeatLevel_Low,
      StwHeatLevelExt.StwHeatLevel_High,
    ],
    [
      StwHeatLevel.StwHeatLevel_Unknown,
      StwHeatLevel.StwHeatLevel_Off,
      StwHeatLevel.StwHeatLevel_Low,
      StwHeatLevel.StwHeatLevel_High,
    ],
  );
});

test('every extension command has a signed builder', () => {
  for (const name of EXTENSION_COMMAND_NAMES) {
    assert.equal(getCommand(name)?.domain, 'infotainment', name);
  }
});
