/**
 * The vehicle layer's {@link FleetTransport} for the proxy. The proxy keeps ONE dispatcher (so
 * sessions, the disk cache, per-VIN VCSEC serialization and the in-flight bound are shared by all
 * callers), but every Fleet request must carry the token of the caller whose command it is. So
 * the dispatcher gets a {@link ScopedTransport} that reads the current caller's
 * {@link CallerTransport} from an `AsyncLocalStorage` set around each command.
 *
 * `restCommand` (REST-only commands and legacy cars) forwards the caller's ORIGINAL body bytes,
 * once, and keeps Tesla's answer so the proxy can return it as it came.
 *
 * @module
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { retryAfterFrom } from '../fleet/errors.js';
import {
  FleetHttpError,
  type FleetTransport,
  type RestCommandResult,
  type VehicleSummary,
} from '../vehicle/transport.js';
import {
  type UpstreamContext,
  UpstreamError,
  type UpstreamResponse,
  upstream,
} from './upstream.js';

const JSON_HEADERS = { 'content-type': 'application/json', accept: '*/*' };

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** A non-2xx answer as the vehicle layer's typed error. */
export function httpError(res: UpstreamResponse): FleetHttpError {
  const json = parseJson(res.body) as Record<string, unknown> | undefined;
  const text = res.body.toString('utf8').slice(0, 300);
  const error =
    json && typeof json.error === 'string' ? json.error : json ? undefined : text || undefined;
  const description =
    json && typeof json.error_description === 'string' && json.error_description
      ? json.error_description
      : undefined;
  return new FleetHttpError({
    status: res.status,
    error,
    description,
    retryAfterSeconds: retryAfterFrom(res.headers),
  });
}

function noAnswer(err: unknown): never {
  if (err instanceof UpstreamError) {
    throw new FleetHttpError({
      status: 0,
      message: err.message,
      mayHaveExecuted: err.sent,
    });
  }
  throw err;
}

/** What a REST fallback got back, kept so the proxy can answer with it. */
export interface RestExchange {
  name: string;
  result: RestCommandResult;
}

/** A {@link FleetTransport} speaking with one caller's token. */
export class CallerTransport implements FleetTransport {
  readonly #ctx: UpstreamContext;
  readonly #original: { name: string; body: Buffer } | undefined;
  lastRest: RestExchange | undefined;

  /** `original`: the caller's command request, forwarded byte for byte on a REST fallback. */
  constructor(ctx: UpstreamContext, original?: { name: string; body: Buffer }) {
    this.#ctx = ctx;
    this.#original = original;
  }

  async #post(path: string, body: string | Buffer, signal?: AbortSignal): Promise<unknown> {
    let res: UpstreamResponse;
    try {
      res = await upstream(this.#ctx, {
        method: 'POST',
        pathAndQuery: path,
        headers: JSON_HEADERS,
        body,
        signal,
      });
    } catch (err) {
      noAnswer(err);
    }
    if (res.status < 200 || res.status > 299) throw httpError(res);
    const json = parseJson(res.body);
    if (json === undefined) {
      throw new FleetHttpError({
        status: res.status,
        message: `fleet: HTTP ${res.status} with a body that is not JSON`,
        mayHaveExecuted: true,
      });
    }
    return json;
  }

  async signedCommand(vin: string, message: Uint8Array, signal?: AbortSignal): Promise<Uint8Array> {
    const body = JSON.stringify({ routable_message: Buffer.from(message).toString('base64') });
    const json = (await this.#post(vehiclePath(vin, 'signed_command'), body, signal)) as Record<
      string,
      unknown
    >;
    const response = json?.response;
    if (typeof response !== 'string' || response === '') {
      // Tesla sent no vehicle reply: the command may or may not have run.
      throw new FleetHttpError({
        status: 0,
        message: 'fleet: signed_command answered without a vehicle reply',
        mayHaveExecuted: true,
      });
    }
    return Uint8Array.from(Buffer.from(response, 'base64'));
  }

  async restCommand(
    vin: string,
    name: string,
    body: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<RestCommandResult> {
    const raw =
      this.#original && this.#original.name === name ? this.#original.body : JSON.stringify(body);
    const json = (await this.#post(vehiclePath(vin, `command/${name}`), raw, signal)) as Record<
      string,
      unknown
    >;
    const r = json?.response as Record<string, unknown> | null | undefined;
    const result: RestCommandResult = {
      result: r?.result === true,
      reason: typeof r?.reason === 'string' ? r.reason : '',
    };
    this.lastRest = { name, result };
    return result;
  }

  async wakeUp(vin: string, signal?: AbortSignal): Promise<VehicleSummary> {
    const json = (await this.#post(vehiclePath(vin, 'wake_up'), 'null', signal)) as Record<
      string,
      unknown
    >;
    return summary(vin, json?.response);
  }

  async vehicle(vin: string, signal?: AbortSignal): Promise<VehicleSummary> {
    let res: UpstreamResponse;
    try {
      res = await upstream(this.#ctx, {
        method: 'GET',
        pathAndQuery: `/api/1/vehicles/${encodeURIComponent(vin)}`,
        headers: { accept: 'application/json' },
        signal,
      });
    } catch (err) {
      noAnswer(err);
    }
    if (res.status < 200 || res.status > 299) throw httpError(res);
    return summary(vin, (parseJson(res.body) as Record<string, unknown> | undefined)?.response);
  }
}

function vehiclePath(vin: string, rest: string): string {
  return `/api/1/vehicles/${encodeURIComponent(vin)}/${rest}`;
}

function summary(vin: string, response: unknown): VehicleSummary {
  const r = (response ?? {}) as Record<string, unknown>;
  const state = r.state === 'asleep' || r.state === 'offline' ? r.state : 'online';
  const out: VehicleSummary = { vin, state };
  if (typeof r.display_name === 'string') out.displayName = r.display_name;
  return out;
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
