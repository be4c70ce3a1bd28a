/**
 * The command goldens of `test-vectors/commands/*.json` (format in test-vectors/README.md), one
 * test per row: our builder's bytes must equal the row's hex, and the hex, read with the
 * hand-written wire reader against the field numbers in the `.proto` text, must be the row's
 * field tree. Every registry command with a builder needs at least one row.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import * as charging from '../../src/commands/charging.js';
import * as climate from '../../src/commands/climate.js';
import * as keys from '../../src/commands/keys.js';
import * as media from '../../src/commands/media.js';
import * as parental from '../../src/commands/parental.js';
import { getCommand, listCommands } from '../../src/commands/registry.js';
import * as security from '../../src/commands/security.js';
import type { Command } from '../../src/commands/types.js';
import * as vehicle from '../../src/commands/vehicle.js';
import { toHex } from '../helpers/decode-command.js';
import { loadProtoText } from '../helpers/proto-text.js';
import { ROWS_BY_GROUP } from '../helpers/registry-groups.js';
import { type Decoded, decodeMessage } from '../helpers/wire-reader.js';

const DIR = join('test-vectors', 'commands');
/** The clock passed to builders that read one (schedule ids when `id` is absent). */
const NOW = 1_700_000_000_000;
const ROOTS = { infotainment: 'CarServer.Action', vcsec: 'VCSEC.UnsignedMessage' } as const;
const DOMAINS = { infotainment: 3, vcsec: 2 } as const;
const MODULES: Record<string, Record<string, unknown>> = {
  charging,
  climate,
  keys,
  media,
  parental,
  security,
  vehicle,
};
const KEYS = new Set(['name', 'builder', 'case', 'params', 'args', 'domain', 'root', 'unsigned']);
for (const k of ['message', 'hex', 'source', 'note']) KEYS.add(k);

interface Row {
  readonly file: string;
  readonly name?: string;
  readonly builder?: string;
  readonly case?: string;
  readonly params?: Record<string, unknown>;
  readonly args?: unknown[];
  readonly domain: keyof typeof ROOTS;
  readonly root?: string;
  readonly unsigned?: true;
  readonly message: { [field: string]: Decoded };
  readonly hex: string;
  readonly source: string;
  readonly note: string;
}

function loadRows(): Row[] {
  const rows: Row[] = [];
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json'))) {
    const doc = JSON.parse(readFileSync(join(DIR, file), 'utf8')) as { rows: Row[] };
    for (const row of doc.rows) rows.push({ ...row, file });
  }
  return rows;
}

const ROWS = loadRows();
const schema = loadProtoText(['proto', 'proto-ext']);
const label = (r: Row) => `${r.file}: ${r.name ?? r.builder}${r.case ? ` (${r.case})` : ''}`;

function build(row: Row): Command {
  if (row.name !== undefined) {
    const spec = getCommand(row.name);
    assert.ok(spec?.build, `${row.name} is a registry command with a builder`);
    assert.equal(spec.domain, row.domain, `${row.name}: registry route`);
    return spec.build(row.params ?? {}, { now: NOW });
  }
  const [mod, fn] = String(row.builder).split('.');
  const f = MODULES[mod ?? '']?.[fn ?? ''];
  assert.equal(typeof f, 'function', `builder ${row.builder} exists`);
  return (f as (...a: unknown[]) => Command)(...(row.args ?? []));
}

test('every row is well formed, states its source and derivation, and has a unique label', () => {
  assert.ok(ROWS.length > 0, `rows under ${DIR}`);
  const labels = new Set<string>();
  for (const row of ROWS) {
    for (const k of Object.keys(row)) {
      if (k !== 'file') assert.ok(KEYS.has(k), `${label(row)}: unknown key ${k}`);
    }
    assert.ok(
      (row.name === undefined) !== (row.builder === undefined),
      `${label(row)}: name xor builder`,
    );
    assert.ok(row.domain in ROOTS, `${label(row)}: domain`);
    assert.match(row.hex, /^([0-9a-f]{2})+$/, `${label(row)}: lowercase hex`);
    assert.ok(row.source.length > 10 && row.note.length > 10, `${label(row)}: source and note`);
    const group = row.file.replace(/\.json$/, '');
    if (row.name !== undefined) {
      assert.ok(
        Object.hasOwn(ROWS_BY_GROUP[group] ?? {}, row.name),
        `${label(row)}: not in registry-${group}.ts`,
      );
    } else {
      assert.equal(
        row.builder?.split('.')[0],
        group,
        `${label(row)}: builder of src/commands/${group}.ts`,
      );
    }
    assert.ok(!labels.has(label(row)), `${label(row)}: duplicate; give it a "case"`);
    labels.add(label(row));
  }
});

for (const row of ROWS) {
  test(label(row), () => {
    // (1) Our builder, through the registry row or the named function, gives the table's bytes.
    const cmd = build(row);
    assert.equal(cmd.domain, DOMAINS[row.domain], 'domain');
    assert.equal(toHex(cmd.payload), row.hex, 'payload');
    assert.equal(cmd.unsigned, row.unsigned, 'unsigned mark');
    // (2) The table's bytes, read field by field against the proto text, are the table's tree.
    const root = schema.message(row.root ?? ROOTS[row.domain]);
    const decoded = decodeMessage(schema, root, Buffer.from(row.hex, 'hex'));
    assert.deepEqual(decoded, row.message, 'fields by proto number');
  });
}

test('every registry command with a builder has a golden row', () => {
  const covered = new Set(ROWS.map((r) => r.name));
  const missing = listCommands()
    // Commands built from proto-ext/ (source 'teslemetry-ext') are checked by their own
    // hand-decoded goldens (test/helpers/ext-wire.ts) until they get rows here.
    .filter((c) => c.build !== undefined && c.source !== 'teslemetry-ext' && !covered.has(c.name))
    .map((c) => c.name);
  assert.deepEqual(missing, [], `commands without a row in ${DIR}`);
});

test('the wire reader refuses what the proto text does not declare', () => {
  const action = schema.message('CarServer.Action');
  const read = (hex: string) => decodeMessage(schema, action, Buffer.from(hex, 'hex'));
  // Action field 3 is reserved.
  assert.throws(() => read('1a00'), /CarServer.Action has no field number 3/);
  // vehicleAction is a message: a varint there is the wrong wire type.
  assert.throws(() => read('1001'), /message sent with wire type 0/);
  // VehicleAction.chargingSetLimitAction.percent is int32: a fixed32 is refused.
  assert.throws(() => read('12072a050d50000000'), /int32 expects wire type 0, got 5/);
  // Two members of VehicleAction's oneof.
  assert.throws(() => read('12042a003200'), /oneof vehicle_action_msg already holds/);
  // A length that runs past the end, and a bool that is not 0 or 1.
  assert.throws(() => read('1205'), /run past the end/);
  assert.throws(() => read('120452020802'), /not 0 or 1/);
  assert.deepEqual(read('120452020801'), { vehicleAction: { hvacAutoAction: { power_on: true } } });
});

test('the proto text reader finds the numbers protocol.md and the Go code rely on', () => {
  const va = schema.message('CarServer.VehicleAction');
  const byName = new Map([...va.fields.values()].map((f) => [f.name, f]));
  assert.equal(byName.get('hvacAutoAction')?.number, 10);
  assert.equal(byName.get('chargingSetLimitAction')?.number, 5);
  assert.equal(byName.get('setKeepAccessoryPowerModeAction')?.number, 138);
  assert.equal(byName.get('guestModeAction')?.oneof, 'vehicle_action_msg');
  const guest = schema.resolve('VehicleState.GuestMode', 'CarServer.VehicleAction');
  assert.equal(guest.fullName, 'CarServer.VehicleState.GuestMode');
  const rke = schema.message('VCSEC.UnsignedMessage').fields.get(2);
  assert.equal(rke?.type, 'RKEAction_E');
  assert.throws(() => schema.resolve('NoSuchType', 'CarServer.Action'), /not declared/);
});
