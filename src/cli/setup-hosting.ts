/**
 * Step 3 of `tesla-mcp setup`: where the public key is hosted. Tesla fetches it from
 * `https://DOMAIN/.well-known/appspecific/com.tesla.3p.public-key.pem` (Tesla's Fleet API docs,
 * "Developer Guide: Register"). Three ways: (a) `tesla-mcp serve --http` running on the domain,
 * which serves the key at that path itself; (b) a static site, for which the exact file tree is
 * written into a folder; (c) a web server the user runs. Every way ends with the same check
 * `register` does ({@link checkHostedKey}).
 *
 * @module
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { publicKeyUrl } from '../fleet/api/partner.js';
import { cachingProblem, fetchHostedKey, type SetupIo } from '../fleet/setup.js';
import type { PublicKey } from '../signing/index.js';

export type Hosting = 'serve' | 'static' | 'self';
export const HOSTINGS: readonly Hosting[] = ['serve', 'static', 'self'];

export const KEY_PATH = '.well-known/appspecific/com.tesla.3p.public-key.pem';

/** Writes the static site: the key at its well-known path and `.nojekyll` (GitHub Pages). */
export async function writeStaticSite(
  dir: string,
  domain: string,
  publicKeyPem: string,
): Promise<string[]> {
  const keyFile = join(dir, KEY_PATH);
  await mkdir(join(dir, '.well-known', 'appspecific'), { recursive: true });
  await writeFile(keyFile, publicKeyPem, { mode: 0o644 });
  // GitHub Pages runs Jekyll by default, which skips folders that start with a dot.
  await writeFile(join(dir, '.nojekyll'), '', { mode: 0o644 });
  const files = [KEY_PATH, '.nojekyll'];
  if (!domain.endsWith('.github.io')) {
    // A custom domain on GitHub Pages is named by the CNAME file at the site root.
    await writeFile(join(dir, 'CNAME'), `${domain}\n`, { mode: 0o644 });
    files.push('CNAME');
  }
  return files;
}

/** What to do for each hosting choice, printed by setup. */
export function hostingSteps(
  hosting: Hosting,
  domain: string,
  o: { dir?: string; keyFile: string },
) {
  const url = publicKeyUrl(domain);
  switch (hosting) {
    case 'serve':
      return `Run the MCP server on ${domain} behind HTTPS (a reverse proxy, or --tls-cert/--tls-key):
  tesla-mcp serve --http --host 0.0.0.0 --public-url https://${domain} --api-key
It answers ${url} with your public key itself.
`;
    case 'static':
      return `The site is in ${o.dir}. To publish it with GitHub Pages:
  1. Create a repository, put the folder's contents (dot files included) at its root, push.
  2. Settings -> Pages: deploy from the branch, folder / (root).
  3. ${domain.endsWith('.github.io') ? `The site is ${domain}.` : `Custom domain: ${domain} (the CNAME file names it); point its DNS at GitHub Pages and tick "Enforce HTTPS".`}
Any other static host works too: upload the folder so that ${url} serves the .pem file.
`;
    case 'self':
      return `Serve the file ${o.keyFile}, unchanged, at
  ${url}
over HTTPS, without long cache headers (Cache-Control: no-cache or a short max-age).
`;
  }
}

export interface HostedCheck {
  ok: boolean;
  line: string;
}

/** The hosted-key check of `register`: reachable, a P-256 key, ours; warns on caching headers. */
export async function checkHostedKey(
  domain: string,
  ours: PublicKey,
  io: SetupIo,
): Promise<HostedCheck> {
  const hosted = await fetchHostedKey(domain, io.dispatcher, undefined, io.hostedKeyUrl);
  if (!hosted.publicKey) {
    return { ok: false, line: `not served at ${hosted.url} (${hosted.problem})` };
  }
  if (!hosted.publicKey.equals(ours)) {
    return {
      ok: false,
      line: `${hosted.url} serves another key (${hosted.publicKey.fingerprint()}; ours is ${ours.fingerprint()})`,
    };
  }
  const cache = cachingProblem(hosted.cacheControl);
  return {
    ok: true,
    line: `${hosted.url} serves our key (${ours.fingerprint()})${cache ? `; warning: ${cache}` : ''}`,
  };
}
