/**
 * The HTTP transport's MCP sessions: one `McpServer` and transport each, bound to the principal
 * that opened it. A session idle for `idleMs` (default 30 minutes: no request in flight, no open
 * stream) expires and is closed, releasing its server. When `max` sessions are all in use, a new
 * one is refused (the caller answers 503 with `Retry-After`) instead of closing a live one, so
 * no client can push the others out.
 *
 * @module
 */
import type { ServerResponse } from 'node:http';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';

export interface Session {
  transport: StreamableHTTPServerTransport;
  mcp: McpServer;
  principal: string;
}

interface Entry extends Session {
  /** Requests and streams open now. */
  open: number;
  /** When the last one started or ended (ms). */
  lastSeen: number;
}

export interface SessionTableOptions {
  /** Sessions held at most (default 100). */
  max?: number | undefined;
  /** Idle time after which a session expires, ms (default 30 minutes). */
  idleMs?: number | undefined;
  now?: (() => number) | undefined;
}

export class SessionTable {
  readonly max: number;
  readonly idleMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Entry>();
  /** Sessions being initialized (counted against `max` before they have an id). */
  #pending = 0;

  constructor(o: SessionTableOptions = {}) {
    this.max = o.max ?? 100;
    this.idleMs = o.idleMs ?? 30 * 60_000;
    this.#now = o.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The live session `id`; an expired one is closed and treated as unknown. */
  async get(id: string): Promise<Session | undefined> {
    const e = this.#entries.get(id);
    if (e && this.#expired(e, this.#now())) {
      await this.close(id);
      return undefined;
    }
    return e;
  }

  /** Counts a request (or stream) on `id` as open until `res` closes. */
  track(id: string, res: ServerResponse): void {
    const e = this.#entries.get(id);
    if (!e) return;
    e.open++;
    e.lastSeen = this.#now();
    res.once('close', () => {
      e.open--;
      e.lastSeen = this.#now();
    });
  }

  /**
   * Reserves room for a new session after closing expired ones: undefined when there is room
   * (call {@link add} or {@link abandon} next), else the seconds until one may expire.
   */
  async reserve(): Promise<number | undefined> {
    await this.sweep();
    if (this.#entries.size + this.#pending < this.max) {
      this.#pending++;
      return undefined;
    }
    const now = this.#now();
    let soonest = now + this.idleMs;
    for (const e of this.#entries.values()) {
      if (e.open === 0) soonest = Math.min(soonest, e.lastSeen + this.idleMs);
    }
    return Math.max(1, Math.ceil((soonest - now) / 1000));
  }

  /** The reserved session got its id. */
  add(id: string, s: Session): void {
    this.#pending = Math.max(0, this.#pending - 1);
    this.#entries.set(id, { ...s, open: 0, lastSeen: this.#now() });
  }

  /** The reserved session never got an id (initialize failed). */
  abandon(): void {
    this.#pending = Math.max(0, this.#pending - 1);
  }

  /** Forgets `id` without closing (its transport closed itself). */
  forget(id: string): void {
    this.#entries.delete(id);
  }

  /** Closes and forgets `id`: its transport, then its server. */
  async close(id: string): Promise<void> {
    const e = this.#entries.get(id);
    if (!e) return;
    this.#entries.delete(id);
    await e.transport.close().catch(() => undefined);
    await e.mcp.close().catch(() => undefined);
  }

  /** Closes every expired session. */
  async sweep(): Promise<void> {
    const now = this.#now();
    const expired = [...this.#entries].filter(([, e]) => this.#expired(e, now));
    await Promise.all(expired.map(([id]) => this.close(id)));
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#entries.keys()].map((id) => this.close(id)));
  }

  #expired(e: Entry, now: number): boolean {
    return e.open === 0 && now - e.lastSeen >= this.idleMs;
  }
}
