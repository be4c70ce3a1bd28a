/**
 * Settings remembered by `setup` and the setup commands in `CONFIG/config.json` (0600, written
 * atomically): the app's domain, client id, region and default VIN, never a secret. Every
 * command reads them under the environment: flags win over environment, environment over this
 * file.
 *
 * @module
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/fs.js';
import { configDir, type Env } from './paths.js';

/** Each remembered setting and the environment variable it stands in for. */
export const SETTINGS = {
  domain: 'TESLA_DOMAIN',
  clientId: 'TESLA_CLIENT_ID',
  region: 'TESLA_REGION',
  vin: 'TESLA_VIN',
} as const;

export type Settings = Partial<Record<keyof typeof SETTINGS, string>>;

export function settingsPath(env: Env): string {
  return join(configDir(env), 'config.json');
}

/** Reads `CONFIG/config.json`; `{}` when it does not exist. Throws naming the file when broken. */
export function readSettings(env: Env): Settings {
  const path = settingsPath(env);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
    throw new Error(`cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new Error(`${path} is not valid JSON: fix it or delete it (it only holds settings)`);
  }
  const out: Settings = {};
  if (json && typeof json === 'object') {
    for (const k of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) {
      const v = (json as Record<string, unknown>)[k];
      if (typeof v === 'string' && v !== '') out[k] = v;
    }
  }
  return out;
}

/** `env` with the remembered settings filled in where the environment has none. */
export function withSettings(env: Env): Env {
  const s = readSettings(env);
  const merged: Record<string, string | undefined> = { ...env };
  for (const [k, name] of Object.entries(SETTINGS)) {
    const v = s[k as keyof Settings];
    if (v !== undefined && !env[name]) merged[name] = v;
  }
  return merged;
}

/** Merges `patch` into `CONFIG/config.json` (0600, atomic). Only the keys of {@link SETTINGS}. */
export async function saveSettings(env: Env, patch: Settings): Promise<void> {
  const next: Settings = { ...readSettings(env) };
  let changed = false;
  for (const k of Object.keys(SETTINGS) as (keyof typeof SETTINGS)[]) {
    const v = patch[k];
    if (v !== undefined && v !== '' && next[k] !== v) {
      next[k] = v;
      changed = true;
    }
  }
  if (changed) await writeFileAtomic(settingsPath(env), `${JSON.stringify(next, null, 2)}\n`);
}
