/**
 * Test helper: reads `.proto` source text (the vendored `proto/`, and `proto-ext/` when present)
 * into plain tables of messages, fields and enums, so command goldens can be checked against
 * the field numbers as Tesla wrote them, without our generated code or @bufbuild.
 *
 * Only what proto3 files in this repository use is understood: packages, nested messages and
 * enums, `oneof`, `repeated`, `reserved`, options, and `map<K, V>`. Anything else throws.
 *
 * @module
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface ProtoField {
  readonly name: string;
  readonly number: number;
  /** A scalar type name (`int32`, `string`, …) or a message/enum name as written in the file. */
  readonly type: string;
  readonly repeated: boolean;
  readonly oneof?: string;
  /** The full name of the message declaring it, to resolve `type` from. */
  readonly scope: string;
}

export interface ProtoMessage {
  readonly kind: 'message';
  readonly fullName: string;
  readonly file: string;
  readonly fields: ReadonlyMap<number, ProtoField>;
}

export interface ProtoEnum {
  readonly kind: 'enum';
  readonly fullName: string;
  readonly file: string;
  readonly values: ReadonlyMap<number, string>;
}

export const SCALARS = new Set([
  'double',
  'float',
  'int32',
  'int64',
  'uint32',
  'uint64',
  'sint32',
  'sint64',
  'fixed32',
  'fixed64',
  'sfixed32',
  'sfixed64',
  'bool',
  'string',
  'bytes',
]);

export interface ProtoSchema {
  readonly types: ReadonlyMap<string, ProtoMessage | ProtoEnum>;
  /** Resolves a type name as protoc does: innermost scope first, then outwards. */
  resolve(type: string, scope: string): ProtoMessage | ProtoEnum;
  message(fullName: string): ProtoMessage;
}

const TOKEN = /\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/|"(?:[^"\\]|\\.)*"|[A-Za-z_][\w.]*|-?\d+|\S/g;

function tokenize(text: string): string[] {
  return (text.match(TOKEN) ?? []).filter((t) => !/^\s|^\/\/|^\/\*/.test(t));
}

class Parser {
  #i = 0;
  readonly #file: string;
  readonly #t: string[];
  readonly #out: Map<string, ProtoMessage | ProtoEnum>;
  constructor(file: string, text: string, out: Map<string, ProtoMessage | ProtoEnum>) {
    this.#file = file;
    this.#t = tokenize(text);
    this.#out = out;
  }

  #peek(): string | undefined {
    return this.#t[this.#i];
  }
  #next(): string {
    const t = this.#t[this.#i++];
    if (t === undefined) throw new Error(`${this.#file}: unexpected end of file`);
    return t;
  }
  #expect(want: string): void {
    const got = this.#next();
    if (got !== want) throw new Error(`${this.#file}: expected '${want}', got '${got}'`);
  }
  /** Skips a statement up to its `;`, or a `{ … }` block (options with message values). */
  #skipStatement(): void {
    let depth = 0;
    for (;;) {
      const t = this.#next();
      if (t === '{') depth++;
      else if (t === '}') depth--;
      else if (t === ';' && depth === 0) return;
    }
  }

  parseFile(): void {
    let pkg = '';
    while (this.#peek() !== undefined) {
      const t = this.#next();
      if (t === 'package') {
        pkg = this.#next();
        this.#expect(';');
      } else if (t === 'message') this.#message(pkg);
      else if (t === 'enum') this.#enum(pkg);
      else if (t === 'syntax' || t === 'import' || t === 'option') this.#skipStatement();
      else throw new Error(`${this.#file}: unsupported top-level '${t}'`);
    }
  }

  #add(type: ProtoMessage | ProtoEnum): void {
    if (this.#out.has(type.fullName)) throw new Error(`duplicate type ${type.fullName}`);
    this.#out.set(type.fullName, type);
  }

  #message(scope: string): void {
    const fullName = scope ? `${scope}.${this.#next()}` : this.#next();
    const fields = new Map<number, ProtoField>();
    this.#add({ kind: 'message', fullName, file: this.#file, fields });
    this.#expect('{');
    this.#body(fullName, fields, undefined);
  }

  #body(scope: string, fields: Map<number, ProtoField>, oneof: string | undefined): void {
    for (;;) {
      const t = this.#next();
      if (t === '}') return;
      if (t === ';') continue;
      if (t === 'message' && oneof === undefined) this.#message(scope);
      else if (t === 'enum' && oneof === undefined) this.#enum(scope);
      else if (t === 'oneof' && oneof === undefined) {
        const name = this.#next();
        this.#expect('{');
        this.#body(scope, fields, name);
      } else if (t === 'reserved' || t === 'option') this.#skipStatement();
      else this.#field(t, scope, fields, oneof);
    }
  }

  #field(first: string, scope: string, fields: Map<number, ProtoField>, oneof?: string): void {
    let type = first;
    const repeated = first === 'repeated';
    if (first === 'repeated' || first === 'optional') type = this.#next();
    if (type === 'map') {
      throw new Error(`${this.#file}: map fields are not supported (in ${scope})`);
    }
    const name = this.#next();
    this.#expect('=');
    const number = Number(this.#next());
    if (!Number.isInteger(number) || number < 1) throw new Error(`${scope}.${name}: bad number`);
    if (this.#peek() === '[') this.#skipStatement();
    else this.#expect(';');
    if (fields.has(number)) throw new Error(`${scope}: field number ${number} used twice`);
    fields.set(number, { name, number, type, repeated, scope, ...(oneof ? { oneof } : {}) });
  }

  #enum(scope: string): void {
    const fullName = scope ? `${scope}.${this.#next()}` : this.#next();
    const values = new Map<number, string>();
    this.#add({ kind: 'enum', fullName, file: this.#file, values });
    this.#expect('{');
    for (;;) {
      const t = this.#next();
      if (t === '}') return;
      if (t === ';') continue;
      if (t === 'option' || t === 'reserved') {
        this.#skipStatement();
        continue;
      }
      this.#expect('=');
      const n = Number(this.#next());
      if (this.#peek() === '[') this.#skipStatement();
      else this.#expect(';');
      if (!values.has(n)) values.set(n, t);
    }
  }
}

/** `google.protobuf.Timestamp`, imported by car_server.proto but not vendored. */
const TIMESTAMP: ProtoMessage = {
  kind: 'message',
  fullName: 'google.protobuf.Timestamp',
  file: 'google/protobuf/timestamp.proto',
  fields: new Map([
    [1, { name: 'seconds', number: 1, type: 'int64', repeated: false, scope: '' }],
    [2, { name: 'nanos', number: 2, type: 'int32', repeated: false, scope: '' }],
  ]),
};

/** Parses every `.proto` file directly inside each of `dirs` (missing folders are skipped). */
export function loadProtoText(dirs: readonly string[]): ProtoSchema {
  const types = new Map<string, ProtoMessage | ProtoEnum>([[TIMESTAMP.fullName, TIMESTAMP]]);
  for (const dir of dirs) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.filter((n) => n.endsWith('.proto')).sort()) {
      new Parser(name, readFileSync(join(dir, name), 'utf8'), types).parseFile();
    }
  }
  const resolve = (type: string, scope: string): ProtoMessage | ProtoEnum => {
    if (type.startsWith('.')) {
      const t = types.get(type.slice(1));
      if (t) return t;
    } else {
      const parts = scope ? scope.split('.') : [];
      for (let n = parts.length; n >= 0; n--) {
        const t = types.get([...parts.slice(0, n), type].join('.'));
        if (t) return t;
      }
    }
    throw new Error(`type ${type} (used in ${scope}) is not declared in the proto files`);
  };
  const message = (fullName: string): ProtoMessage => {
    const t = types.get(fullName);
    if (t?.kind !== 'message') throw new Error(`no message ${fullName} in the proto files`);
    return t;
  };
  return { types, resolve, message };
}
