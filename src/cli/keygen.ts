/**
 * `tesla-mcp keygen [--force] [--domain D]`: a P-256 command key pair from the signing library.
 * The private key goes to `TESLA_PRIVATE_KEY_FILE` (default `CONFIG/private-key.pem`, 0600), the
 * public key to `CONFIG/public-key.pem`; prints where to host it and its fingerprint.
 *
 * @module
 */
import { access } from 'node:fs/promises';
import { configPaths } from '../config/paths.js';
import { saveSettings } from '../config/settings.js';
import { checkDomain, publicKeyUrl } from '../fleet/api/partner.js';
import { output, parseCommand, type SetupIo } from '../fleet/setup.js';
import { PrivateKey } from '../signing/index.js';
import { writeFileAtomic } from '../util/fs.js';

const HELP = `Usage: tesla-mcp keygen [--force] [--domain D]

Creates the P-256 key that signs vehicle commands: the private key in TESLA_PRIVATE_KEY_FILE
(default CONFIG/private-key.pem, mode 0600) and the public key in CONFIG/public-key.pem, which
must be hosted at https://DOMAIN/.well-known/appspecific/com.tesla.3p.public-key.pem.
An existing key is kept unless --force is given (replacing it un-pairs every vehicle).
`;

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch {
    return false;
  }
}

export async function run(argv: string[], io: SetupIo = {}): Promise<number> {
  const { env, out, err } = output(io);
  const args = parseCommand('keygen', argv, HELP, { out, err }, ['domain'], ['force']);
  if (typeof args === 'number') return args;
  const rawDomain = (args.flags.domain as string | undefined) ?? env.TESLA_DOMAIN;
  let domain: string | undefined;
  try {
    domain = rawDomain ? checkDomain(rawDomain) : undefined;
  } catch (e) {
    err(`tesla-mcp keygen: ${(e as Error).message.replace(/^fleet: /, '')}\n`);
    return 2;
  }
  const paths = configPaths(env);
  if ((await exists(paths.privateKey)) && args.flags.force !== true) {
    err(
      `tesla-mcp keygen: ${paths.privateKey} already exists; keeping it. Pass --force to replace it (vehicles paired with the old key must be paired again).\n`,
    );
    return 1;
  }
  if (domain && args.flags.domain) await saveSettings(env, { domain });
  const key = PrivateKey.generate();
  await writeFileAtomic(paths.privateKey, key.toPem('sec1'), 0o600);
  await writeFileAtomic(paths.publicKey, key.public.toPem(), 0o644);
  out(`Created the command key:
  private key: ${paths.privateKey} (mode 0600; keep it secret, back it up)
  public key:  ${paths.publicKey}
  fingerprint: ${key.public.fingerprint()}

Host the public key file, unchanged, at:
  ${domain ? publicKeyUrl(domain) : 'https://YOUR-DOMAIN/.well-known/appspecific/com.tesla.3p.public-key.pem'}
(served over HTTPS, without long cache headers). Then run:
  tesla-mcp register --domain ${domain ?? 'YOUR-DOMAIN'}
`);
  return 0;
}
