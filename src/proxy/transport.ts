/**
 * The vehicle layer's {@link FleetTransport} for the proxy. The proxy keeps ONE dispatcher (so
 * sessions, the disk cache, per-VIN VCSEC serialization and the in-flight bound are shared by all
 * callers), but every Fleet request must carry the token of the caller whose command it is. So
 * the dispatcher gets a {@link ScopedTransport} that reads the current caller's
 * {@link CallerTransport} from an `AsyncLocalStorage` set around each command. The HTTP work
 * (hosts, 421, body caps, error mapping, `signed_command` base64) is the Fleet client's.
 *
 * `restCommand` (REST-only commands and legacy cars) forwards the caller's ORIGINAL body bytes,
 * once, and keeps Tesla's answer so the proxy can return it as it came.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { CallOptions, FleetClient } from '../fleet/client.js';
import { isAbort } from '../vehicle/errors.js';
import {
  FleetHttpError,
  type FleetTransport,
  type RestCommandResult,
  type VehicleSummary,
} from '../vehicle/transport.js';

/** The caller of one proxy request: the shared Fleet client and the caller's own token. */
export interface Caller {
  readonly fleet: FleetClient;
  readonly bearer: string;
}

/** What a REST fallback got back, kept so the proxy can answer with it. */
export interface RestExchange {
  name: string;
  result: RestCommandResult;
}

/** The deadline passed (or the caller left) before an answer: what the vehicle layer expects. */
async function answered<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (!isAbort(err)) throw err;
    throw new FleetHttpError({
      status: 0,
      message: 'fleet: no answer before the deadline',
      mayHaveExecuted: true,
    });
  }
}

/** A {@link FleetTransport} speaking with one caller's token. */
export class CallerTransport implements FleetTransport {
  readonly #caller: Caller;
  readonly #call: CallOptions;
  readonly #original: { name: string; body: Buffer } | undefined;
  lastRest: RestExchange | undefined;

  /** `original`: the caller's command request, forwarded byte for byte on a REST fallback. */
  constructor(caller: Caller, original?: { name: string; body: Buffer }) {
    this.#caller = caller;
    this.#call = { bearer: caller.bearer };
    this.#original = original;
  }

  signedCommand(vin: string, message: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    return answered(this.#caller.fleet.signedCommand(vin, message, signal, this.#call));
  }

  async restCommand(
    vin: string,
    name: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<RestCommandResult> {
    const raw = this.#original?.name === name ? { rawBody: this.#original.body } : {};
    const result = await answered(
      this.#caller.fleet.restCommand(vin, name, body, signal, { ...this.#call, ...raw }),
    );
    this.lastRest = { name, result };
    return result;
  }

  wakeUp(vin: string, signal?: AbortSignal): Promise<VehicleSummary> {
    return answered(this.#caller.fleet.wakeUp(vin, signal, this.#call));
  }

  vehicle(vin: string, signal?: AbortSignal): Promise<VehicleSummary> {
    return answered(this.#caller.fleet.vehicle(vin, signal, this.#call));
  }
}

/** Delegates every call to the transport of the caller whose command is running. */
export class ScopedTransport implements FleetTransport {
  readonly #als = new AsyncLocalStorage<CallerTransport>();

  /** Runs `fn` with `transport` as the current caller's. */
  run<T>(transport: CallerTransport, fn: () => Promise<T>): Promise<T> {
    return this.#als.run(transport, fn);
  }

  #current(): CallerTransport {
    const t = this.#als.getStore();
    if (!t) throw new Error('proxy: Fleet request outside a caller context (a bug)');
    return t;
  }

  signedCommand(vin: string, m: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    return this.#current().signedCommand(vin, m, signal);
  }

  restCommand(
    vin: string,
    name: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<RestCommandResult> {
    return this.#current().restCommand(vin, name, body, signal);
  }

  wakeUp(vin: string, signal?: AbortSignal): Promise<VehicleSummary> {
    return this.#current().wakeUp(vin, signal);
  }

  vehicle(vin: string, signal?: AbortSignal): Promise<VehicleSummary> {
    return this.#current().vehicle(vin, signal);
  }
}
