/**
 * API-key mode: `Authorization: Bearer <key>`. The key comes from `MCP_API_KEY`, or, when
 * `--api-key` is given without a value, from `CONFIG/api-key`, which is generated (0600) only then.
 * The check is constant-time.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import type { Env } from '../../config/paths.js';
import { writeFileAtomic } from '../../util/fs.js';
import { safeEqual } from '../../util/safe-equal.js';
import { randomToken } from './crypto.js';
import { AuthConfigError } from './errors.js';

const MIN_KEY_LENGTH = 16;

export interface ResolvedApiKey {
  key: string;
  /** `env`, `flag`, or the path of the key file. */
  source: string;
  /** True when this call wrote a new key file. */
  generated: boolean;
}

function checkLength(key: string, where: string): string {
  if (key.length < MIN_KEY_LENGTH) {
    throw new AuthConfigError(
      `${where} is shorter than ${MIN_KEY_LENGTH} characters; use a long random key (\`tesla-mcp serve --http --api-key\` generates one)`,
    );
  }
  return key;
}

/**
 * The API key to enforce, or `undefined` when API-key mode is off. `flag` is the `--api-key`
 * option: `true` (no value: read or generate the key file at `path`), a string (the key itself),
 * or `undefined` (not given). The flag wins over `MCP_API_KEY`.
 */
export async function resolveApiKey(o: {
  env: Env;
  flag?: boolean | string | undefined;
  path: string;
}): Promise<ResolvedApiKey | undefined> {
  if (typeof o.flag === 'string') {
    return { key: checkLength(o.flag, '--api-key'), source: 'flag', generated: false };
  }
  if (o.flag !== true) {
    const key = o.env.MCP_API_KEY;
    return key
      ? { key: checkLength(key, 'MCP_API_KEY'), source: 'env', generated: false }
      : undefined;
  }
  try {
    const key = (await readFile(o.path, 'utf8')).trim();
    return { key: checkLength(key, o.path), source: o.path, generated: false };
  } catch (err) {
    if (err instanceof AuthConfigError) throw err;
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') {
      throw new AuthConfigError(`cannot read ${o.path}: check its owner and permissions`);
    }
  }
  const key = randomToken('tmcp_');
  await writeFileAtomic(o.path, `${key}\n`, 0o600);
  return { key, source: o.path, generated: true };
}

/** Constant-time check of a presented bearer value against the configured key. */
export function apiKeyMatches(presented: string, key: string): boolean {
  return safeEqual(presented, key);
}
