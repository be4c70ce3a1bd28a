/**
 * QR codes drawn in the terminal, for `tesla-mcp pair`: the phone's camera scans the pairing
 * link off the screen. The matrix comes from `uqr` (MIT, bundled by esbuild); this file owns
 * the quiet zone and the drawing.
 *
 * Each text row carries two module rows with the Unicode half blocks `▀ ▄ █` and the space,
 * and every row sets its own colours: black foreground (SGR 30) on a white background (SGR 47),
 * reset at the end of the row. A dark module is drawn "ink" and a light one "paper", so the
 * code has the same polarity (dark on light, as a scanner expects) on a dark or a light
 * terminal theme; the quiet zone is painted white too, not left to the terminal's background.
 * Terminal cells are about twice as tall as wide, so two module rows per cell row keep the
 * modules square.
 *
 * @module
 */
import { encode } from 'uqr';

/** Light modules around the code on every side (ISO/IEC 18004 asks for 4; 2 scans reliably). */
export const QUIET_ZONE = 2;

/** SGR that starts each drawn row: black foreground on white background. */
export const QR_ROW_START = '\x1b[30;47m';
/** SGR that ends each drawn row: back to the terminal's own colours. */
export const QR_ROW_END = '\x1b[0m';

/** Half-block glyphs, by (top module dark, bottom module dark). */
export const GLYPHS = { both: '█', top: '▀', bottom: '▄', none: ' ' } as const;

/** A QR code with its quiet zone: `modules[row][col]`, `true` = dark. Square, `size` a side. */
export interface QrMatrix {
  readonly size: number;
  readonly modules: readonly (readonly boolean[])[];
}

/**
 * Encodes `text` (UTF-8, byte mode as needed) at error-correction level M, the usual choice for
 * codes read off a screen, and surrounds it with `quietZone` light modules.
 * Throws `RangeError` when the text does not fit a version-40 code.
 */
export function qrMatrix(text: string, quietZone = QUIET_ZONE): QrMatrix {
  if (!Number.isInteger(quietZone) || quietZone < 0) {
    throw new RangeError(`qr: quiet zone must be a whole number of modules, got ${quietZone}`);
  }
  const qr = encode(text, { ecc: 'M', border: quietZone });
  return { size: qr.size, modules: qr.data.map((row) => row.slice()) };
}

/**
 * Draws `m` as text rows of half blocks (see the module doc). An odd last module row is paired
 * with a light one, which only widens the bottom quiet zone. `indent` goes before each row,
 * outside the coloured area. Rows end with `\n`.
 */
export function renderHalfBlocks(m: QrMatrix, indent = ''): string {
  const dark = (row: number, col: number): boolean => m.modules[row]?.[col] === true;
  let out = '';
  for (let row = 0; row < m.size; row += 2) {
    let line = '';
    for (let col = 0; col < m.size; col++) {
      const top = dark(row, col);
      const bottom = dark(row + 1, col);
      line += top ? (bottom ? GLYPHS.both : GLYPHS.top) : bottom ? GLYPHS.bottom : GLYPHS.none;
    }
    out += `${indent}${QR_ROW_START}${line}${QR_ROW_END}\n`;
  }
  return out;
}

/** `text` as a terminal QR code with the default quiet zone. */
export function terminalQr(text: string, indent = ''): string {
  return renderHalfBlocks(qrMatrix(text), indent);
}
