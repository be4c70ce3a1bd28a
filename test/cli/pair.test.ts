import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
// jsqr is CommonJS: its default export is the module object, whose `default` is the decoder.
import jsqr from 'jsqr';
import { run as pair, pairingLink } from '../../src/cli/pair.js';
import { QUIET_ZONE, qrMatrix, renderHalfBlocks } from '../../src/cli/qr.js';
import { captureOutput } from '../helpers/cli-output.js';

const VIN = '5YJ3E1EA1PF000001';
/** A long but valid domain (three 50-character labels): pushes the code to a high version. */
const LONG_DOMAIN = `${'a'.repeat(49)}1.${'keys-'.repeat(10)}x.${'b'.repeat(50)}.example.co.uk`;
const CASES = [
  { name: 'short domain', domain: 'example.com' },
  { name: 'long domain', domain: LONG_DOMAIN },
] as const;

/** Black foreground on white background, then reset: the polarity the code must have. */
const ROW_START = '\x1b[30;47m';
const ROW_END = '\x1b[0m';
const BLOCKS = /[▀▄█]/;

type Modules = readonly (readonly boolean[])[];

/** `px` pixels per module, dark = black; no margin beyond what the matrix itself carries. */
function toRgba(
  modules: Modules,
  px = 4,
): { data: Uint8ClampedArray; width: number; height: number } {
  const rows = modules.length;
  const cols = modules[0]?.length ?? 0;
  const width = cols * px;
  const height = rows * px;
  const data = new Uint8ClampedArray(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = modules[Math.floor(y / px)]?.[Math.floor(x / px)] ? 0 : 255;
      data.set([v, v, v, 255], (y * width + x) * 4);
    }
  }
  return { data, width, height };
}

/** Decodes a module matrix drawn dark-on-light; null when jsQR finds no code. */
function decode(modules: Modules): string | null {
  const { data, width, height } = toRgba(modules);
  return jsqr.default(data, width, height, { inversionAttempts: 'dontInvert' })?.data ?? null;
}

/**
 * Reads the QR code back out of `pair`'s output: every coloured row must be exactly
 * indent + black-on-white SGR + half blocks + reset, and each glyph is two module rows.
 */
function parsePrinted(text: string): boolean[][] {
  const rows: boolean[][] = [];
  for (const line of text.split('\n')) {
    if (!line.includes('\x1b')) continue;
    assert.ok(line.startsWith(`  ${ROW_START}`) && line.endsWith(ROW_END), JSON.stringify(line));
    const body = line.slice(2 + ROW_START.length, line.length - ROW_END.length);
    const top: boolean[] = [];
    const bottom: boolean[] = [];
    for (const ch of body) {
      const pair = {
        '█': [true, true],
        '▀': [true, false],
        '▄': [false, true],
        ' ': [false, false],
      }[ch];
      assert.ok(pair, `unexpected character ${JSON.stringify(ch)} in the QR code`);
      top.push(pair[0] as boolean);
      bottom.push(pair[1] as boolean);
    }
    rows.push(top, bottom);
  }
  return rows;
}

async function runPair(argv: string[], io: { isTTY?: boolean; columns?: number } = {}) {
  const cap = captureOutput();
  // A fresh config folder each run: pair remembers --domain/--vin in CONFIG/config.json.
  const dir = mkdtempSync(join(tmpdir(), 'tesla-mcp-pair-'));
  try {
    const code = await pair(argv, { env: { TESLA_MCP_CONFIG_DIR: dir }, ...cap.io, ...io });
    return { code, out: cap.out.join(''), err: cap.err.join('') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

for (const { name, domain } of CASES) {
  test(`qr matrix (${name}): quiet zone of ${QUIET_ZONE} modules, and it decodes to the link`, () => {
    const link = pairingLink(domain, VIN);
    assert.ok(link.endsWith(`?vin=${VIN}`));
    const m = qrMatrix(link);
    assert.equal(m.modules.length, m.size);
    assert.ok(QUIET_ZONE >= 2);
    for (let i = 0; i < QUIET_ZONE; i++) {
      for (const line of [m.modules[i], m.modules[m.size - 1 - i]]) {
        assert.ok(
          line?.every((d) => !d),
          `row ${i} from an edge is not light`,
        );
      }
      assert.ok(
        m.modules.every((r) => !r[i] && !r[m.size - 1 - i]),
        `column ${i} from an edge is not light`,
      );
    }
    // The finder pattern's corner sits right inside the quiet zone.
    assert.equal(m.modules[QUIET_ZONE]?.[QUIET_ZONE], true);
    assert.equal(decode(m.modules), link);
  });

  test(`pair --qr (${name}): the printed half blocks scan as the exact link`, async () => {
    const link = pairingLink(domain, VIN);
    const r = await runPair(['--qr', '--domain', domain, '--vin', VIN]);
    assert.equal(r.code, 0, r.err);
    const linkAt = r.out.indexOf(`  ${link}\n`);
    const qrAt = r.out.indexOf(ROW_START);
    assert.ok(linkAt >= 0 && qrAt > linkAt, 'the QR code comes below the link');
    const printed = parsePrinted(r.out);
    assert.equal(decode(printed), link);
    // What is drawn is the encoder's matrix (plus one light padding row when its size is odd).
    const m = qrMatrix(link);
    assert.deepEqual(printed.slice(0, m.size), m.modules);
    assert.ok(printed.slice(m.size).every((row) => row.every((d) => !d)));
    // The same drawing in the other polarity (an uncoloured code on a dark theme) does not
    // decode without inversion: the colours are what make it scan on any theme.
    assert.equal(decode(printed.map((row) => row.map((d) => !d))), null);
  });
}

test('pair draws the QR code on a terminal, and only the link for scripts', async () => {
  const args = ['--domain', 'example.com'];
  const tty = await runPair(args, { isTTY: true });
  assert.equal(tty.code, 0);
  assert.match(tty.out, BLOCKS);
  assert.match(tty.out, /scan the QR code below/);
  assert.equal(decode(parsePrinted(tty.out)), 'https://tesla.com/_ak/example.com');

  const piped = await runPair(args);
  assert.equal(piped.code, 0);
  assert.match(piped.out, /^ {2}https:\/\/tesla\.com\/_ak\/example\.com$/m);
  assert.doesNotMatch(piped.out, BLOCKS);
  assert.ok(!piped.out.includes('\x1b'), 'no escape sequences when piped');
  assert.doesNotMatch(piped.out, /QR/);
});

test('pair --no-qr prints no block characters, even on a terminal', async () => {
  const r = await runPair(['--no-qr', '--domain', 'example.com', '--vin', VIN], { isTTY: true });
  assert.equal(r.code, 0);
  assert.ok(r.out.includes(`https://tesla.com/_ak/example.com?vin=${VIN}`));
  assert.doesNotMatch(r.out, BLOCKS);
  assert.ok(!r.out.includes('\x1b'));
});

test('pair says how wide the terminal must be instead of drawing a broken code', async () => {
  const link = pairingLink('example.com', VIN);
  const need = 2 + qrMatrix(link).size;
  const narrow = await runPair(['--domain', 'example.com', '--vin', VIN], {
    isTTY: true,
    columns: need - 1,
  });
  assert.equal(narrow.code, 0);
  assert.doesNotMatch(narrow.out, BLOCKS);
  assert.ok(narrow.out.includes(`${need} columns wide`), narrow.out);
  assert.ok(narrow.out.includes(link));
  const fits = await runPair(['--domain', 'example.com', '--vin', VIN], {
    isTTY: true,
    columns: need,
  });
  assert.equal(decode(parsePrinted(fits.out)), link);
});

test('pair: --qr with --no-qr is a usage error; --help documents both', async () => {
  const both = await runPair(['--qr', '--no-qr', '--domain', 'example.com']);
  assert.equal(both.code, 2);
  assert.match(both.err, /either --qr or --no-qr/);
  assert.equal(both.out, '');
  const help = await runPair(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /--qr {2,}draw the QR code even when stdout is not a terminal/);
  assert.match(help.out, /--no-qr {2,}never draw it/);
  assert.match(help.out, /only when stdout is a terminal/);
});

test('renderHalfBlocks pairs an odd last row with a light one', () => {
  const m = {
    size: 3,
    modules: [
      [true, false, true],
      [false, true, true],
      [true, true, false],
    ],
  };
  assert.equal(
    renderHalfBlocks(m, '> '),
    `> ${ROW_START}▀▄█${ROW_END}\n> ${ROW_START}▀▀ ${ROW_END}\n`,
  );
});
