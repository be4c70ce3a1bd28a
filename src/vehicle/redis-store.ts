/**
 * The Redis {@link StateStore} (`--redis URL` / `TESLA_MCP_REDIS_URL`): the state several
 * instances on several machines share, on the store operators already run. Each operation is
 * one Lua script, so it is atomic on the server:
 *
 * - a session is a hash (epoch, session info, counter, export time) per VIN and domain; a
 *   counter reservation raises the counter of the stored epoch in the same script (an INCRBY
 *   that also checks the epoch and the caller's floor);
 * - leases (VCSEC lock, Infotainment slots, handshake) are sorted sets of holder ids scored by
 *   expiry on the server's clock (`TIME`), so a crashed instance blocks a car for one lease at
 *   most, whatever the clocks of the machines say;
 * - the wake budget is a sorted set of wake times, billing a hash.
 *
 * Keys are `tesla-mcp:<command-key fingerprint>:…`, so instances of different keys can share
 * one Redis. No session key is stored: the session key is re-derived from the command key.
 * Lost mid-run, every operation fails at once (no offline queue) with a {@link StateStoreError}
 * while the client reconnects in the background: nothing falls back to per-process state.
 *
 * @module
 */
import { bytesToHex } from '../signing/bytes.js';
import type { ExportedSession } from '../signing/signer.js';
import {
  type DomainNumber,
  type Lease,
  type LeaseOptions,
  pause,
  type StateStore,
  StateStoreError,
  type WakeTake,
} from './state-store.js';
import { leaseId, sessionState, withCounter } from './store-session.js';

/** What this store needs of a client (node-redis `createClient()` has it). */
export interface RedisConnection {
  connect(): Promise<unknown>;
  sendCommand(args: string[]): Promise<unknown>;
  close(): Promise<void>;
  destroy(): void;
  on(event: 'error', listener: (err: Error) => void): unknown;
}

/** Sessions untouched this long are dropped (the vehicle would have a new epoch by then). */
const SESSION_TTL_S = 30 * 86_400;
const POLL_MS = 15;

const RESERVE = `
if redis.call('HGET', KEYS[1], 'epoch') ~= ARGV[1] then return -1 end
local c = tonumber(redis.call('HGET', KEYS[1], 'counter'))
local floor = tonumber(ARGV[2])
if floor > c then c = floor end
redis.call('HSET', KEYS[1], 'counter', c + tonumber(ARGV[3]))
redis.call('EXPIRE', KEYS[1], ARGV[4])
return c + 1`;

const PUT = `
local c = tonumber(ARGV[3])
if redis.call('HGET', KEYS[1], 'epoch') == ARGV[1] then
  local old = tonumber(redis.call('HGET', KEYS[1], 'counter')) or 0
  if old > c then c = old end
end
redis.call('HSET', KEYS[1], 'epoch', ARGV[1], 'info', ARGV[2], 'counter', c, 'at', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[5])
return c`;

const DELETE = `
if redis.call('HGET', KEYS[1], 'epoch') == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Takes one of ARGV[2] places for ARGV[3] ms on the server's clock; 1 when taken. */
const LEASE = `
local t = redis.call('TIME')
local now = t[1] * 1000 + math.floor(t[2] / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[3]), ARGV[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], math.max(tonumber(last[2]), now + tonumber(ARGV[3])))
return 1`;

const WAKE = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then
  return redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')[2]
end
redis.call('ZADD', KEYS[1], now, ARGV[4])
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return -1`;

/** Logs one event at ARGV[1] and answers the times of those within ARGV[2] ms, newest ARGV[3]. */
const EVENT = `
local now = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[2]))
redis.call('ZADD', KEYS[1], now, ARGV[4])
local n = redis.call('ZCARD', KEYS[1])
local keep = tonumber(ARGV[3])
if n > keep then redis.call('ZREMRANGEBYRANK', KEYS[1], 0, n - keep - 1) end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return redis.call('ZRANGE', KEYS[1], 0, -1, 'WITHSCORES')`;

export interface RedisStateStoreOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` (TLS). Never logged. */
  url: string;
  /** Our public key's fingerprint: the namespace of every key. */
  keyFingerprint: string;
  /** How long connecting at start may take (default 5 s). */
  connectTimeoutMs?: number;
  warn?: (message: string) => void;
}

export class RedisStateStore implements StateStore {
  readonly description: string;
  readonly #redis: RedisConnection;
  readonly #ns: string;
  readonly #held = new Set<() => Promise<void>>();

  private constructor(redis: RedisConnection, ns: string, description: string) {
    this.#redis = redis;
    this.#ns = ns;
    this.description = description;
  }

  /**
   * Connects, or throws a {@link StateStoreError} that says how to fix it (Redis not running,
   * wrong URL or password). Loads the client on first use only.
   */
  static async connect(o: RedisStateStoreOptions): Promise<RedisStateStore> {
    const where = redisWhere(o.url);
    let url: URL;
    try {
      url = new URL(o.url);
      if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') throw new Error('scheme');
    } catch {
      throw new StateStoreError(
        `state store: the Redis URL is not redis://host:port or rediss://host:port: fix --redis or TESLA_MCP_REDIS_URL`,
      );
    }
    const { createClient } = await import('./redis-client.js');
    let connected = false;
    const client = createClient({
      url: o.url,
      disableOfflineQueue: true,
      socket: {
        connectTimeout: o.connectTimeoutMs ?? 5000,
        // At start: fail at once. Later: reconnect in the background, commands fail meanwhile.
        reconnectStrategy: (retries: number) =>
          connected ? Math.min(50 * 2 ** Math.min(retries, 5), 2000) : false,
      },
    }) as unknown as RedisConnection;
    let lastError: Error | undefined;
    let warnedLost = false;
    client.on('error', (err) => {
      lastError = err;
      if (connected && !warnedLost) {
        warnedLost = true;
        o.warn?.(
          `state store: lost the connection to Redis at ${where} (${err.message}); reconnecting`,
        );
      }
    });
    try {
      await client.connect();
      await client.sendCommand(['PING']);
    } catch (err) {
      client.destroy();
      const why = (lastError ?? (err as Error)).message || String(err);
      throw new StateStoreError(
        `state store: cannot reach Redis at ${where} (${why}): start redis-server there, or fix --redis / TESLA_MCP_REDIS_URL (and its password)`,
        { cause: err },
      );
    }
    connected = true;
    return new RedisStateStore(client, `tesla-mcp:${o.keyFingerprint}`, `redis ${where}`);
  }

  /** Wraps an already connected client (tests, applications with their own). */
  static fromConnection(redis: RedisConnection, keyFingerprint: string): RedisStateStore {
    return new RedisStateStore(redis, `tesla-mcp:${keyFingerprint}`, 'redis');
  }

  async #run(script: string, keys: string[], args: (string | number)[]): Promise<unknown> {
    try {
      return await this.#redis.sendCommand([
        'EVAL',
        script,
        String(keys.length),
        ...keys,
        ...args.map(String),
      ]);
    } catch (err) {
      throw new StateStoreError(
        `state store: Redis did not answer (${(err as Error).message}); retry once it is reachable`,
        { cause: err },
      );
    }
  }

  #key(...parts: (string | number)[]): string {
    return [this.#ns, ...parts].join(':');
  }

  async getSession(vin: string, domain: DomainNumber): Promise<ExportedSession | undefined> {
    const raw = await this.#run(
      "return {redis.call('HGET', KEYS[1], 'info') or '', redis.call('HGET', KEYS[1], 'counter') or '', redis.call('HGET', KEYS[1], 'at') or '', redis.call('SISMEMBER', KEYS[2], ARGV[1])}",
      [this.#key('session', vin, domain), this.#key('encrypts', vin)],
      [domain],
    );
    const [info, counter, at, encrypts] = raw as [string, string, string, number];
    if (!info) return undefined;
    try {
      const s = withCounter(
        { sessionInfo: Uint8Array.from(Buffer.from(info, 'base64')), exportedAt: Number(at) },
        Number(counter),
      );
      if (Number(encrypts) === 1) s.encryptsResponses = true;
      return s;
    } catch {
      return undefined;
    }
  }

  async putSession(vin: string, domain: DomainNumber, session: ExportedSession): Promise<void> {
    const st = sessionState(session);
    if (!st) return;
    await this.#run(
      PUT,
      [this.#key('session', vin, domain)],
      [
        st.epoch,
        Buffer.from(session.sessionInfo).toString('base64'),
        st.counter,
        session.exportedAt,
        SESSION_TTL_S,
      ],
    );
    if (session.encryptsResponses) await this.setEncryptsResponses(vin, domain);
  }

  async deleteSession(vin: string, domain: DomainNumber, epoch: Uint8Array): Promise<void> {
    await this.#run(DELETE, [this.#key('session', vin, domain)], [bytesToHex(epoch)]);
  }

  async reserveCounters(
    vin: string,
    domain: DomainNumber,
    epoch: Uint8Array,
    n: number,
    floor: number,
  ): Promise<number | undefined> {
    const first = Number(
      await this.#run(
        RESERVE,
        [this.#key('session', vin, domain)],
        [bytesToHex(epoch), floor, n, SESSION_TTL_S],
      ),
    );
    return first > 0 ? first : undefined;
  }

  async setEncryptsResponses(vin: string, domain: DomainNumber): Promise<void> {
    await this.#run(
      "return redis.call('SADD', KEYS[1], ARGV[1])",
      [this.#key('encrypts', vin)],
      [domain],
    );
  }

  async encryptsResponses(vin: string, domain: DomainNumber): Promise<boolean> {
    const r = await this.#run(
      "return redis.call('SISMEMBER', KEYS[1], ARGV[1])",
      [this.#key('encrypts', vin)],
      [domain],
    );
    return Number(r) === 1;
  }

  lockVcsec(vin: string, o: LeaseOptions): Promise<Lease> {
    return this.#lease(this.#key('lease', 'vcsec', vin), 1, o);
  }

  acquireSlot(vin: string, limit: number, o: LeaseOptions): Promise<Lease> {
    return this.#lease(this.#key('lease', 'slots', vin), limit, o);
  }

  lockHandshake(vin: string, domain: DomainNumber, o: LeaseOptions): Promise<Lease> {
    return this.#lease(this.#key('lease', 'handshake', vin, domain), 1, o);
  }

  async #lease(key: string, limit: number, o: LeaseOptions): Promise<Lease> {
    const id = leaseId();
    for (;;) {
      o.signal?.throwIfAborted();
      if (Number(await this.#run(LEASE, [key], [id, limit, Math.ceil(o.leaseMs)])) === 1) break;
      await pause(POLL_MS / 2 + Math.random() * POLL_MS, o.signal);
    }
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      this.#held.delete(release);
      await this.#run("return redis.call('ZREM', KEYS[1], ARGV[1])", [key], [id]);
    };
    this.#held.add(release);
    return { release };
  }

  async takeWake(vin: string, limit: number, windowMs: number, now: number): Promise<WakeTake> {
    const oldest = Number(
      await this.#run(
        WAKE,
        [this.#key('wakes', vin)],
        [now, limit, windowMs, `${now}-${leaseId()}`],
      ),
    );
    if (oldest < 0) return { ok: true };
    return {
      ok: false,
      retryAfterSeconds: Math.max(1, Math.ceil((oldest + windowMs - now) / 1000)),
    };
  }

  async countBilling(name: string, n: number): Promise<void> {
    await this.#run(
      "return redis.call('HINCRBY', KEYS[1], ARGV[1], ARGV[2])",
      [this.#key('billing')],
      [name, n],
    );
  }

  async billing(): Promise<Record<string, number>> {
    const flat = (await this.#run(
      "return redis.call('HGETALL', KEYS[1])",
      [this.#key('billing')],
      [],
    )) as string[];
    const out: Record<string, number> = {};
    for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = Number(flat[i + 1]);
    return out;
  }

  /**
   * Records with an optional expiry under `tesla-mcp:<fingerprint>:<prefix>:`: what the MCP
   * server's confirmation tokens (`PendingStore`) and the shared token store keep. `delete` is
   * true only for the caller that removed a live entry (Redis `DEL`).
   */
  records(prefix: string): RedisRecords {
    const k = (key: string) => this.#key(prefix, key);
    return {
      put: async (key, value, ttlMs) => {
        const ms = ttlMs === undefined ? '0' : String(Math.max(1, Math.ceil(ttlMs)));
        await this.#run(
          "if ARGV[2] == '0' then return redis.call('SET', KEYS[1], ARGV[1]) end return redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])",
          [k(key)],
          [value, ms],
        );
      },
      get: async (key) => {
        const v = await this.#run("return redis.call('GET', KEYS[1])", [k(key)], []);
        return typeof v === 'string' ? v : undefined;
      },
      delete: async (key) =>
        Number(await this.#run("return redis.call('DEL', KEYS[1])", [k(key)], [])) === 1,
    };
  }

  /**
   * Sliding-window event logs under `tesla-mcp:<fingerprint>:<prefix>:` (the MCP server's limit
   * on failed logins): `add` logs one event at `now` and answers, in the same script, the times
   * of the logged events less than `windowMs` old, oldest first (the newest `keep` at most). A
   * log expires `windowMs` after its newest event.
   */
  events(prefix: string): RedisEvents {
    return {
      add: async (key, now, windowMs, keep) => {
        const flat = (await this.#run(
          EVENT,
          [this.#key(prefix, key)],
          [now, Math.max(1, Math.ceil(windowMs)), Math.max(1, keep), `${now}-${leaseId()}`],
        )) as string[];
        const times: number[] = [];
        for (let i = 1; i < flat.length; i += 2) times.push(Number(flat[i]));
        return times;
      },
    };
  }

  /** An exclusive lease on `name` across every instance (e.g. the token refresh). */
  lock(name: string, o: LeaseOptions): Promise<Lease> {
    return this.#lease(this.#key('lease', name), 1, o);
  }

  /** Releases the leases this instance still holds, then disconnects. */
  async close(): Promise<void> {
    for (const release of [...this.#held]) await release().catch(() => {});
    await this.#redis.close().catch(() => this.#redis.destroy());
  }
}

export interface RedisRecords {
  put(key: string, value: string, ttlMs?: number): Promise<void>;
  get(key: string): Promise<string | undefined>;
  delete(key: string): Promise<boolean>;
}

export interface RedisEvents {
  add(key: string, now: number, windowMs: number, keep: number): Promise<number[]>;
}

/** `host:port` of a Redis URL, for messages: never the user name or password. */
export function redisWhere(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || '6379'}`;
  } catch {
    return '(unparsable URL)';
  }
}
