/**
 * Golden checks for the commands of our extension module (`proto-ext/car_server_ext.proto`).
 * Each row is transcribed by hand from the published schema, Teslemetry/python-tesla-fleet-api
 * `proto/car_server.proto` @0b1a36574ef18a83912f0688eeb206ef1d9b27de (the `VehicleAction` field
 * number, and the number and wire type of each field of the inner message), with the whole
 * `CarServer.Action` assembled by hand in hex. The built bytes are read with the independent wire
 * reader of `./independent-vehicle.ts` (no protobuf library, none of our generated code), so an
 * error in our `.proto` cannot hide behind a round trip through the same `.proto`.
 *
 * @module
 */
import assert from 'node:assert/strict';
import { getCommand } from '../../src/commands/registry.js';
import { readFields, type WireField } from './independent-vehicle.js';

/** A field as published: number, wire type (0 varint, 1 fixed64, 2 length-delimited), value. */
export interface PublishedField {
  no: number;
  wire: 0 | 1 | 2;
  /** varint: a number (bool as 0/1, enum as its number); fixed64: a double; bytes: UTF-8 text. */
  value: number | string;
}

export interface ExtGolden {
  /** The Fleet command, built through the registry from these JSON params. */
  name: string;
  params: Record<string, unknown>;
  /** The published `VehicleAction` field number of the action. */
  field: number;
  /** Every field of the inner message on the wire (proto3 leaves zero values out). */
  fields: PublishedField[];
  /** `CarServer.Action` bytes, assembled by hand. */
  hex: string;
}

function only(fields: WireField[], no: number, what: string): Uint8Array {
  assert.equal(fields.length, 1, `${what}: exactly one field`);
  const [f] = fields;
  assert.equal(f?.no, no, `${what}: field number`);
  assert.equal(f?.wire, 2, `${what}: a length-delimited message`);
  assert.ok(f && typeof f.value !== 'number');
  return f.value;
}

function value(f: WireField): number | string {
  if (typeof f.value === 'number') return f.value;
  if (f.wire === 1) return Buffer.from(f.value).readDoubleLE(0);
  return Buffer.from(f.value).toString('utf8');
}

/** Builds the row's command and checks its bytes against the published numbers and wire types. */
export function checkExtGolden(g: ExtGolden): void {
  const spec = getCommand(g.name);
  assert.equal(spec?.source, 'teslemetry-ext', `${g.name}: marked as an extension row`);
  assert.ok(spec?.build, `${g.name}: has a builder`);
  const cmd = spec.build(g.params);
  assert.equal(cmd.domain, 3, `${g.name}: Infotainment`);
  assert.equal(Buffer.from(cmd.payload).toString('hex'), g.hex, `${g.name}: bytes`);
  // Action.vehicleAction = 2 → VehicleAction.<field> → the action's own fields.
  const vehicleAction = only(readFields(cmd.payload), 2, `${g.name}: Action`);
  const inner = only(readFields(vehicleAction), g.field, `${g.name}: VehicleAction`);
  const got = readFields(inner).map((f) => ({ no: f.no, wire: f.wire, value: value(f) }));
  assert.deepEqual(got, g.fields, `${g.name}: fields`);
}
