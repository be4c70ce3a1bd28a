/**
 * The Tesla OAuth token file (`TESLA_TOKEN_FILE`, default `CONFIG/tokens.json`): JSON written
 * atomically (temp file, fsync, rename) with mode 0600, so a crash leaves the old file or the new
 * one, never a torn one. Field names follow the Python server ysrdevs/tesla-mcp (`access_token`,
 * `refresh_token`, `expires_at` in epoch seconds, `updated_at`) so its token file keeps working.
 * {@link TokenStore.withLock} serialises writers across processes (`PATH.lock`, the lease lock of
 * `src/util/file-lock.ts`), since Tesla's refresh tokens are single-use. Every write in this
 * package runs under it, so while it is held, temporary files left by killed writers (each a full
 * copy of the tokens) can be removed without taking a live writer's file.
 *
 * @module
 */
import { readFile, rm } from 'node:fs/promises';
import { cliCommand } from '../util/cli-command.js';
import { FileLockTimeoutError, withLock } from '../util/file-lock.js';
import { removeAtomicTemps, STALE_TEMP_MS, writeFileAtomic } from '../util/fs.js';
import { FleetConfigError } from './errors.js';

export interface StoredTokens {
  access_token: string;
  refresh_token?: string | undefined;
  /** Epoch seconds. */
  expires_at?: number | undefined;
  token_type?: string | undefined;
  scope?: string | undefined;
  /** ISO time of the last write. */
  updated_at?: string | undefined;
  /** The region the login was made in, when known. */
  region?: string | undefined;
}

export class TokenStore {
  readonly path: string;

  constructor(path: string) {
    this.path = path;
  }

  /** The stored tokens, or undefined when the file does not exist. */
  async read(): Promise<StoredTokens | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new FleetConfigError(
        `fleet: cannot read the token file ${this.path} (${(err as NodeJS.ErrnoException).code ?? 'error'}): check its permissions`,
      );
    }
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      throw new FleetConfigError(
        `fleet: the token file ${this.path} is not valid JSON: run \`${cliCommand('login')}\` to write a new one`,
      );
    }
    if (!v || typeof v !== 'object' || typeof (v as StoredTokens).access_token !== 'string') {
      throw new FleetConfigError(
        `fleet: the token file ${this.path} has no access_token: run \`${cliCommand('login')}\``,
      );
    }
    return v as StoredTokens;
  }

  /** Writes atomically with mode 0600. */
  async write(tokens: StoredTokens): Promise<void> {
    const data = { ...tokens, updated_at: new Date().toISOString() };
    await writeFileAtomic(this.path, `${JSON.stringify(data, null, 2)}\n`, 0o600);
  }

  /**
   * Deletes the file and every temporary copy of it (`logout`), under the lock; false when there
   * was no token file.
   */
  async remove(): Promise<boolean> {
    return this.withLock(async () => {
      await removeAtomicTemps(this.path, 0);
      try {
        await rm(this.path);
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
    });
  }

  /**
   * Runs `fn` holding `PATH.lock`, so two processes never spend the same single-use refresh
   * token. A lock left by a crashed process is taken over atomically (see `file-lock.ts`).
   * Temporary files of killed writers older than {@link STALE_TEMP_MS} are removed first.
   */
  async withLock<T>(
    fn: () => Promise<T>,
    o: { timeoutMs?: number; leaseMs?: number } = {},
  ): Promise<T> {
    const lock = `${this.path}.lock`;
    try {
      return await withLock(
        lock,
        async () => {
          await removeAtomicTemps(this.path, STALE_TEMP_MS);
          return fn();
        },
        o,
      );
    } catch (err) {
      if (err instanceof FileLockTimeoutError) {
        throw new FleetConfigError(
          `fleet: the token file is locked by another tesla-mcp process (${err.message})`,
        );
      }
      throw err;
    }
  }
}
