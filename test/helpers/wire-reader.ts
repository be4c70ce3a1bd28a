/**
 * Test helper: a small protobuf wire-format reader (tag = field << 3 | wire type, base-128
 * varints, length-delimited and fixed-width values), and {@link decodeWithProtoText}, which walks
 * the bytes against the messages read from the `.proto` text by `./proto-text.ts`. Written by
 * hand from the encoding guide (https://protobuf.dev/programming-guides/encoding/) so the
 * command goldens are checked without our generated code or @bufbuild.
 *
 * @module
 */
import {
  type ProtoEnum,
  type ProtoField,
  type ProtoMessage,
  type ProtoSchema,
  SCALARS,
} from './proto-text.js';

export const VARINT = 0;
export const I64 = 1;
export const LEN = 2;
export const I32 = 5;

export interface WireField {
  readonly field: number;
  readonly wireType: number;
  /** A varint as bigint, or the raw bytes of a LEN, I32 or I64 value. */
  readonly value: bigint | Uint8Array;
}

function readVarint(b: Uint8Array, at: number): [bigint, number] {
  let v = 0n;
  for (let i = 0; i < 10; i++) {
    const byte = b[at + i];
    if (byte === undefined) throw new Error(`truncated varint at byte ${at}`);
    v |= BigInt(byte & 0x7f) << BigInt(7 * i);
    if ((byte & 0x80) === 0) {
      if (i > 0 && byte === 0) throw new Error(`varint at byte ${at} is not minimal`);
      return [BigInt.asUintN(64, v), at + i + 1];
    }
  }
  throw new Error(`varint at byte ${at} is longer than 10 bytes`);
}

/** Splits one message's bytes into its fields, in wire order. */
export function readFields(b: Uint8Array): WireField[] {
  const out: WireField[] = [];
  let at = 0;
  while (at < b.length) {
    const [tag, next] = readVarint(b, at);
    const field = Number(tag >> 3n);
    const wireType = Number(tag & 7n);
    if (field < 1 || field > 536_870_911) throw new Error(`bad field number ${field} at ${at}`);
    at = next;
    if (wireType === VARINT) {
      const [value, end] = readVarint(b, at);
      out.push({ field, wireType, value });
      at = end;
    } else if (wireType === LEN || wireType === I32 || wireType === I64) {
      let len = wireType === I32 ? 4 : 8;
      if (wireType === LEN) {
        const [n, end] = readVarint(b, at);
        len = Number(n);
        at = end;
      }
      if (at + len > b.length) throw new Error(`field ${field}: ${len} bytes run past the end`);
      out.push({ field, wireType, value: b.subarray(at, at + len) });
      at += len;
    } else {
      throw new Error(`field ${field}: wire type ${wireType} (groups) is not used by proto3`);
    }
  }
  return out;
}

const VARINT_TYPES = ['int32', 'int64', 'uint32', 'uint64', 'sint32', 'sint64', 'bool'];
const I32_TYPES = ['fixed32', 'sfixed32', 'float'];
const I64_TYPES = ['fixed64', 'sfixed64', 'double'];

/** The wire type a field of this (resolved) type is written with when not packed. */
export function wireTypeOf(type: string, resolved?: ProtoMessage | ProtoEnum): number {
  if (VARINT_TYPES.includes(type) || resolved?.kind === 'enum') return VARINT;
  if (I32_TYPES.includes(type)) return I32;
  if (I64_TYPES.includes(type)) return I64;
  return LEN;
}

/** A decoded value: numbers stay numbers while exact, larger integers become decimal strings. */
export type Decoded = boolean | number | string | Decoded[] | { [field: string]: Decoded };

const num = (v: bigint): number | string =>
  v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v.toString();

function scalar(type: string, v: bigint | Uint8Array, where: string): Decoded {
  if (typeof v === 'bigint') {
    switch (type) {
      case 'bool':
        if (v > 1n) throw new Error(`${where}: bool varint ${v} is not 0 or 1`);
        return v === 1n;
      case 'int32':
        return num(BigInt.asIntN(32, v));
      case 'uint32':
        return num(BigInt.asUintN(32, v));
      case 'int64':
        return num(BigInt.asIntN(64, v));
      case 'uint64':
        return num(v);
      case 'sint32':
      case 'sint64':
        return num((v >> 1n) ^ -(v & 1n));
    }
    throw new Error(`${where}: ${type} is not a varint type`);
  }
  const view = new DataView(v.buffer, v.byteOffset, v.byteLength);
  switch (type) {
    case 'float':
      return view.getFloat32(0, true);
    case 'double':
      return view.getFloat64(0, true);
    case 'fixed32':
      return view.getUint32(0, true);
    case 'sfixed32':
      return view.getInt32(0, true);
    case 'fixed64':
      return num(view.getBigUint64(0, true));
    case 'sfixed64':
      return num(view.getBigInt64(0, true));
    case 'string':
      return new TextDecoder('utf-8', { fatal: true }).decode(v);
    case 'bytes':
      return Buffer.from(v).toString('hex');
  }
  throw new Error(`${where}: unexpected type ${type}`);
}

/** One field's value, recursing into messages; enums become their value names. */
function value(schema: ProtoSchema, f: ProtoField, w: WireField, where: string): Decoded[] {
  const resolved = SCALARS.has(f.type) ? undefined : schema.resolve(f.type, f.scope);
  const want = wireTypeOf(f.type, resolved);
  if (resolved?.kind === 'message') {
    if (w.wireType !== LEN) throw new Error(`${where}: message sent with wire type ${w.wireType}`);
    return [decodeMessage(schema, resolved, w.value as Uint8Array, where)];
  }
  const one = (v: bigint | Uint8Array): Decoded => {
    if (resolved?.kind !== 'enum') return scalar(f.type, v, where);
    const n = Number(BigInt.asIntN(32, v as bigint));
    return resolved.values.get(n) ?? n;
  };
  if (w.wireType === want) return [one(w.value)];
  // Packed repeated scalars (the proto3 default): one LEN record holding the values back to back.
  if (f.repeated && w.wireType === LEN && want !== LEN) {
    const b = w.value as Uint8Array;
    const out: Decoded[] = [];
    for (let at = 0; at < b.length; ) {
      if (want === VARINT) {
        const [v, end] = readVarint(b, at);
        out.push(one(v));
        at = end;
      } else {
        const size = want === I32 ? 4 : 8;
        if (at + size > b.length) throw new Error(`${where}: packed value runs past the end`);
        out.push(one(b.subarray(at, at + size)));
        at += size;
      }
    }
    return out;
  }
  throw new Error(`${where}: ${f.type} expects wire type ${want}, got ${w.wireType}`);
}

/**
 * Decodes `bytes` as message `msg`, checking that each field number is declared in that message
 * in the proto text, with a compatible wire type, at most once unless repeated, and at most one
 * member per oneof. Returns `{ fieldName: value }` with proto field names; repeated fields are
 * arrays. `path` names the place in the error messages (`Action.vehicleAction(2)…`).
 */
export function decodeMessage(
  schema: ProtoSchema,
  msg: ProtoMessage,
  bytes: Uint8Array,
  path = msg.fullName,
): { [field: string]: Decoded } {
  const out: { [field: string]: Decoded } = {};
  const oneofs = new Map<string, string>();
  for (const w of readFields(bytes)) {
    const f = msg.fields.get(w.field);
    if (!f) throw new Error(`${path}: ${msg.fullName} has no field number ${w.field}`);
    const where = `${path}.${f.name}(${f.number})`;
    if (f.oneof) {
      const seen = oneofs.get(f.oneof);
      if (seen !== undefined && seen !== f.name) {
        throw new Error(`${where}: oneof ${f.oneof} already holds ${seen}`);
      }
      oneofs.set(f.oneof, f.name);
    }
    const values = value(schema, f, w, where);
    if (f.repeated) {
      out[f.name] = [...((out[f.name] as Decoded[] | undefined) ?? []), ...values];
    } else {
      if (Object.hasOwn(out, f.name)) throw new Error(`${where}: sent twice`);
      out[f.name] = values[0] as Decoded;
    }
  }
  return out;
}
