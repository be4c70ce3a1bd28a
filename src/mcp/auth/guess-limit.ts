/**
 * A limit on guessing the secrets a person may have chosen: the API key and the static client's
 * secret. After `maxFailures` failed checks from one peer within `windowMs`, that peer's further
 * checks are refused (429, `Retry-After`) without comparing anything, for at least `blockMs` and
 * until the window holds fewer failures again: at most 10 guesses per 5 minutes per peer.
 *
 * The peer is the socket address, or with a trusted reverse proxy (`--trust-proxy`) the last
 * `X-Forwarded-For` entry, the one the proxy added. IPv6 peers are grouped by /64, the block a
 * single host is usually given. Limits (README "Security"): an attacker with many addresses gets
 * 10 guesses per address; behind a reverse proxy without `--trust-proxy`, every client shares
 * the proxy's address, so one guesser also blocks the others.
 *
 * {@link GuessLimiter} counts in the process; {@link SharedGuessLimiter} counts in the shared
 * store (`--redis`), so the limit holds across every instance behind a load balancer: 10
 * guesses per peer in all, not 10 per instance.
 *
 * @module
 */
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { sha256Hex } from './crypto.js';

export interface GuessLimitOptions {
  /** Failures allowed within the window (default 10). */
  maxFailures?: number;
  /** The window, ms (default 5 minutes). */
  windowMs?: number;
  /** Shortest block, ms (default 60 s). */
  blockMs?: number;
  /** Peers remembered at most; the least recently seen are forgotten (default 10,000). */
  maxPeers?: number;
  now?: () => number;
}

type Awaitable<T> = T | Promise<T>;

/** The limiter bound to one peer (what an endpoint needs). */
export interface PeerLimit {
  retryAfter(): Awaitable<number | undefined>;
  fail(): Awaitable<void>;
}

/** What the HTTP server needs of a limiter: {@link GuessLimiter} or {@link SharedGuessLimiter}. */
export interface GuessLimit {
  forPeer(peer: string): PeerLimit;
  /** Seconds `peer` must wait (the `Retry-After` value) before its next check, or undefined. */
  retryAfter(peer: string): Awaitable<number | undefined>;
  /** Records a failed check by `peer`; blocks it when the window is full. */
  fail(peer: string): Awaitable<void>;
}

/** The limit both limiters apply, from the options with their defaults. */
interface Rule {
  max: number;
  windowMs: number;
  blockMs: number;
}

function ruleOf(o: GuessLimitOptions): Rule {
  return {
    max: o.maxFailures ?? 10,
    windowMs: o.windowMs ?? 5 * 60_000,
    blockMs: o.blockMs ?? 60_000,
  };
}

/** When a peer whose window just filled (`failures`, oldest first) may try again. */
function blockedUntil(rule: Rule, failures: readonly number[], now: number): number {
  const oldest = failures[0] ?? now;
  return Math.max(now + rule.blockMs, oldest + rule.windowMs);
}

/** The `Retry-After` seconds until `until`, or undefined once it has passed. */
function secondsLeft(until: number, now: number): number | undefined {
  const left = until - now;
  return left > 0 ? Math.ceil(left / 1000) : undefined;
}

interface PeerState {
  /** Failure times within the window, oldest first (at most `maxFailures`). */
  failures: number[];
  blockedUntil: number;
}

export class GuessLimiter implements GuessLimit {
  readonly #rule: Rule;
  readonly #maxPeers: number;
  readonly #now: () => number;
  readonly #peers = new Map<string, PeerState>();

  constructor(o: GuessLimitOptions = {}) {
    this.#rule = ruleOf(o);
    this.#maxPeers = o.maxPeers ?? 10_000;
    this.#now = o.now ?? Date.now;
  }

  forPeer(peer: string): PeerLimit {
    return { retryAfter: () => this.retryAfter(peer), fail: () => this.fail(peer) };
  }

  /** Seconds `peer` must wait (the `Retry-After` value) before its next check, or undefined. */
  retryAfter(peer: string): number | undefined {
    const s = this.#peers.get(peer);
    return s ? secondsLeft(s.blockedUntil, this.#now()) : undefined;
  }

  /** Records a failed check by `peer`; blocks it when the window is full. */
  fail(peer: string): void {
    const now = this.#now();
    const s = this.#peers.get(peer) ?? { failures: [], blockedUntil: 0 };
    this.#peers.delete(peer);
    this.#peers.set(peer, s); // most recently seen last
    const { max, windowMs } = this.#rule;
    s.failures = s.failures.filter((t) => now - t < windowMs);
    s.failures.push(now);
    if (s.failures.length >= max) {
      s.failures = s.failures.slice(-max);
      s.blockedUntil = blockedUntil(this.#rule, s.failures, now);
    }
    this.#trim(now);
  }

  #trim(now: number): void {
    if (this.#peers.size <= this.#maxPeers) return;
    for (const [peer, s] of this.#peers) {
      if (s.blockedUntil <= now && s.failures.every((t) => now - t >= this.#rule.windowMs)) {
        this.#peers.delete(peer);
      }
    }
    for (const peer of this.#peers.keys()) {
      if (this.#peers.size <= this.#maxPeers) break;
      this.#peers.delete(peer);
    }
  }
}

/** What {@link SharedGuessLimiter} needs of the shared store (`RedisStateStore` has both). */
export interface SharedGuessStore {
  /** Sliding-window logs (`RedisStateStore.events`): failure times per peer. */
  events: { add(key: string, now: number, windowMs: number, keep: number): Promise<number[]> };
  /** Expiring records (`RedisStateStore.records`): the end of a peer's block. */
  records: {
    put(key: string, value: string, ttlMs?: number): Promise<void>;
    get(key: string): Promise<string | undefined>;
  };
}

/**
 * The same limit as {@link GuessLimiter}, counted in the shared store: each failure is logged
 * atomically with the others of its peer, so whichever instance sees the window fill blocks the
 * peer for every instance. Peers are stored as SHA-256 hashes. A store that does not answer
 * fails the request (retryable), never opens the limit.
 */
export class SharedGuessLimiter implements GuessLimit {
  readonly #rule: Rule;
  readonly #now: () => number;
  readonly #store: SharedGuessStore;

  constructor(o: Omit<GuessLimitOptions, 'maxPeers'> & { store: SharedGuessStore }) {
    this.#rule = ruleOf(o);
    this.#now = o.now ?? Date.now;
    this.#store = o.store;
  }

  forPeer(peer: string): PeerLimit {
    return { retryAfter: () => this.retryAfter(peer), fail: () => this.fail(peer) };
  }

  async retryAfter(peer: string): Promise<number | undefined> {
    const until = Number(await this.#store.records.get(`blocked:${sha256Hex(peer)}`));
    return Number.isFinite(until) ? secondsLeft(until, this.#now()) : undefined;
  }

  async fail(peer: string): Promise<void> {
    const now = this.#now();
    const id = sha256Hex(peer);
    const { max, windowMs } = this.#rule;
    const failures = await this.#store.events.add(`failures:${id}`, now, windowMs, max);
    if (failures.length < max) return;
    const until = blockedUntil(this.#rule, failures, now);
    await this.#store.records.put(`blocked:${id}`, String(until), until - now);
  }
}

/**
 * Who is asking: the socket's address or, when `trustProxy`, the last `X-Forwarded-For` entry
 * (the address the reverse proxy saw). IPv4-mapped IPv6 becomes IPv4; IPv6 is cut to its /64.
 */
export function peerOf(req: IncomingMessage, trustProxy: boolean): string {
  let addr = req.socket.remoteAddress ?? '';
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const list = (Array.isArray(header) ? header.join(',') : (header ?? '')).split(',');
    const last = stripPort(list[list.length - 1]?.trim() ?? '');
    if (isIP(last) !== 0) addr = last;
  }
  return normalize(addr);
}

function stripPort(v: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed?.[1] !== undefined) return bracketed[1];
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(v);
  return v4?.[1] ?? v;
}

function normalize(addr: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(addr);
  if (mapped?.[1] !== undefined) return mapped[1];
  if (isIP(addr) !== 6) return addr || 'unknown';
  const [head = '', tail = ''] = addr.toLowerCase().split('%')[0]?.split('::') ?? [];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = addr.includes('::')
    ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t]
    : h;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}
