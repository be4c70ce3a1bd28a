/**
 * File helpers shared by every part that keeps state on disk (tokens, session cache, OAuth state).
 *
 * @module
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Writes `data` to `path` atomically: a temporary file in the same folder (mode 0600 by default),
 * fsync, then rename over the target. A crash leaves either the old file or the new one, never a
 * torn one. The folder is created (0700) if missing.
 */
export async function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  mode = 0o600,
): Promise<void> {
  const dir = dirname(path);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // `.NAME.<12 hex>.tmp`: the pattern removeAtomicTemps() matches.
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(tmp, 'wx', mode);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } catch (err) {
    await handle.close();
    await rm(tmp, { force: true });
    throw err;
  }
  await handle.close();
  try {
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/** Temporary files of interrupted writes are removed once older than this (under the lock). */
export const STALE_TEMP_MS = 10 * 60_000;

/**
 * Removes the temporary files {@link writeFileAtomic} left for `path` when a writer was killed
 * between creating and renaming one (each is a full copy of the data), if they are older than
 * `olderThanMs` (0: all). Call it only while holding the lock every writer of `path` holds, so
 * a live writer never loses its file. Returns how many were removed.
 */
export async function removeAtomicTemps(path: string, olderThanMs: number): Promise<number> {
  const dir = dirname(path);
  const re = new RegExp(`^\\.${escapeRegExp(basename(path))}\\.[0-9a-f]{12}\\.tmp$`);
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return 0;
  }
  let removed = 0;
  for (const name of names) {
    if (!re.test(name)) continue;
    const file = join(dir, name);
    const st = await stat(file).catch(() => undefined);
    if (!st || Date.now() - st.mtimeMs < olderThanMs) continue;
    await rm(file, { force: true });
    removed++;
  }
  return removed;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Reads a text file the user named in a setting (a key, a certificate). A failure says which file,
 * why (`ENOENT`, `EACCES`, ...) and `hint`, the next step; `wrap` picks the error class.
 */
export async function readSettingFile(
  path: string,
  what: string,
  hint: string,
  wrap: (message: string) => Error = (message) => new Error(message),
): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw wrap(`cannot read the ${what} at ${path}${code ? ` (${code})` : ''}: ${hint}`);
  }
}
