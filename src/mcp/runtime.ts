/**
 * Builds what `serve` runs on: the command key, the Fleet API (the simulator's, a configured
 * token, or "not logged in"), the vehicle dispatcher and the {@link ToolDeps} the tools get.
 * Never falls back to the simulator silently: it runs only when asked (`--simulator`).
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { configPaths, type Env } from '../config/paths.js';
import { createFleetClient, DEFAULT_SCOPES, regionFromEnv, ScopeError } from '../fleet/index.js';
import { SharedTokenStore } from '../fleet/shared-token-store.js';
import { TokenStore } from '../fleet/token-store.js';
import { signFleetTelemetryConfig } from '../signing/jws.js';
import { PrivateKey } from '../signing/keys.js';
import { cliCommand } from '../util/cli-command.js';
import { Dispatcher } from '../vehicle/dispatcher.js';
import { openSharedStore } from '../vehicle/open-store.js';
import { keyFingerprint } from '../vehicle/pairing.js';
import type { RedisStateStore } from '../vehicle/redis-store.js';
import { stateSecretKey } from '../vehicle/state-secrets.js';
import {
  createToolDeps,
  type FleetApi,
  type KeyInfo,
  type ToolDeps,
  type VehicleHandle,
} from './deps.js';
import { ServerLogin } from './login.js';

/** What `serve --simulator` needs from the simulator (`src/sim`). */
export interface SimulatorHandle {
  url: string;
  token: string;
  /** The simulator's developer app, for partner tokens (`specs`; asked of its own token endpoint). */
  partner?: { clientId: string; clientSecret: string };
  vins: string[];
  close(): Promise<void>;
}

export type StartSimulator = (o: { pairKeys: Uint8Array[] }) => Promise<SimulatorHandle>;

export interface RuntimeOptions {
  env: Env;
  simulator: boolean;
  startSimulator?: StartSimulator | undefined;
  log: (line: string) => void;
  /** Tesla endpoints of the server-side login (tests: a fake authorization server). */
  loginEndpoints?: { authorizeEndpoint?: string; tokenUrl?: string } | undefined;
  /** Waits between wake polls (tests pass a fast one). */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** `--redis URL` / `TESLA_MCP_REDIS_URL`: share vehicle state with other instances. */
  redisUrl?: string | undefined;
}

export interface Runtime {
  deps: ToolDeps;
  /** Our public key (PEM), to serve at the Tesla well-known path. */
  publicKeyPem: string | undefined;
  simulator: SimulatorHandle | undefined;
  /** The shared store of `--redis` (vehicle state, tokens, confirmation tokens), if any. */
  shared: RedisStateStore | undefined;
  /** With `shared`: the state key that seals secrets in it (`src/vehicle/state-secrets.ts`). */
  stateKey: Uint8Array | undefined;
  /** False when no Tesla credential is configured: `get_login_link` is then offered. */
  loggedIn(): Promise<boolean>;
  close(): Promise<void>;
}

class NoKeyError extends Error {
  override readonly name = 'NoKeyError';
  readonly code = 'no_command_key';
  constructor(path: string) {
    super(
      `no command key at ${path}: run \`${cliCommand('keygen')}\` (or set TESLA_PRIVATE_KEY_FILE), then pair it`,
    );
  }
}

async function loadKey(path: string): Promise<PrivateKey | undefined> {
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`mcp: cannot read the command key ${path}: check its owner and permissions`);
  }
  return PrivateKey.fromPem(pem);
}

export async function createRuntime(o: RuntimeOptions): Promise<Runtime> {
  const paths = configPaths(o.env);
  let key = await loadKey(paths.privateKey);
  let sim: SimulatorHandle | undefined;
  let fleetEnv = o.env;
  if (o.simulator) {
    if (!o.startSimulator) throw new Error('mcp: the simulator is not available in this build');
    key ??= PrivateKey.generate();
    sim = await o.startSimulator({ pairKeys: [key.publicKey] });
    // The same Fleet client as for a real account, pointed at the simulator with its fixed token:
    // nothing is read from or written to the user's token file.
    fleetEnv = {
      ...o.env,
      TESLA_FLEET_API_URL: sim.url,
      TESLA_ACCESS_TOKEN: sim.token,
      TESLA_REFRESH_TOKEN: undefined,
      // Partner tokens come from the simulator's app too, never from Tesla.
      TESLA_CLIENT_ID: sim.partner?.clientId,
      TESLA_CLIENT_SECRET: sim.partner?.clientSecret,
    };
  }
  const store = key
    ? await openSharedStore({
        redisUrl: o.redisUrl,
        env: o.env,
        keyFingerprint: keyFingerprint(key.publicKey),
        warn: o.log,
      })
    : undefined;
  if (store) o.log(`vehicle state and Tesla tokens shared through ${store.description}`);
  const stateKey = store && key ? await stateSecretKey(o.env, key) : undefined;
  // Several instances on one account share the tokens too (sealed), refreshing one at a time.
  const tokenStore =
    store && stateKey && !sim
      ? new SharedTokenStore({
          records: store.records('tokens'),
          lock: (name, lo) => store.lock(name, lo),
          key: stateKey,
          description: store.description,
          seed: new TokenStore(paths.tokens),
        })
      : undefined;
  // The key that signs fleet-telemetry configs is the command key, under `--simulator` the one
  // the simulated cars enrolled (generated for the run when none is configured).
  const signingKey = key;
  const signJws = signingKey
    ? (c: Record<string, unknown>) => signFleetTelemetryConfig(signingKey, c)
    : undefined;
  const c = createFleetClient(fleetEnv, { signJws, tokenStore });
  const fleet: FleetApi = c.client;
  const tokens = sim ? undefined : c.tokens;
  const client = c.client;
  const wake: ToolDeps['wakeAndWait'] = (vin, wo) => client.wakeAndWait(vin, wo);
  const t = c.tokens;
  const requireScopes: ToolDeps['requireScopes'] = async (anyOf) => {
    const have = await t.scopes();
    if (!have || anyOf.some((s) => have.includes(s))) return;
    throw new ScopeError(anyOf, o.env.TESLA_CLIENT_ID || undefined);
  };
  const staticSecrets: string[] = [];
  if (sim) staticSecrets.push(sim.token);
  if (sim?.partner) staticSecrets.push(sim.partner.clientSecret);
  for (const name of [
    'TESLA_ACCESS_TOKEN',
    'TESLA_REFRESH_TOKEN',
    'TESLA_CLIENT_SECRET',
    'MCP_API_KEY',
    'MCP_CLIENT_SECRET',
  ]) {
    const v = o.env[name];
    if (v) staticSecrets.push(v);
  }
  const appDomain = o.env.TESLA_DOMAIN || undefined;
  const dispatcher = key
    ? await Dispatcher.open({
        ...(store ? { store } : {}),
        transport: fleet,
        key,
        appDomain,
        env: o.simulator ? { ...o.env, TESLA_SESSION_CACHE: 'off' } : o.env,
        warn: o.log,
      })
    : undefined;
  // The wake budget and the billing counters live in the store every instance on this key uses
  // (Redis, or the session cache file of this machine); without one, in this process.
  const shared = dispatcher?.store;
  if (shared) {
    client.shareWakes((vin, limit, windowMs, now) => shared.takeWake(vin, limit, windowMs, now));
    client.billing.share(shared);
  }
  const keyPath = paths.privateKey;
  const vehicle = (vin: string): VehicleHandle => {
    if (dispatcher) return dispatcher.vehicle(vin);
    const fail = async (): Promise<never> => {
      throw new NoKeyError(keyPath);
    };
    return {
      send: fail,
      checkPairing: fail,
      rest: async (name, params = {}, ro = {}) => {
        const r = await fleet.restCommand(vin, name, params, ro.signal);
        if (!r.result)
          throw Object.assign(new Error(`car could not execute ${name}: ${r.reason}`), {
            code: 'command_failed',
          });
        return { result: true, reason: r.reason, vin, via: 'rest' };
      },
    };
  };
  let keyInfo: KeyInfo | undefined;
  if (key) {
    keyInfo = {
      publicKey: key.publicKey,
      publicKeyPem: key.public.toPem(),
      fingerprint: keyFingerprint(key.publicKey),
    };
  }
  const clientId = o.env.TESLA_CLIENT_ID || undefined;
  const login =
    !sim && clientId
      ? new ServerLogin({
          clientId,
          clientSecret: o.env.TESLA_CLIENT_SECRET || undefined,
          region: regionFromEnv(o.env) ?? 'na',
          scopes: [...DEFAULT_SCOPES],
          tokens: c.tokens,
          port: Number(o.env.TESLA_LOGIN_PORT || 8750),
          ...o.loginEndpoints,
        })
      : undefined;
  const deps = createToolDeps({
    login,
    fleet,
    vehicle,
    simulated: () => o.simulator || client.simulated,
    defaultVin: o.env.TESLA_VIN?.trim().toUpperCase() || undefined,
    key: keyInfo,
    appDomain,
    secrets: () => [...staticSecrets, ...(tokens?.secrets() ?? [])],
    billing: () => client.billingReport(),
    tokenStatus: async () =>
      tokens ? await tokens.status() : { source: 'simulator', refreshable: false },
    ...(o.sleep ? { sleep: o.sleep } : { wakeAndWait: wake }),
    requireScopes,
    ...(signingKey
      ? {
          signTelemetryConfig: (c: Record<string, unknown>) =>
            signFleetTelemetryConfig(signingKey, c),
        }
      : {}),
  });
  return {
    deps,
    publicKeyPem: keyInfo?.publicKeyPem,
    simulator: sim,
    shared: store,
    stateKey,
    loggedIn: async () => (tokens ? await tokens.configured().catch(() => false) : true),
    async close() {
      login?.close();
      await client.billing.flush();
      await dispatcher?.close();
      await store?.close();
      await sim?.close();
    },
  };
}
