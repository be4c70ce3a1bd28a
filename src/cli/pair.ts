/**
 * `tesla-mcp pair [--vin V] [--domain D] [--qr | --no-qr]`: prints the
 * `https://tesla.com/_ak/DOMAIN` link that adds the app's key to a vehicle (opened on the phone
 * with the Tesla app, then approved with a key card in the car) and, below it, a QR code of the
 * exact link drawn in the terminal (`./qr.ts`) for the phone's camera. The code is drawn only
 * when stdout is a terminal (or with `--qr`), so scripts get just the link.
 *
 * @module
 */
import { saveSettings } from '../config/settings.js';
import { checkDomain } from '../fleet/api/partner.js';
import { vinPath } from '../fleet/api/types.js';
import { output, parseCommand, type SetupIo } from '../fleet/setup.js';
import { cliCommand } from '../util/cli-command.js';
import { qrMatrix, renderHalfBlocks } from './qr.js';

const HELP = `Usage: tesla-mcp pair [--vin V] [--domain D] [--qr | --no-qr]

Prints the link that pairs this app's command key with a vehicle: open it on the phone that has
the Tesla app (signed in as the owner), approve, then tap a key card in the car.
D defaults to TESLA_DOMAIN; V to TESLA_VIN.

Below the link a QR code of it is drawn with Unicode half blocks, black on white whatever the
terminal's theme, to scan with the phone's camera. It is drawn only when stdout is a terminal,
so scripts and pipes get just the link.
  --qr      draw the QR code even when stdout is not a terminal
  --no-qr   never draw it
`;

/** Left margin of the link and the QR code. */
const INDENT = '  ';

/** The CLI's I/O, plus what it knows about the terminal (tests inject both). */
export interface PairIo extends SetupIo {
  /** Whether stdout is a terminal. Default: `process.stdout.isTTY`, or false when `stdout` is injected. */
  isTTY?: boolean;
  /** Terminal width in columns, when known. Default: `process.stdout.columns` (same rule). */
  columns?: number;
}

/** `https://tesla.com/_ak/DOMAIN[?vin=VIN]`. */
export function pairingLink(domain: string, vin?: string): string {
  const d = checkDomain(domain);
  return `https://tesla.com/_ak/${d}${vin ? `?vin=${vinPath(vin)}` : ''}`;
}

/** The QR block of the output: the code, or why it is not drawn. */
function qrBlock(link: string, columns: number | undefined): string {
  const m = qrMatrix(link);
  const need = INDENT.length + m.size;
  if (columns !== undefined && columns > 0 && columns < need) {
    return `(The QR code needs a terminal ${need} columns wide; this one has ${columns}. Widen it and run again, or send the link to the phone.)\n`;
  }
  return renderHalfBlocks(m, INDENT);
}

export async function run(argv: string[], io: PairIo = {}): Promise<number> {
  const { env, out, err } = output(io);
  const args = parseCommand(
    'pair',
    argv,
    HELP,
    { out, err },
    ['vin', 'domain'],
    ['qr', 'no-qr'],
    (p) => {
      if (p.flags.qr && p.flags['no-qr']) throw new Error('give either --qr or --no-qr');
    },
  );
  if (typeof args === 'number') return args;
  const domain = (args.flags.domain as string | undefined) ?? env.TESLA_DOMAIN;
  if (!domain) {
    err(
      'tesla-mcp pair: give --domain (or set TESLA_DOMAIN) to the domain that hosts your public key\n',
    );
    return 2;
  }
  const vin = (args.flags.vin as string | undefined) ?? env.TESLA_VIN;
  let link: string;
  try {
    link = pairingLink(domain, vin);
  } catch (e) {
    err(`tesla-mcp pair: ${(e as Error).message.replace(/^fleet: /, '')}\n`);
    return 2;
  }
  await saveSettings(env, {
    ...(args.flags.domain ? { domain: checkDomain(domain) } : {}),
    ...(args.flags.vin && vin ? { vin: vinPath(vin) } : {}),
  });
  const injected = io.stdout !== undefined;
  const isTTY = io.isTTY ?? (!injected && process.stdout.isTTY === true);
  const columns = io.columns ?? (injected ? undefined : process.stdout.columns);
  const drawQr = args.flags['no-qr'] ? false : args.flags.qr === true || isTTY;
  const forVehicle = vin ? ` (vehicle ${vinPath(vin)})` : '';
  out(`Open this link on the phone with the Tesla app${forVehicle}${drawQr ? ', or scan the QR code below with its camera' : ''}:

${INDENT}${link}

${drawQr ? `${qrBlock(link, columns)}\n` : ''}Approve the key in the app, then tap your key card on the car's card reader when asked.
\`${cliCommand('doctor')}\` shows each vehicle's pairing state afterwards.
`);
  return 0;
}
