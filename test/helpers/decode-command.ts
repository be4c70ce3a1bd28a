/**
 * Test helper: decode built commands back into protobuf JSON (`toJson` with implicit fields
 * emitted) so tests compare decoded messages, not bytes.
 *
 * @module
 */
import assert from 'node:assert/strict';
import { fromBinary, type JsonValue, toJson } from '@bufbuild/protobuf';
import { getCommand } from '../../src/commands/registry.js';
import type { Command } from '../../src/commands/types.js';
import { ActionSchema, VehicleActionSchema } from '../../src/gen/car_server_pb.js';
import { UnsignedMessageSchema } from '../../src/gen/vcsec_pb.js';

/** The `VehicleAction` of an Infotainment command, as protobuf JSON. */
export function actionJson(cmd: Command): JsonValue {
  assert.equal(cmd.domain, 3, 'expected an Infotainment (3) command');
  const action = fromBinary(ActionSchema, cmd.payload);
  assert.equal(action.actionMsg.case, 'vehicleAction');
  return toJson(VehicleActionSchema, action.actionMsg.value, { alwaysEmitImplicit: true });
}

/** The `UnsignedMessage` of a VCSEC command, as protobuf JSON (zero enums omitted, oneofs kept). */
export function vcsecJson(cmd: Command): JsonValue {
  assert.equal(cmd.domain, 2, 'expected a VCSEC (2) command');
  return toJson(UnsignedMessageSchema, fromBinary(UnsignedMessageSchema, cmd.payload));
}

/** Builds `name` from JSON params through the registry and returns the decoded message. */
export function viaRegistry(name: string, params: Record<string, unknown> = {}): JsonValue {
  const spec = getCommand(name);
  assert.ok(spec?.build, `${name} has a builder`);
  const cmd = spec.build(params, { now: 1_700_000_000_000 });
  assert.equal(cmd.domain, spec.domain === 'vcsec' ? 2 : 3, `${name} domain`);
  return cmd.domain === 3 ? actionJson(cmd) : vcsecJson(cmd);
}

export const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
