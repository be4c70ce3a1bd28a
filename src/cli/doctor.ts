/**
 * `tesla-mcp doctor`: checks the whole chain and prints one PASS / WARN / FAIL / SKIP line each:
 * settings, the key file (readable, private), the hosted public key (reachable, ours, no caching
 * headers that break the Tesla app), app credentials and partner registration, the token (valid,
 * scopes, region), and each vehicle's pairing and signed-command requirement (`fleet_status`).
 * Exit code 1 when any check fails. Never prints a token or a key.
 *
 * @module
 */

import { DEFAULT_SCOPES, SESSION_SCOPES } from '../commands/scopes.js';
import { configPaths } from '../config/paths.js';
import { checkDomain } from '../fleet/api/partner.js';
import { createFleetClient } from '../fleet/index.js';
import {
  cachingProblem,
  fetchHostedKey,
  type LoadedKey,
  loadKeyFile,
  output,
  parseCommand,
  type SetupIo,
} from '../fleet/setup.js';
import { cliCommand } from '../util/cli-command.js';

const HELP = `Usage: tesla-mcp doctor

Checks the setup end to end and prints PASS / WARN / FAIL / SKIP per check: settings, command key,
hosted public key, partner registration, Tesla token and scopes, region, and each vehicle's key
pairing. A few Fleet API data requests are made (billable; about $0.002 each).
`;

type Level = 'PASS' | 'WARN' | 'FAIL' | 'SKIP';

export async function run(argv: string[], io: SetupIo = {}): Promise<number> {
  const { env, out, err } = output(io);
  const args = parseCommand('doctor', argv, HELP, { out, err }, []);
  if (typeof args === 'number') return args;
  let failed = 0;
  const line = (level: Level, name: string, detail: string) => {
    if (level === 'FAIL') failed++;
    out(`${level.padEnd(4)}  ${name}: ${detail.replace(/^fleet: /, '')}\n`);
  };
  const msg = (e: unknown) => (e instanceof Error ? e.message : String(e));

  // 1. Settings.
  let fleet: ReturnType<typeof createFleetClient> | undefined;
  try {
    fleet = createFleetClient(env, { dispatcher: io.dispatcher, tokenUrl: io.tokenUrl });
    line(
      'PASS',
      'settings',
      `region ${env.TESLA_REGION ?? 'from the token'}, wake budget ${env.TESLA_WAKE_BUDGET ?? '6/h'}`,
    );
  } catch (e) {
    line('FAIL', 'settings', msg(e));
  }

  // 2. Command key.
  const keyPath = configPaths(env).privateKey;
  let key: LoadedKey | undefined;
  try {
    key = await loadKeyFile(keyPath);
    if (!key) line('FAIL', 'command key', `no key at ${keyPath}: run \`${cliCommand('keygen')}\``);
    else if (key.mode & 0o077) {
      line(
        'FAIL',
        'command key',
        `${keyPath} is readable by others (mode ${key.mode.toString(8)}): run \`chmod 600 ${keyPath}\``,
      );
    } else
      line(
        'PASS',
        'command key',
        `${keyPath} (mode 600), fingerprint ${key.publicKey.fingerprint()}`,
      );
  } catch (e) {
    line('FAIL', 'command key', msg(e));
  }

  // 3. Domain and hosted public key.
  let domain: string | undefined;
  try {
    domain = env.TESLA_DOMAIN ? checkDomain(env.TESLA_DOMAIN) : undefined;
  } catch (e) {
    line('FAIL', 'domain', `TESLA_DOMAIN: ${msg(e)}`);
  }
  if (!domain) {
    if (!env.TESLA_DOMAIN)
      line(
        'FAIL',
        'domain',
        'TESLA_DOMAIN is not set: set it to the domain that hosts your public key',
      );
    line('SKIP', 'hosted public key', 'no domain');
  } else {
    const hosted = await fetchHostedKey(domain, io.dispatcher, undefined, io.hostedKeyUrl);
    if (!hosted.publicKey) line('FAIL', 'hosted public key', `${hosted.url}: ${hosted.problem}`);
    else if (key && !hosted.publicKey.equals(key.publicKey)) {
      line(
        'FAIL',
        'hosted public key',
        `${hosted.url} serves ${hosted.publicKey.fingerprint()}, ours is ${key.publicKey.fingerprint()}: host ${configPaths(env).publicKey} there`,
      );
    } else {
      const cache = cachingProblem(hosted.cacheControl);
      if (cache) line('WARN', 'hosted public key', cache);
      else line('PASS', 'hosted public key', `${hosted.url}${key ? ' matches our key' : ''}`);
    }
  }

  // 4. App credentials and partner registration.
  if (!env.TESLA_CLIENT_ID || !env.TESLA_CLIENT_SECRET) {
    line(
      'FAIL',
      'app credentials',
      'set TESLA_CLIENT_ID and TESLA_CLIENT_SECRET (your app at https://developer.tesla.com)',
    );
    line('SKIP', 'partner registration', 'no app credentials');
  } else if (!fleet || !domain) {
    line('PASS', 'app credentials', 'TESLA_CLIENT_ID and TESLA_CLIENT_SECRET set');
    line('SKIP', 'partner registration', 'needs valid settings and TESLA_DOMAIN');
  } else {
    line('PASS', 'app credentials', 'TESLA_CLIENT_ID and TESLA_CLIENT_SECRET set');
    try {
      const held = await fleet.client.partner.publicKey(domain);
      if (!held)
        line(
          'FAIL',
          'partner registration',
          `Tesla holds no key for ${domain}: run \`${cliCommand(`register --domain ${domain}`)}\``,
        );
      else if (key && held.toLowerCase() !== key.publicKey.toHex().toLowerCase()) {
        line(
          'FAIL',
          'partner registration',
          `Tesla holds a different key for ${domain}: host ours, then run \`${cliCommand(`register --domain ${domain}`)}\``,
        );
      } else
        line('PASS', 'partner registration', `${domain} registered${key ? ' with our key' : ''}`);
    } catch (e) {
      line('FAIL', 'partner registration', msg(e));
    }
  }

  // 5. Token, scopes, region.
  let vins: string[] = [];
  if (!fleet || !(await fleet.tokens.configured().catch(() => false))) {
    line('FAIL', 'Tesla token', `not logged in: run \`${cliCommand('login')}\``);
    line('SKIP', 'region', 'no token');
    line('SKIP', 'vehicles', 'no token');
  } else {
    try {
      const list = await fleet.client.vehicles.list();
      vins = list.map((v) => v.vin);
      const status = await fleet.tokens.status();
      line(
        'PASS',
        'Tesla token',
        `valid (${String(status.source)}${status.expiresAt ? `, expires ${String(status.expiresAt)}` : ''})`,
      );
      const scopes = await fleet.tokens.scopes();
      if (!scopes) line('SKIP', 'scopes', 'the token does not state its scopes');
      else {
        const missing = DEFAULT_SCOPES.filter(
          (s) => !scopes.includes(s) && !SESSION_SCOPES.includes(s),
        );
        if (missing.length)
          line(
            'WARN',
            'scopes',
            `missing ${missing.join(', ')}: tools needing them will refuse; run \`${cliCommand('login')}\` to re-consent`,
          );
        else line('PASS', 'scopes', scopes.join(' '));
      }
      const region = await fleet.client.user.region();
      const using = await fleet.client.http.baseUrl();
      if (region.fleet_api_base_url && region.fleet_api_base_url.replace(/\/+$/, '') !== using) {
        line(
          'WARN',
          'region',
          `account region ${region.region} (${region.fleet_api_base_url}) but using ${using}: set TESLA_REGION=${region.region}`,
        );
      } else line('PASS', 'region', `${region.region || 'unknown'} (${using})`);
    } catch (e) {
      line('FAIL', 'Tesla token', msg(e));
    }
    if (vins.length) {
      try {
        const fs = await fleet.client.vehicles.fleetStatus(vins.slice(0, 100));
        for (const vin of vins) {
          const info = fs.vehicle_info[vin];
          const signed =
            info?.vehicle_command_protocol_required === true
              ? 'requires signed commands'
              : 'accepts REST commands';
          if (fs.key_paired_vins.includes(vin))
            line('PASS', `vehicle ${vin}`, `key paired; ${signed}`);
          else {
            line(
              'FAIL',
              `vehicle ${vin}`,
              `key not paired: run \`${cliCommand(`pair --vin ${vin}`)}\`${domain ? ` (https://tesla.com/_ak/${domain})` : ''}; ${signed}`,
            );
          }
        }
      } catch (e) {
        line('FAIL', 'vehicles', msg(e));
      }
    } else line('SKIP', 'vehicles', 'no vehicles on this account (or the list failed)');
  }
  out(failed ? `\n${failed} check(s) failed.\n` : '\nAll checks passed.\n');
  return failed ? 1 : 0;
}
