/**
 * `tesla-mcp setup`: one guided, resumable walk from nothing to a paired car: (1) app
 * credentials, (2) command key, (3) public-key hosting, (4) partner registration (na, eu),
 * (5) Tesla login, (6) pairing, (7) `doctor`. Each step first checks whether it is already done
 * and skips it; each says what it checked and the exact next action when something is missing.
 * Settings given once (client id, domain, region, VIN) are remembered in `CONFIG/config.json`;
 * the client secret never is. `--yes` runs unattended: a missing value exits 2 naming the flag.
 *
 * @module
 */
import { configPaths, type Env } from '../config/paths.js';
import { saveSettings } from '../config/settings.js';
import { checkDomain } from '../fleet/api/partner.js';
import { vinPath } from '../fleet/api/types.js';
import { TokenManager } from '../fleet/auth.js';
import { FleetClient } from '../fleet/client.js';
import { createFleetClient, tokenManagerFromEnv } from '../fleet/index.js';
import { checkBaseUrl, parseRegion, REGIONS, type Region } from '../fleet/regions.js';
import { loadKeyFile, output, parseCommand } from '../fleet/setup.js';
import { cliCommand } from '../util/cli-command.js';
import { run as doctor } from './doctor.js';
import { run as keygen } from './keygen.js';
import { type LoginIo, loginOptions, performLogin } from './login.js';
import { type PairIo, run as pair } from './pair.js';
import { clackPrompter, type Prompter, SetupCancelled } from './prompter.js';
import { run as register } from './register.js';
import {
  checkHostedKey,
  HOSTINGS,
  type Hosting,
  hostingSteps,
  writeStaticSite,
} from './setup-hosting.js';

const HELP = `Usage: tesla-mcp setup [--yes] [--client-id ID] [--domain D] [--region na|eu|cn] [--vin V]
                       [--hosting serve|static|self] [--static-dir DIR]
                       [--port P] [--no-browser] [--qr|--no-qr]

Walks through the whole setup and skips what is already done; run it again at any point:
  1. app credentials (your app at https://developer.tesla.com)  2. command key (keygen)
  3. public-key hosting  4. partner registration in na and eu  5. Tesla login
  6. pairing link and QR code  7. doctor
Settings are remembered in CONFIG/config.json (client id, domain, region, VIN; never the secret).
The client secret comes from TESLA_CLIENT_SECRET, or is asked for and used for this run only.

  --yes              no questions: take every value from flags, environment or CONFIG/config.json,
                     and exit 2 naming the flag when a required one is missing
  --hosting H        serve: tesla-mcp serve --http on the domain serves the key itself
                     static: write a static site (GitHub Pages or any web host) into --static-dir
                     self: you serve the file yourself
  --static-dir DIR   where --hosting static writes the site (default ./tesla-public-key-site)
  --port, --no-browser   as for \`tesla-mcp login\`; --qr, --no-qr as for \`tesla-mcp pair\`
`;

export interface SetupIo extends LoginIo, PairIo {
  /** Asks the questions (default: @clack/prompts on the terminal; unused with --yes). */
  prompter?: Prompter;
}

const DOMAIN_HINT = 'the domain that will host your public key, e.g. tesla.example.com';

export async function run(argv: string[], io: SetupIo = {}): Promise<number> {
  const base = output(io);
  const { out, err } = base;
  const args = parseCommand(
    'setup',
    argv,
    HELP,
    { out, err },
    ['client-id', 'domain', 'region', 'vin', 'hosting', 'static-dir', 'port'],
    ['yes', 'y', 'no-browser', 'qr', 'no-qr'],
  );
  if (typeof args === 'number') return args;
  const f = args.flags;
  const yes = f.yes === true || f.y === true;
  const flag = (name: string) => (typeof f[name] === 'string' ? (f[name] as string) : undefined);
  const env = base.env;

  // Unattended: every required value must be given; name all that are missing, ask nothing.
  let clientId = flag('client-id') ?? env.TESLA_CLIENT_ID;
  let secret = env.TESLA_CLIENT_SECRET;
  let rawDomain = flag('domain') ?? env.TESLA_DOMAIN;
  const hostingFlag = flag('hosting');
  try {
    if (hostingFlag !== undefined && !(HOSTINGS as string[]).includes(hostingFlag))
      throw new Error(`--hosting must be one of ${HOSTINGS.join(', ')}`);
    if (rawDomain) rawDomain = checkDomain(rawDomain);
    if (flag('region')) parseRegion(flag('region') as string);
  } catch (e) {
    err(`tesla-mcp setup: ${(e as Error).message.replace(/^fleet: /, '')}\n`);
    return 2;
  }
  if (yes) {
    const missing = [
      ...(clientId ? [] : ['--client-id (or TESLA_CLIENT_ID)']),
      ...(secret ? [] : ['TESLA_CLIENT_SECRET (environment only; never a flag, never saved)']),
      ...(rawDomain ? [] : ['--domain (or TESLA_DOMAIN)']),
    ];
    if (missing.length) {
      err(`tesla-mcp setup --yes: missing ${missing.join(', ')}\n`);
      return 2;
    }
  }
  let prompter: Prompter | undefined;
  const ask = async (): Promise<Prompter> => {
    prompter ??= io.prompter ?? (await clackPrompter());
    return prompter;
  };
  const step = (n: number, title: string) => out(`\n[${n}/7] ${title}\n`);
  const ok = (text: string) => out(`  ✓ ${text}\n`);
  const todo = (text: string) => out(`  → ${text}\n`);

  try {
    // 1. App credentials, domain, region.
    step(1, 'App credentials');
    if (!clientId || !rawDomain) {
      out(`  Create an app at https://developer.tesla.com (grant types "Authorization Code" and
  "Machine-to-Machine"), with allowed origin https://YOUR-DOMAIN and allowed redirect URI
  http://localhost:${env.TESLA_LOGIN_PORT || '8750'}/callback.\n`);
    }
    clientId ??= await (await ask()).text({
      message: 'Client ID of your Tesla app',
      validate: (v) => (/^[\w.-]{4,200}$/.test(v.trim()) ? undefined : 'paste the client id'),
    });
    ok(`client id ${clientId}`);
    if (!secret) {
      secret = await (await ask()).password({
        message: 'Client secret (used for this run only, never saved)',
        validate: (v) => (v.length >= 4 ? undefined : 'paste the client secret'),
      });
    }
    ok(
      'client secret set (never saved; later runs of register and login need TESLA_CLIENT_SECRET)',
    );
    const domain = checkDomain(
      rawDomain ??
        (await (
          await ask()
        ).text({
          message: `Domain (${DOMAIN_HINT})`,
          validate: (v) => {
            try {
              checkDomain(v);
              return undefined;
            } catch (e) {
              return (e as Error).message.replace(/^fleet: /, '');
            }
          },
        })),
    );
    ok(`domain ${domain}`);
    const regionRaw = flag('region') ?? env.TESLA_REGION;
    const region: Region = regionRaw
      ? parseRegion(regionRaw)
      : yes
        ? 'na'
        : await (await ask()).select<Region>({
            message: 'Region of your Tesla account',
            options: (Object.keys(REGIONS) as Region[]).map((r) => ({
              value: r,
              label: `${r}: ${REGIONS[r].name}`,
            })),
            initial: 'na',
          });
    ok(`region ${region}`);
    await saveSettings(env, { clientId, domain, region });
    ok(`remembered in ${configPaths(env).dir}/config.json`);
    const stepEnv: Env = {
      ...env,
      TESLA_CLIENT_ID: clientId,
      TESLA_CLIENT_SECRET: secret,
      TESLA_DOMAIN: domain,
      TESLA_REGION: region,
    };
    const sub = { ...io, env: stepEnv };

    // 2. Command key.
    step(2, 'Command key');
    const paths = configPaths(stepEnv);
    let key = await loadKeyFile(paths.privateKey);
    if (key) ok(`${paths.privateKey} exists (fingerprint ${key.publicKey.fingerprint()})`);
    else {
      if ((await keygen(['--domain', domain], sub)) !== 0) return 1;
      key = await loadKeyFile(paths.privateKey);
      if (!key) throw new Error(`no key at ${paths.privateKey} after keygen`);
    }

    // 3. Public-key hosting.
    step(3, 'Public key hosting');
    let hosted = await checkHostedKey(domain, key.publicKey, io);
    if (hosted.ok) ok(hosted.line);
    else {
      todo(hosted.line);
      const hosting: Hosting =
        (hostingFlag as Hosting | undefined) ??
        (yes
          ? unattended(
              'the key is not hosted yet: give --hosting serve|static|self (see tesla-mcp setup --help)',
            )
          : await (await ask()).select<Hosting>({
              message: 'How will you host the public key?',
              options: [
                { value: 'serve', label: 'tesla-mcp serve --http runs on this domain (serves it)' },
                { value: 'static', label: 'a static site: GitHub Pages or any web host' },
                { value: 'self', label: 'I host it myself' },
              ],
            }));
      let dir: string | undefined;
      if (hosting === 'static') {
        dir =
          flag('static-dir') ??
          (yes
            ? 'tesla-public-key-site'
            : await (await ask()).text({
                message: 'Folder to write the site into',
                initial: 'tesla-public-key-site',
              }));
        const files = await writeStaticSite(dir, domain, key.publicKey.toPem());
        ok(`wrote ${files.map((x) => `${dir}/${x}`).join(', ')}`);
      }
      out(
        hostingSteps(hosting, domain, { ...(dir ? { dir } : {}), keyFile: paths.publicKey })
          .replace(/^/gm, '  ')
          .trimEnd(),
      );
      out('\n');
      for (;;) {
        if (!yes && !(await (await ask()).confirm({ message: 'Is the key online? Check now' })))
          throw new SetupCancelled();
        hosted = await checkHostedKey(domain, key.publicKey, io);
        if (hosted.ok) break;
        todo(hosted.line);
        if (yes) {
          todo(`publish the key as above, then run \`${cliCommand('setup --yes')}\` again`);
          return 1;
        }
      }
      ok(hosted.line);
    }

    // 4. Partner registration.
    step(4, 'Partner registration');
    if (region === 'cn') {
      todo(
        'China: Tesla runs a separate developer platform. Create an app on https://developer.tesla.cn and register it there.',
      );
    } else {
      const partner = new FleetClient({
        tokens: new TokenManager({
          clientId,
          clientSecret: secret,
          dispatcher: io.dispatcher,
          ...(io.tokenUrl ? { tokenUrl: io.tokenUrl } : {}),
        }),
        dispatcher: io.dispatcher,
      });
      const override = stepEnv.TESLA_FLEET_API_URL
        ? checkBaseUrl(stepEnv.TESLA_FLEET_API_URL)
        : undefined;
      const targets = override ? [override] : [REGIONS.na.fleetApi, REGIONS.eu.fleetApi];
      const ours = key.publicKey.toHex().toLowerCase();
      const held = await Promise.all(
        targets.map((baseUrl) =>
          partner.partner.publicKey(domain, { baseUrl }).then(
            (k) => k?.toLowerCase() === ours,
            () => false,
          ),
        ),
      );
      if (held.every(Boolean)) ok(`Tesla holds our key for ${domain} (${targets.join(', ')})`);
      else if ((await register(['--domain', domain], sub)) !== 0) {
        todo(`fix the above, then run \`${cliCommand('setup')}\` again`);
        return 1;
      }
    }

    // 5. Login.
    step(5, 'Tesla login');
    const tokens = tokenManagerFromEnv(stepEnv, io.dispatcher, io.tokenUrl);
    if (await tokens.configured()) {
      const status = await tokens.status();
      ok(
        `signed in (${String(status.source)}${status.expiresAt ? `, expires ${String(status.expiresAt)}` : ''})`,
      );
    } else {
      await performLogin(loginOptions(f, stepEnv, io), clientId, io, { ...base, env: stepEnv });
    }

    // 6. Pairing.
    step(6, 'Pairing');
    const fleet = createFleetClient(stepEnv, { dispatcher: io.dispatcher, tokenUrl: io.tokenUrl });
    const vehicles = (await fleet.client.vehicles.list()).map((v) => v.vin);
    let vin = flag('vin') ?? stepEnv.TESLA_VIN;
    if (vin) vin = vinPath(vin);
    if (!vin && vehicles.length === 1) vin = vehicles[0];
    if (!vin && vehicles.length > 1 && !yes) {
      vin = await (await ask()).select({
        message: 'Default vehicle',
        options: vehicles.map((v) => ({ value: v, label: v })),
      });
    }
    if (vin) await saveSettings(env, { vin });
    const check = vin ? [vin] : vehicles;
    if (check.length === 0)
      todo(`no vehicles on this account yet; run \`${cliCommand('pair')}\` later`);
    for (let round = 0; check.length > 0; round++) {
      const fs = await fleet.client.vehicles.fleetStatus(check);
      const unpaired = check.filter((v) => !fs.key_paired_vins.includes(v));
      for (const v of check.filter((x) => !unpaired.includes(x))) ok(`vehicle ${v}: key paired`);
      if (unpaired.length === 0) break;
      for (const v of unpaired) {
        todo(`vehicle ${v}: key not paired yet`);
        if (round === 0) {
          const qr = f['no-qr'] ? ['--no-qr'] : f.qr ? ['--qr'] : [];
          await pair(['--vin', v, ...qr], sub);
        }
      }
      if (yes) {
        todo(
          `approve the key in the Tesla app and in the car; \`${cliCommand('doctor')}\` shows the state`,
        );
        break;
      }
      if (!(await (await ask()).confirm({ message: 'Approved in the car? Check again' }))) break;
      check.splice(0, check.length, ...unpaired);
    }

    // 7. Doctor.
    step(7, 'Doctor');
    return await doctor([], sub);
  } catch (e) {
    if (e instanceof SetupCancelled) {
      err(`\ntesla-mcp setup: ${e.message}\n`);
      return 130;
    }
    if (e instanceof UnattendedError) {
      err(`tesla-mcp setup --yes: ${e.message}\n`);
      return 2;
    }
    err(`tesla-mcp setup: ${(e as Error).message.replace(/^fleet: /, '')}\n`);
    err(`Fix that, then run \`${cliCommand('setup')}\` again: finished steps are skipped.\n`);
    return 1;
  }
}

class UnattendedError extends Error {
  override readonly name = 'UnattendedError';
}

function unattended(message: string): never {
  throw new UnattendedError(message);
}
