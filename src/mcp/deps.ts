/**
 * What tool handlers get injected (handlers never read `process.env`; `docs/design/tools.md`):
 * {@link ToolDeps}. {@link createToolDeps} wires it from the vehicle layer (dispatcher), a Fleet
 * API client, and the command registry; tests pass the simulator or small fakes.
 *
 * @module
 */

import { mayResend } from '../commands/effect.js';
import { getCommand } from '../commands/registry.js';
import { type FleetEndpoints, fleetEndpoints } from '../fleet/api/index.js';
import { NotLoggedInError } from '../fleet/errors.js';
import { defaultSleep, type Sleep, wakeAndWait } from '../fleet/wake.js';
import { normalizeVin } from '../util/vin.js';
import type { PairingStatus } from '../vehicle/pairing.js';
import type { FleetTransport, VehicleSummary } from '../vehicle/transport.js';
import type { CommandResult, SendOptions, VehicleCommand } from '../vehicle/types.js';
import { ToolInputError } from './errors.js';
import type { LoginService } from './login.js';
import { clampedBy, knownLimits, VehicleLimitsCache } from './vehicle-limits.js';
import { VehicleStates } from './vehicle-states.js';

/**
 * The Fleet API as the tools see it (`FleetClient` has this shape): the transport (wake_up,
 * signed and REST commands, cheap state) and the typed endpoint groups of `src/fleet/api`, the
 * one place for paths, queries and the scope checks an endpoint needs beyond the tool's own
 * (`location_data`, energy writes). Tools never write a Fleet path themselves.
 */
export interface FleetApi extends FleetTransport, FleetEndpoints {}

/** One vehicle as the tools use it (the vehicle layer's `Vehicle` has this shape). */
export interface VehicleHandle {
  send(command: VehicleCommand, o?: SendOptions): Promise<CommandResult>;
  rest(
    name: string,
    params?: Record<string, unknown>,
    o?: Omit<SendOptions, 'name' | 'params'>,
  ): Promise<CommandResult>;
  checkPairing(o?: { domain?: 2 | 3; signal?: AbortSignal }): Promise<PairingStatus>;
}

export interface WakeResult {
  vin: string;
  state: VehicleSummary['state'];
  elapsedSeconds: number;
  polls: number;
}

export interface WakeOutcome {
  vin: string;
  state: VehicleSummary['state'];
  /** False when the car was already online: nothing was sent but (at most) a state read. */
  woke: boolean;
  /** Where `already awake` came from: a call in the last 30 s, or the state read just now. */
  checked?: 'recent_call' | 'state_read';
  elapsedSeconds?: number;
  polls?: number;
}

export interface KeyInfo {
  publicKey: Uint8Array;
  publicKeyPem: string;
  fingerprint: string;
}

export interface ToolDeps {
  /** True when the fleet is the built-in simulator: every result carries `"simulated": true`. */
  simulated: boolean;
  fleet: FleetApi;
  vehicle(vin: string): VehicleHandle;
  /** Builds the Fleet command `name` from its JSON params (registry) and sends it. */
  command(
    vin: string,
    name: string,
    params: Record<string, unknown>,
    o?: { signal?: AbortSignal },
  ): Promise<Record<string, unknown>>;
  /** The VIN to use: the argument, else `TESLA_VIN`, else the account's only vehicle. */
  resolveVin(vin: string | undefined, signal?: AbortSignal): Promise<string>;
  /**
   * `wake_up` as the tool does it: no wake for a car a recent call saw online, else one cheap
   * state read, and a real wake (then polls until online, `timeoutMs` 0: no polls) only for a car
   * that is not online; one at a time per VIN.
   */
  wake(
    vin: string,
    o: {
      timeoutMs: number;
      signal?: AbortSignal;
      onPoll?: (state: string, ms: number) => void;
      /** Called just before a real wake is sent. */
      onWake?: () => void;
    },
  ): Promise<WakeOutcome>;
  /** What recent calls told about each vehicle's state (`src/mcp/vehicle-states.ts`). */
  states: VehicleStates;
  /** wake_up, then poll the cheap state with backoff until online or the deadline. */
  wakeAndWait(
    vin: string,
    o: { timeoutMs: number; signal?: AbortSignal; onPoll?: (state: string, ms: number) => void },
  ): Promise<WakeResult>;
  /**
   * Limits per VIN from the last `vehicle_data` read (max charging current, cabin temperature
   * range): commands report the value the car will apply, without an extra billed read.
   */
  limits?: VehicleLimitsCache;
  /**
   * Billable-call summary (Fleet client accounting): of every instance sharing the state store,
   * with this process's own; undefined when unknown.
   */
  billing(): unknown;
  key: KeyInfo | undefined;
  /** `TESLA_DOMAIN`: the app's domain (pairing link, hosted public key). */
  appDomain: string | undefined;
  /** Signs a fleet-telemetry config as a Tesla.SS256 JWS with the command key. */
  signTelemetryConfig?: (config: Record<string, unknown>) => string;
  /** Local facts about the Tesla token (expiry, scopes, region): never the token itself. */
  tokenStatus?: () => Promise<Record<string, unknown>> | Record<string, unknown>;
  /** Tesla sign-in from the server process (`get_login_link`); absent without TESLA_CLIENT_ID. */
  login?: LoginService | undefined;
  /** Removes known secret values from text (defence in depth for error messages). */
  redact(text: string): string;
  /**
   * Fails before any billable call when the token has none of `anyOf`, naming the scope and
   * how to re-consent. Absent: no check (simulator, tests).
   */
  requireScopes?: (anyOf: readonly string[]) => Promise<void>;
}

/** A Fleet API that answers every call with "not logged in" (stdio without credentials). */
export function notLoggedInFleet(): FleetApi {
  const fail = async (): Promise<never> => {
    throw new NotLoggedInError();
  };
  return {
    ...fleetEndpoints({ request: fail, requireScopes: fail, scopes: fail }),
    signedCommand: fail,
    restCommand: fail,
    wakeUp: fail,
    vehicle: fail,
  };
}

export interface CreateToolDepsOptions {
  fleet: FleetApi;
  vehicle: (vin: string) => VehicleHandle;
  /** Fixed, or asked at each use (a Fleet API that turns out to be `tesla-mcp sim`). */
  simulated?: boolean | (() => boolean);
  defaultVin?: string | undefined;
  key?: KeyInfo | undefined;
  appDomain?: string | undefined;
  billing?: () => unknown;
  wakeAndWait?: ToolDeps['wakeAndWait'];
  signTelemetryConfig?: ToolDeps['signTelemetryConfig'];
  tokenStatus?: ToolDeps['tokenStatus'];
  requireScopes?: ToolDeps['requireScopes'];
  login?: LoginService | undefined;
  /** Secret values that must never reach the model (tokens, API key); read at each use. */
  secrets?: readonly string[] | (() => readonly string[]);
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
}

/** wake_up, then the Fleet client's bounded poll (backoff 2, 4, 8, 15... s, at most 12 polls). */
export function defaultWakeAndWait(
  fleet: FleetApi,
  sleep: Sleep = defaultSleep,
  now = Date.now,
): ToolDeps['wakeAndWait'] {
  return (vin, o) => wakeAndWait(fleet, vin, o, sleep, now);
}

/** A Fleet 408 or the vehicle layer's "asleep": the car is not online. */
export function isAsleep(err: unknown): boolean {
  const e = err as { status?: unknown; code?: unknown; kind?: unknown } | null;
  return e?.status === 408 || e?.code === 'asleep' || e?.kind === 'asleep';
}

function projectCommand(r: CommandResult): Record<string, unknown> {
  // `changed: false`: the car said the target state already held (src/vehicle/already.ts).
  const out: Record<string, unknown> = {
    result: r.result,
    changed: r.changed !== false,
    vin: r.vin,
    via: r.via,
  };
  if (r.message) out.message = r.message;
  if (r.reason) out.reason = r.reason;
  if (r.domain) out.domain = r.domain;
  return out;
}

export function createToolDeps(o: CreateToolDepsOptions): ToolDeps {
  const secrets = (): readonly string[] =>
    (typeof o.secrets === 'function' ? o.secrets() : (o.secrets ?? [])).filter(
      (s) => s.length >= 8,
    );
  let vinList: Promise<string[]> | undefined;
  const listVins = async (signal?: AbortSignal): Promise<string[]> => {
    vinList ??= o.fleet.vehicles.list({ signal }).then(
      (r) => r.map((v) => String(v.vin ?? '')),
      (err: unknown) => {
        vinList = undefined;
        throw err;
      },
    );
    return vinList;
  };
  const simulated = o.simulated;
  const limits = new VehicleLimitsCache(o.now);
  const states = new VehicleStates(o.now);
  const wakeAndWaitFn = o.wakeAndWait ?? defaultWakeAndWait(o.fleet, o.sleep, o.now);
  return {
    limits,
    states,
    get simulated() {
      return typeof simulated === 'function' ? simulated() : (simulated ?? false);
    },
    fleet: o.fleet,
    vehicle: o.vehicle,
    key: o.key,
    appDomain: o.appDomain,
    ...(o.signTelemetryConfig ? { signTelemetryConfig: o.signTelemetryConfig } : {}),
    ...(o.tokenStatus ? { tokenStatus: o.tokenStatus } : {}),
    ...(o.requireScopes ? { requireScopes: o.requireScopes } : {}),
    ...(o.login ? { login: o.login } : {}),
    billing: o.billing ?? (() => undefined),
    wakeAndWait: wakeAndWaitFn,
    async wake(vin, wo) {
      if (states.recent(vin) === 'online') {
        return { vin, state: 'online', woke: false, checked: 'recent_call' };
      }
      return states.single(vin, async (): Promise<WakeOutcome> => {
        // A call seconds ago said asleep or offline: a state read would only say so again, at
        // the price of a data request, so wake at once.
        if (states.recent(vin) === undefined) {
          const now = await o.fleet.vehicle(vin, wo.signal);
          states.note(vin, now.state);
          if (now.state === 'online')
            return { vin, state: 'online', woke: false, checked: 'state_read' };
        }
        wo.onWake?.();
        if (wo.timeoutMs === 0) {
          const w = await o.fleet.wakeUp(vin, wo.signal);
          states.note(vin, w.state);
          return { vin, state: w.state, woke: true };
        }
        const r = await wakeAndWaitFn(vin, {
          timeoutMs: wo.timeoutMs,
          ...(wo.signal ? { signal: wo.signal } : {}),
          ...(wo.onPoll ? { onPoll: wo.onPoll } : {}),
        });
        states.note(vin, r.state);
        return { ...r, woke: true };
      });
    },
    redact(text) {
      let t = text;
      for (const s of secrets()) t = t.split(s).join('[redacted]');
      return t;
    },
    async resolveVin(vin, signal) {
      if (vin) {
        const v = normalizeVin(vin);
        if (v === undefined) throw new ToolInputError(`"${vin}" is not a 17-character VIN.`);
        return v;
      }
      if (o.defaultVin) return o.defaultVin;
      const vins = await listVins(signal);
      if (vins.length === 1 && vins[0]) return vins[0];
      if (vins.length === 0) throw new ToolInputError('The account has no vehicles.');
      throw new ToolInputError(
        `The account has ${vins.length} vehicles: pass vin (one of ${vins.join(', ')}) or set TESLA_VIN.`,
      );
    },
    async command(vin, name, params, co = {}) {
      const row = getCommand(name);
      const send = co.signal ? { signal: co.signal } : {};
      if (row?.domain === 'wake') {
        const s = await o.fleet.wakeUp(vin, co.signal);
        return { vin, state: s.state };
      }
      if (!row) {
        throw Object.assign(
          new Error(`${name} is not in this build's command registry: update tesla-mcp`),
          { code: 'unsupported_command' },
        );
      }
      const v = o.vehicle(vin);
      const command = row.build?.(params, { now: (o.now ?? Date.now)() });
      const idempotent = mayResend(row.effect);
      let out: Record<string, unknown>;
      try {
        out = projectCommand(
          command
            ? await v.send(command, { ...send, name, params, idempotent })
            : await v.rest(name, params, send),
        );
      } catch (err) {
        if (isAsleep(err)) states.note(vin, 'asleep');
        throw err;
      }
      // The car answered: it is awake.
      states.note(vin, 'online');
      if (!command) return out;
      const clamped =
        out.changed === false
          ? undefined
          : clampedBy(name, params, knownLimits(vin, limits.get(vin)));
      if (clamped) {
        out.applied = clamped.applied;
        out.message = clamped.message;
      }
      return out;
    },
  };
}
