/**
 * `tesla-mcp register --domain D [--region na,eu]`: registers the app's domain as a Fleet API
 * partner account in North America and Europe, with a partner token (client-credentials grant).
 * First checks the domain format and that the key hosted on the domain is ours; afterwards
 * checks the key Tesla holds. China needs its own app on developer.tesla.cn.
 *
 * @module
 */
import { configPaths } from '../config/paths.js';
import { saveSettings } from '../config/settings.js';
import { checkDomain } from '../fleet/api/partner.js';
import { TokenManager } from '../fleet/auth.js';
import { FleetClient } from '../fleet/client.js';
import { checkBaseUrl, parseRegion, REGIONS, type Region } from '../fleet/regions.js';
import {
  cachingProblem,
  fetchHostedKey,
  loadKeyFile,
  output,
  parseCommand,
  type SetupIo,
} from '../fleet/setup.js';
import { cliCommand } from '../util/cli-command.js';

const HELP = `Usage: tesla-mcp register --domain D [--region na,eu]

Registers your app's domain with the Fleet API (POST /api/1/partner_accounts with a partner
token) in North America and Europe. Needs TESLA_CLIENT_ID and TESLA_CLIENT_SECRET, and the public
key from \`tesla-mcp keygen\` hosted at
https://D/.well-known/appspecific/com.tesla.3p.public-key.pem.
China (cn) needs a separate app on developer.tesla.cn.
`;

export async function run(argv: string[], io: SetupIo = {}): Promise<number> {
  const { env, out, err } = output(io);
  const args = parseCommand('register', argv, HELP, { out, err }, ['domain', 'region']);
  if (typeof args === 'number') return args;
  const fail = (msg: string, code = 1) => {
    err(`tesla-mcp register: ${msg.replace(/^fleet: /, '')}\n`);
    return code;
  };
  let domain: string;
  let regions: Region[];
  try {
    const raw = (args.flags.domain as string | undefined) ?? env.TESLA_DOMAIN;
    if (!raw) return fail('give --domain (or set TESLA_DOMAIN)', 2);
    domain = checkDomain(raw);
    regions = String(args.flags.region ?? 'na,eu')
      .split(',')
      .filter(Boolean)
      .map(parseRegion);
  } catch (e) {
    return fail((e as Error).message, 2);
  }
  if (args.flags.domain) await saveSettings(env, { domain });
  if (regions.includes('cn')) {
    out(
      'China: Tesla runs a separate developer platform. Create an app on https://developer.tesla.cn and register it there; skipping cn.\n',
    );
    regions = regions.filter((r) => r !== 'cn');
  }
  const clientId = env.TESLA_CLIENT_ID;
  const clientSecret = env.TESLA_CLIENT_SECRET;
  if (!clientId || !clientSecret) {
    return fail(
      'set TESLA_CLIENT_ID and TESLA_CLIENT_SECRET (your app at https://developer.tesla.com)',
    );
  }
  const keyPath = configPaths(env).privateKey;
  let ours: Awaited<ReturnType<typeof loadKeyFile>>;
  try {
    ours = await loadKeyFile(keyPath);
  } catch (e) {
    return fail((e as Error).message);
  }
  if (!ours)
    return fail(
      `no command key at ${keyPath}: run \`${cliCommand(`keygen --domain ${domain}`)}\` first`,
    );

  const hosted = await fetchHostedKey(domain, io.dispatcher, undefined, io.hostedKeyUrl);
  if (!hosted.publicKey) {
    return fail(
      `the public key is not served at ${hosted.url} (${hosted.problem}): host ${configPaths(env).publicKey} there, then run this again`,
    );
  }
  if (!hosted.publicKey.equals(ours.publicKey)) {
    return fail(
      `the key served at ${hosted.url} (fingerprint ${hosted.publicKey.fingerprint()}) is not ours (${ours.publicKey.fingerprint()}): host ${configPaths(env).publicKey} there`,
    );
  }
  out(`Hosted public key OK (${hosted.url}, fingerprint ${ours.publicKey.fingerprint()}).\n`);
  const cache = cachingProblem(hosted.cacheControl);
  if (cache) out(`Warning: ${cache}\n`);

  const tokens = new TokenManager({
    clientId,
    clientSecret,
    dispatcher: io.dispatcher,
    ...(io.tokenUrl ? { tokenUrl: io.tokenUrl } : {}),
  });
  const client = new FleetClient({ tokens, dispatcher: io.dispatcher });
  let failures = 0;
  // TESLA_FLEET_API_URL (a test or staging Fleet API) replaces the regional hosts.
  const override = env.TESLA_FLEET_API_URL ? checkBaseUrl(env.TESLA_FLEET_API_URL) : undefined;
  const targets: [string, string][] = override
    ? [[`TESLA_FLEET_API_URL ${override}`, override]]
    : regions.map((r) => [r, REGIONS[r].fleetApi]);
  for (const [region, baseUrl] of targets) {
    try {
      await client.partner.register(domain, { baseUrl });
      const key = await client.partner.publicKey(domain, { baseUrl });
      const match = key ? safeEqualsHex(key, ours.publicKey.toHex()) : false;
      out(
        `${region}: registered ${domain}${match ? '; Tesla holds our public key' : `; Tesla does not report our public key yet: run \`${cliCommand('doctor')}\` in a few minutes`}.\n`,
      );
    } catch (e) {
      failures++;
      err(`${region}: registration failed: ${(e as Error).message.replace(/^fleet: /, '')}\n`);
    }
  }
  if (failures === 0) {
    out(
      `Next: \`${cliCommand('login')}\`, then \`${cliCommand('pair')}\` to add the key to each vehicle.\n`,
    );
  }
  return failures === 0 ? 0 : 1;
}

function safeEqualsHex(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}
