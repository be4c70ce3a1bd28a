/**
 * A lock file shared by processes on one machine or on a shared folder (`tokens.json.lock`,
 * `sessions.json.lock`).
 *
 * - **Acquire:** the owner record (pid, host, a random id, the lease) is written to a private
 *   file and hard-linked to `PATH`, so the lock appears whole or not at all, and only one creator
 *   wins. Where hard links are unsupported, `open(PATH, 'wx')` is the fallback.
 * - **Lease:** the holder touches the lock file's mtime every `leaseMs / 3`. A lock is stale when
 *   its mtime is older than its lease (a hung holder, or one on another machine), or at once
 *   when its owner is a process on this machine (same host and pid namespace) that has exited.
 * - **Takeover is atomic:** waiters that find a stale lock with owner id X race for
 *   `PATH.X.break` (created the same way, so exactly one wins). The winner re-reads `PATH`, and
 *   only if it still names X does it `rename` its own record over it; the others find a new owner
 *   on their next look. Nothing else removes X's file, so two waiters can never both take over.
 *   A breaker that crashed leaves a stale break lock, taken over by the same rule.
 * - **Release** takes `PATH.ID.break` as well, so it never deletes a lock that a waiter took over
 *   after this holder's lease ran out.
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import {
  type FileHandle,
  link,
  mkdir,
  open,
  readdir,
  readFile,
  rename,
  rm,
  stat,
} from 'node:fs/promises';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';

export interface FileLockOptions {
  /** How long to wait for a live holder before giving up, in ms (default 45 s; 0: one try). */
  timeoutMs?: number | undefined;
  /** The lease in ms (default 30 s): renewed every third of it while held. */
  leaseMs?: number | undefined;
  /** Poll interval while waiting, in ms (default 25, with jitter). */
  pollMs?: number | undefined;
}

/** The owner record stored in the lock file. */
export interface LockOwner {
  pid: number;
  host: string;
  /** Random per acquisition; names the break lock of a takeover. */
  id: string;
  lease_ms: number;
  acquired_at?: string;
}

/** A held lock. */
export interface FileLock {
  readonly path: string;
  readonly id: string;
  /** True while `PATH` is still this holder's lock file. */
  held(): Promise<boolean>;
  release(): Promise<void>;
}

export class FileLockTimeoutError extends Error {
  override readonly name = 'FileLockTimeoutError';
  readonly code = 'lock_timeout';
  readonly path: string;
  /** The live holder, as its lock file says (no secrets: pid, host). */
  readonly owner: { pid?: number; host?: string } | undefined;
  constructor(path: string, owner: LockOwner | undefined) {
    super(
      `the lock ${path} is held by ${owner?.pid ? `process ${owner.pid}${owner.host ? ` on ${owner.host}` : ''}` : 'another process'}; if none is running, delete that file`,
    );
    this.path = path;
    this.owner = owner ? { pid: owner.pid, host: owner.host } : undefined;
  }
}

const DEFAULT_LEASE_MS = 30_000;
const BREAK_LEASE_MS = 5_000;
const MAX_DEPTH = 4;
const LEFTOVER_MS = 10 * 60_000;

/** This process's machine: hostname plus, on Linux, its pid namespace (containers). */
const HOST = (() => {
  try {
    return `${hostname()}/${readlinkSync('/proc/self/ns/pid')}`;
  } catch {
    return hostname();
  }
})();

interface Seen {
  owner: LockOwner;
  mtimeMs: number;
}

/** Runs `fn` holding the lock at `path`; releases it afterwards, whatever `fn` does. */
export async function withLock<T>(
  path: string,
  fn: (lock: FileLock) => Promise<T>,
  o: FileLockOptions = {},
): Promise<T> {
  const lock = await acquireLock(path, o);
  try {
    return await fn(lock);
  } finally {
    await lock.release();
  }
}

/** Takes the lock at `path`, waiting up to `timeoutMs` for a live holder. */
export async function acquireLock(path: string, o: FileLockOptions = {}): Promise<FileLock> {
  await mkdir(dirname(path), { recursive: true, mode: 0o700 });
  const lock = await acquire(path, o.leaseMs ?? DEFAULT_LEASE_MS, o, 0);
  lock.renewEvery(Math.max(50, Math.floor(lock.leaseMs / 3)));
  await sweepLeftovers(path);
  return lock;
}

/**
 * Removes scratch and break files of this lock that crashed processes left: they live for a few
 * file operations, so anything older than 10 minutes is garbage.
 */
async function sweepLeftovers(path: string): Promise<void> {
  const dir = dirname(path);
  const prefix = `${basename(path)}.`;
  const names = await readdir(dir).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !(name.endsWith('.new') || name.endsWith('.break'))) continue;
    const file = join(dir, name);
    const st = await stat(file).catch(() => undefined);
    if (st && Date.now() - st.mtimeMs > LEFTOVER_MS) await rm(file, { force: true });
  }
}

async function acquire(path: string, leaseMs: number, o: FileLockOptions, depth: number) {
  const deadline = Date.now() + (o.timeoutMs ?? 45_000);
  const poll = o.pollMs ?? 25;
  for (let vanished = 0; ; ) {
    const mine = await Held.create(path, leaseMs, depth);
    if (await mine.link()) return mine;
    const seen = await readLock(path);
    if (seen && isStale(seen) && depth < MAX_DEPTH && (await mine.takeOver(seen))) return mine;
    await mine.discard();
    // Released between our two looks: try again at once (a few times, then wait as usual).
    if (!seen && vanished++ < 3) continue;
    if (Date.now() >= deadline) throw new FileLockTimeoutError(path, seen?.owner);
    await new Promise((r) => setTimeout(r, poll / 2 + Math.random() * poll));
  }
}

class Held implements FileLock {
  readonly path: string;
  readonly id: string;
  readonly leaseMs: number;
  readonly #depth: number;
  readonly #scratch: string;
  #handle: FileHandle | undefined;
  #timer: NodeJS.Timeout | undefined;

  private constructor(path: string, id: string, leaseMs: number, depth: number, h: FileHandle) {
    this.path = path;
    this.id = id;
    this.leaseMs = leaseMs;
    this.#depth = depth;
    this.#scratch = `${path}.${id}.new`;
    this.#handle = h;
  }

  /** Writes a fresh owner record to a private scratch file (not yet the lock). */
  static async create(path: string, leaseMs: number, depth: number): Promise<Held> {
    const id = randomBytes(8).toString('hex');
    const owner: LockOwner = {
      pid: process.pid,
      host: HOST,
      id,
      lease_ms: leaseMs,
      acquired_at: new Date().toISOString(),
    };
    const h = await open(`${path}.${id}.new`, 'wx', 0o600);
    try {
      await h.writeFile(`${JSON.stringify(owner)}\n`);
    } catch (err) {
      await h.close();
      await rm(`${path}.${id}.new`, { force: true });
      throw err;
    }
    return new Held(path, id, leaseMs, depth, h);
  }

  /** Publishes the record at `path` if no lock exists; false when one does. */
  async link(): Promise<boolean> {
    try {
      await link(this.#scratch, this.path);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST') return false;
      if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') {
        await this.discard();
        throw err;
      }
      return this.#exclusiveCreate();
    }
    await rm(this.#scratch, { force: true });
    return true;
  }

  /** Fallback where hard links are unsupported: `wx` on the lock itself, record written after. */
  async #exclusiveCreate(): Promise<boolean> {
    const text = await this.#handle?.readFile({ encoding: 'utf8' });
    await this.discard();
    let h: FileHandle;
    try {
      h = await open(this.path, 'wx', 0o600);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw err;
    }
    await h.writeFile(text ?? '');
    this.#handle = h;
    return true;
  }

  /**
   * Replaces the stale lock `seen` with this one, if this waiter wins the break lock for its
   * owner and the lock still names that owner. True when this process now holds the lock.
   */
  async takeOver(seen: Seen): Promise<boolean> {
    const breakPath = `${this.path}.${safeId(seen.owner.id)}.break`;
    let guard: Held;
    try {
      guard = await acquire(breakPath, BREAK_LEASE_MS, { timeoutMs: 0 }, this.#depth + 1);
    } catch (err) {
      if (err instanceof FileLockTimeoutError) return false;
      throw err;
    }
    try {
      const again = await readLock(this.path);
      if (!again || again.owner.id !== seen.owner.id || !isStale(again)) return false;
      await rename(this.#scratch, this.path);
      return await this.held();
    } finally {
      await guard.releasePlain();
    }
  }

  async held(): Promise<boolean> {
    return (await readLock(this.path))?.owner.id === this.id;
  }

  renewEvery(ms: number): void {
    this.#timer = setInterval(() => {
      const now = new Date();
      this.#handle?.utimes(now, now).catch(() => {});
    }, ms);
    this.#timer.unref();
  }

  /** Releases the lock, unless a waiter took it over after this holder's lease ran out. */
  async release(): Promise<void> {
    clearInterval(this.#timer);
    let guard: Held | undefined;
    try {
      guard = await acquire(`${this.path}.${this.id}.break`, BREAK_LEASE_MS, { timeoutMs: 0 }, 1);
      if (await this.held()) await rm(this.path, { force: true });
    } catch (err) {
      // A waiter is taking this lock over: it is no longer ours to remove.
      if (!(err instanceof FileLockTimeoutError)) throw err;
    } finally {
      await guard?.releasePlain();
      await this.discard();
    }
  }

  /** Release for break locks (held for a few file operations): remove if still ours. */
  async releasePlain(): Promise<void> {
    if (await this.held()) await rm(this.path, { force: true });
    await this.discard();
  }

  /** Closes the handle and removes the scratch file, if any. */
  async discard(): Promise<void> {
    const h = this.#handle;
    this.#handle = undefined;
    await h?.close().catch(() => {});
    await rm(this.#scratch, { force: true });
  }
}

/** The lock at `path` and its owner, or undefined when there is none. */
async function readLock(path: string): Promise<Seen | undefined> {
  let text: string;
  let mtimeMs: number;
  let ino: number;
  try {
    const st = await stat(path);
    text = await readFile(path, 'utf8');
    mtimeMs = st.mtimeMs;
    ino = st.ino;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  return { owner: parseOwner(text, `${ino}-${Math.floor(mtimeMs)}`), mtimeMs };
}

/** The owner record; a bare pid (earlier versions) or an unreadable record gets a derived id. */
function parseOwner(text: string, fallbackId: string): LockOwner {
  try {
    const v = JSON.parse(text) as Partial<LockOwner>;
    if (typeof v.id === 'string' && typeof v.pid === 'number' && typeof v.host === 'string') {
      const lease =
        typeof v.lease_ms === 'number' && v.lease_ms > 0 ? v.lease_ms : DEFAULT_LEASE_MS;
      return { pid: v.pid, host: v.host, id: v.id, lease_ms: lease };
    }
  } catch {
    // not JSON: an older lock or a torn fallback write
  }
  const pid = /^\s*(\d+)\s*$/.exec(text)?.[1];
  return {
    pid: pid ? Number(pid) : 0,
    host: '',
    id: `old-${fallbackId}`,
    lease_ms: DEFAULT_LEASE_MS,
  };
}

function isStale(seen: Seen): boolean {
  if (Date.now() - seen.mtimeMs > seen.owner.lease_ms) return true;
  return seen.owner.host === HOST && seen.owner.pid > 0 && !alive(seen.owner.pid);
}

/** This process as lock records name it (pid, host with pid namespace). */
export const LOCK_HOST = HOST;

/**
 * Whether the owner of a record written by `pid` on `host` may still run: false only when it is
 * a process on this machine (same host and pid namespace) that has exited.
 */
export function ownerMayLive(pid: number, host: string): boolean {
  return !(host === HOST && pid > 0 && !alive(pid));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Owner ids come from files: keep only filename-safe characters. */
function safeId(id: string): string {
  return id.replace(/[^A-Za-z0-9-]/g, '_').slice(0, 64);
}
