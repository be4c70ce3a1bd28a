/**
 * Which state store a `serve` or `proxy` process uses, decided once for both: Redis when
 * `--redis URL` / `TESLA_MCP_REDIS_URL` is set (loaded only then), else `undefined`, and
 * `Dispatcher.open` takes the file store at the session cache. `TESLA_MCP_STATE_KEY`, the key
 * that encrypts secrets at rest in the shared store, is checked here too: 64 hex characters,
 * anything else refuses to start, naming the variable.
 *
 * @module
 */
import type { Env } from '../config/paths.js';
import { hexToBytes } from '../signing/bytes.js';
import type { RedisStateStore } from './redis-store.js';

/** A setting that keeps the process from starting; the message names it and how to fix it. */
export class StateConfigError extends Error {
  override readonly name = 'StateConfigError';
}

/** `TESLA_MCP_STATE_KEY` as 32 bytes, or undefined when unset. Throws for any other format. */
export function stateKeyFromEnv(env: Env): Uint8Array | undefined {
  const raw = env.TESLA_MCP_STATE_KEY;
  if (raw === undefined || raw === '') return undefined;
  if (!/^[0-9a-fA-F]{64}$/.test(raw.trim())) {
    throw new StateConfigError(
      `TESLA_MCP_STATE_KEY must be 64 hex characters (32 bytes, e.g. from \`openssl rand -hex 32\`); got ${raw.trim().length} characters that are not: fix it or unset it`,
    );
  }
  return hexToBytes(raw.trim().toLowerCase());
}

/** The Redis store when a URL is given; connecting failures say how to fix them. */
export async function openSharedStore(o: {
  redisUrl: string | undefined;
  env: Env;
  keyFingerprint: string;
  warn?: (message: string) => void;
}): Promise<RedisStateStore | undefined> {
  stateKeyFromEnv(o.env);
  if (!o.redisUrl) return undefined;
  const { RedisStateStore } = await import('./redis-store.js');
  return RedisStateStore.connect({
    url: o.redisUrl,
    keyFingerprint: o.keyFingerprint,
    ...(o.warn ? { warn: o.warn } : {}),
  });
}
