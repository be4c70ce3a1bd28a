/**
 * Small fakes for MCP tests: a Fleet API that answers from a table and records calls (the real
 * endpoint groups of `src/fleet/api` over a fake request), and a vehicle that records sent
 * commands. The simulator-backed tests live in test/mcp/sim.test.ts.
 *
 * @module
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { fleetEndpoints } from '../../src/fleet/api/index.js';
import { ScopeError } from '../../src/fleet/errors.js';
import {
  createToolDeps,
  type FleetApi,
  type ToolDeps,
  type VehicleHandle,
} from '../../src/mcp/deps.js';
import { createServer, type ServerConfig } from '../../src/mcp/server.js';
import type { CommandResult } from '../../src/vehicle/types.js';

export const VIN = '5YJ3E1EA7KF000001';

export interface Recorder {
  requests: {
    method: string;
    path: string;
    query?: unknown;
    body?: unknown;
    /** Set when the call asked for a partner token. */
    partner?: true;
  }[];
  sent: {
    vin: string;
    name: string | undefined;
    params: unknown;
    idempotent: boolean | undefined;
  }[];
  rest: { vin: string; name: string; params: unknown }[];
}

/** `scopes`: the token's scopes (undefined: a token that does not state them, so no check). */
export function fakeFleet(
  rec: Recorder,
  answers: Record<string, unknown | ((q: unknown) => unknown)> = {},
  scopes?: readonly string[],
): FleetApi {
  const answer = (key: string, q?: unknown) => {
    const a = answers[key];
    if (a instanceof Error) throw a;
    return typeof a === 'function' ? (a as (q: unknown) => unknown)(q) : a;
  };
  return {
    ...fleetEndpoints({
      async request(method, path, o = {}) {
        rec.requests.push({
          method,
          path,
          query: o.query,
          body: o.body,
          ...(o.partner ? { partner: true as const } : {}),
        });
        const key = `${method} ${path}`;
        if (key in answers) return answer(key, o.query);
        if (path === '/api/1/vehicles') return [{ vin: VIN, display_name: 'Sim', state: 'online' }];
        return {};
      },
      async requireScopes(needed) {
        const missing = scopes ? needed.filter((s) => !scopes.includes(s)) : [];
        if (missing.length) throw new ScopeError(missing);
      },
      async scopes() {
        return scopes;
      },
    }),
    async signedCommand() {
      throw new Error('not used');
    },
    async restCommand(vin, name) {
      return { result: true, reason: `${vin}:${name}` };
    },
    async wakeUp(vin) {
      rec.requests.push({ method: 'POST', path: `/api/1/vehicles/${vin}/wake_up` });
      return { vin, state: 'asleep' };
    },
    async vehicle(vin) {
      const key = `GET /api/1/vehicles/${vin}`;
      rec.requests.push({ method: 'GET', path: `/api/1/vehicles/${vin}` });
      if (key in answers) return answer(key) as { vin: string; state: 'online' | 'asleep' };
      return { vin, state: 'online' };
    },
  };
}

export function fakeVehicle(rec: Recorder, vin: string, fail?: () => Error): VehicleHandle {
  const ok = (via: 'signed' | 'rest'): CommandResult => ({ result: true, reason: '', vin, via });
  return {
    async send(_cmd, o = {}) {
      if (fail) throw fail();
      rec.sent.push({ vin, name: o.name, params: o.params, idempotent: o.idempotent });
      return ok('signed');
    },
    async rest(name, params = {}) {
      if (fail) throw fail();
      rec.rest.push({ vin, name, params });
      return ok('rest');
    },
    async checkPairing() {
      return { vin, paired: true, fingerprint: '0011223344556677', message: 'paired' };
    },
  };
}

export function newRecorder(): Recorder {
  return { requests: [], sent: [], rest: [] };
}

export interface FakeSetup {
  rec: Recorder;
  deps: ToolDeps;
}

export function fakeDeps(
  o: {
    answers?: Record<string, unknown>;
    fail?: () => Error;
    simulated?: boolean;
    defaultVin?: string;
    secrets?: string[];
    scopes?: readonly string[];
  } = {},
): FakeSetup {
  const rec = newRecorder();
  const fleet = fakeFleet(rec, o.answers, o.scopes);
  const deps = createToolDeps({
    fleet,
    vehicle: (vin) => fakeVehicle(rec, vin, o.fail),
    simulated: o.simulated ?? false,
    defaultVin: o.defaultVin,
    appDomain: 'example.com',
    secrets: o.secrets ?? [],
    sleep: async () => {},
  });
  return { rec, deps };
}

/** An SDK client connected in memory to a server over `deps`. */
export async function connect(
  deps: ToolDeps,
  config: ServerConfig = {},
  clientCaps: Record<string, unknown> = {},
): Promise<{ client: Client; close: () => Promise<void> }> {
  const server = createServer(config, deps);
  const [ct, st] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: 'test', version: '0' }, { capabilities: clientCaps });
  await server.connect(st);
  await client.connect(ct);
  return {
    client,
    close: async () => {
      await client.close();
      await server.close();
    },
  };
}
