/**
 * The Tesla OAuth token file (`TESLA_TOKEN_FILE`, default `CONFIG/tokens.json`): JSON written
 * atomically (temp file, fsync, rename) with mode 0600, so a crash leaves the old file or the new
 * one, never a torn one. Field names follow the seed (`access_token`, `refresh_token`,
 * `expires_at` in epoch seconds, `updated_at`) so a seed token file keeps working.
 * {@link TokenStore.withLock} serialises refreshes across processes (`PATH.lock`, O_EXCL), since
 * Tesla's refresh tokens are single-use.
 *
 * @module
 */
import { mkdir, open, readFile, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../util/fs.js';
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
        `fleet: the token file ${this.path} is not valid JSON: run \`npx tesla-mcp login\` to write a new one`,
      );
    }
    if (!v || typeof v !== 'object' || typeof (v as StoredTokens).access_token !== 'string') {
      throw new FleetConfigError(
        `fleet: the token file ${this.path} has no access_token: run \`npx tesla-mcp login\``,
      );
    }
    return v as StoredTokens;
  }

  /** Writes atomically with mode 0600. */
  async write(tokens: StoredTokens): Promise<void> {
    const data = { ...tokens, updated_at: new Date().toISOString() };
    await writeFileAtomic(this.path, `${JSON.stringify(data, null, 2)}\n`, 0o600);
  }

  /** Deletes the file; false when there was none. */
  async remove(): Promise<boolean> {
    try {
      await rm(this.path);
      return true;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
  }

  /**
   * Runs `fn` holding `PATH.lock` (created exclusively), so two processes never spend the same
   * single-use refresh token. A lock older than `staleMs` (a crashed holder) is broken.
   */
  async withLock<T>(
    fn: () => Promise<T>,
    o: { waitMs?: number; staleMs?: number } = {},
  ): Promise<T> {
    const lock = `${this.path}.lock`;
    await mkdir(dirname(lock), { recursive: true, mode: 0o700 });
    const deadline = Date.now() + (o.waitMs ?? 20_000);
    for (;;) {
      try {
        const h = await open(lock, 'wx', 0o600);
        await h.writeFile(String(process.pid));
        await h.close();
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        const age = await stat(lock).then(
          (st) => Date.now() - st.mtimeMs,
          () => 0,
        );
        if (age > (o.staleMs ?? 60_000)) {
          await rm(lock, { force: true });
          continue;
        }
        if (Date.now() > deadline) {
          throw new FleetConfigError(
            `fleet: the token file is locked by another tesla-mcp process (${lock}); if none is running, delete that lock file`,
          );
        }
        await new Promise((r) => setTimeout(r, 25));
      }
    }
    try {
      return await fn();
    } finally {
      await rm(lock, { force: true });
    }
  }
}
