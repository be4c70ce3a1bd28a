/**
 * `tesla-mcp pair [--vin V] [--domain D]`: prints the `https://tesla.com/_ak/DOMAIN` link that
 * adds the app's key to a vehicle (opened on the phone with the Tesla app, then approved with a
 * key card in the car). No QR code is drawn yet: the link is printed to open or send to the phone.
 *
 * @module
 */
import { checkDomain } from '../fleet/api/partner.js';
import { vinPath } from '../fleet/api/types.js';
import { output, parseArgs, type SetupIo, wantsHelp } from '../fleet/setup.js';

const HELP = `Usage: tesla-mcp pair [--vin V] [--domain D]

Prints the link that pairs this app's command key with a vehicle: open it on the phone that has
the Tesla app (signed in as the owner), approve, then tap a key card in the car.
D defaults to TESLA_DOMAIN; V to TESLA_VIN.
`;

/** `https://tesla.com/_ak/DOMAIN[?vin=VIN]`. */
export function pairingLink(domain: string, vin?: string): string {
  const d = checkDomain(domain);
  return `https://tesla.com/_ak/${d}${vin ? `?vin=${vinPath(vin)}` : ''}`;
}

export async function run(argv: string[], io: SetupIo = {}): Promise<number> {
  const { env, out, err } = output(io);
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(argv, ['vin', 'domain']);
  } catch (e) {
    err(`tesla-mcp pair: ${(e as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (wantsHelp(args)) {
    out(HELP);
    return 0;
  }
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
  out(`Open this link on the phone with the Tesla app${vin ? ` (vehicle ${vinPath(vin)})` : ''}:

  ${link}

Approve the key in the app, then tap your key card on the car's card reader when asked.
(A terminal QR code is not drawn yet: send the link to the phone.)
\`tesla-mcp doctor\` shows each vehicle's pairing state afterwards.
`);
  return 0;
}
