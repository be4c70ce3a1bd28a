/**
 * Shared set-up for the proxy tests: the simulated Fleet API on loopback (`startSimulator`), our
 * command key enrolled on its cars, a session cache in a temp dir, and `startProxy` pointed at
 * the simulator through `TESLA_FLEET_API_URL`. `call()` sends a request to the proxy with the
 * simulator's token, the way an existing `tesla-http-proxy` client would.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { getCommand } from '../../src/commands/registry.js';
import type { CommandLookup } from '../../src/proxy/command-route.js';
import { type ProxyOptions, type RunningProxy, startProxy } from '../../src/proxy/server.js';
import { signFleetTelemetryConfig } from '../../src/signing/jws.js';
import { PrivateKey } from '../../src/signing/keys.js';
import {
  type RunningSimulator,
  SIM_VINS,
  type StartSimulatorOptions,
  startSimulator,
} from '../../src/sim/index.js';

export const VIN = SIM_VINS.modern;
export const LEGACY = SIM_VINS.legacy;
export const UNPAIRED = SIM_VINS.unpaired;
export const APP_DOMAIN = 'proxy-test.example.com';

export interface Harness {
  sim: RunningSimulator;
  proxy: RunningProxy;
  key: PrivateKey;
  dir: string;
  commands: CommandLookup;
  call(path: string, init?: CallInit): Promise<Answer>;
  /** Stops the proxy (writing the cache) and starts a new one on the same cache: a restart. */
  restart(): Promise<void>;
  /** `signed_command` (and other) requests the simulator has seen, by endpoint. */
  count(endpoint: string): number;
  close(): Promise<void>;
}

export interface CallInit {
  method?: string;
  body?: unknown;
  headers?: Record<string, string>;
  token?: string | null;
}

export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

export async function harness(
  o: Partial<ProxyOptions> = {},
  simOptions: StartSimulatorOptions = {},
): Promise<Harness> {
  const commands = getCommand;
  const key = PrivateKey.generate();
  const sim = await startSimulator({
    pairKeys: [key.publicKey],
    wakeDelayMs: 0,
    rateLimits: { commands: 100_000, data: 100_000, wakes: 100_000 },
    ...simOptions,
  });
  const dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-proxy-'));
  const env = { TESLA_SESSION_CACHE: join(dir, 'sessions.json') };
  const start = () =>
    startProxy({
      port: 0,
      key,
      commands,
      signTelemetry: (config) => signFleetTelemetryConfig(key, config),
      fleetApiUrl: sim.url,
      env,
      appDomain: APP_DOMAIN,
      retryDelayMs: 0,
      misdirectedDelayMs: 0,
      ...o,
    });
  let proxy = await start();
  const h: Harness = {
    sim,
    get proxy() {
      return proxy;
    },
    key,
    dir,
    commands,
    async call(path, init = {}) {
      const headers: Record<string, string> = { ...init.headers };
      const token = init.token === undefined ? sim.token : init.token;
      if (token !== null) headers.authorization = `Bearer ${token}`;
      let body: string | undefined;
      if (init.body !== undefined) {
        body = typeof init.body === 'string' ? init.body : JSON.stringify(init.body);
        headers['content-type'] ??= 'application/json';
      }
      // undici's request, not fetch: fetch silently retries a 421 on a new connection.
      const res = await request(`${proxy.url}${path}`, {
        method: (init.method ?? (body === undefined ? 'GET' : 'POST')) as 'GET',
        headers,
        ...(body === undefined ? {} : { body }),
      });
      const text = await res.body.text();
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
      const out = new Headers();
      for (const [k, v] of Object.entries(res.headers)) {
        if (typeof v === 'string') out.set(k, v);
      }
      return { status: res.statusCode, headers: out, text, json };
    },
    async restart() {
      await proxy.close();
      proxy = await start();
    },
    count(endpoint) {
      return sim.fleet.counter.snapshot().byEndpoint[endpoint] ?? 0;
    },
    async close() {
      await proxy.close();
      await sim.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return h;
}

/** `POST /api/1/vehicles/{vin}/command/{name}` with a JSON body. */
export function command(h: Harness, name: string, body: unknown = {}, vin = VIN): Promise<Answer> {
  return h.call(`/api/1/vehicles/${vin}/command/${name}`, { method: 'POST', body });
}

export const OK_BODY = { response: { result: true, reason: '' } };
