/**
 * One vehicle (VIN): sends commands over the vehicle-command protocol with as few billed
 * requests as possible, recovers from synchronisation faults by itself, and is honest when an
 * outcome is unknown (protocol.md "Recovering from synchronization errors", "Response
 * handling"; the role of vehicle-command internal/dispatcher). The steps of one signed command
 * (sign → send → classify the reply → recover) are in `signed-call.ts`; this class runs them.
 *
 * - Lazily handshakes only the domain a command needs; reuses the session (and the disk cache).
 * - Signs with HMAC and FLAG_ENCRYPT_RESPONSE; the signer checks, decrypts and applies any
 *   authentic session info a fault carries; retriable faults are re-signed and resent, within
 *   `maxAttempts` sends and the deadline. A session that keeps failing (session info that fails
 *   our tag check, or INVALID_SIGNATURE twice) is dropped and re-handshaken once; then we fail.
 * - Unknown outcomes (timeout, dropped or unreadable reply, 5xx other than 503) are never
 *   resent for non-idempotent commands; idempotent ones are resent once.
 * - 422 switches the VIN to REST for good (with the original parameters).
 * - VCSEC is serialized per VIN; Infotainment keeps fewer than 32 commands in flight. With a
 *   shared {@link StateStore} both limits hold across every instance (leases in the store), and
 *   each counter is reserved from it (`domain-session.ts`).
 *
 * @module
 */
import { setTimeout as delay } from 'node:timers/promises';
import { ProtocolError } from '../signing/errors.js';
import { createUnsignedRequest, openUnsignedResponse } from '../signing/handshake.js';
import type { Signer } from '../signing/signer.js';
import { DomainSession } from './domain-session.js';
import { isAbort, VehicleCommandError } from './errors.js';
import { Mutex, Semaphore } from './limits.js';
import { classifyHandshakeError, classifyReplyError, classifySendError } from './outcomes.js';
import { keyFingerprint, notPairedError, type PairingStatus, pairingUrl } from './pairing.js';
import { parseInfotainmentReply, parseVcsecReply } from './reply.js';
import { restCommand } from './rest.js';
import type { SessionCache } from './session-cache.js';
import {
  afterHandshakeError,
  afterReply,
  afterReplyError,
  afterSendError,
  type Call,
  checkTime,
  exhausted,
  MIN_LIFETIME_MS,
  type Next,
  signCommand,
} from './signed-call.js';
import { type Lease, type StateStore, StateStoreError } from './state-store.js';
import type { FleetTransport } from './transport.js';
import type { CommandKey, CommandResult, SendOptions, VehicleCommand } from './types.js';

/** Fewer than 32: the vehicle refuses counters more than 32 behind the newest it has seen. */
export const MAX_IN_FLIGHT = 31;
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Sends of one command at most, so a bad session costs a bounded number of billed requests. */
export const DEFAULT_MAX_ATTEMPTS = 4;
/** Pause before resending after BUSY / TIMEOUT / INTERNAL (upstream RetryInterval). */
export const DEFAULT_RETRY_DELAY_MS = 1000;
/** A shared lease lasts this much longer than the command's deadline. */
const LEASE_MARGIN_MS = 5000;
/** Sessions another instance may replace under one command before it gives up. */
const MAX_RELOADS = 3;

export interface VehicleOptions {
  vin: string;
  transport: FleetTransport;
  key: CommandKey;
  cache?: SessionCache | undefined;
  /**
   * State shared with other instances signing with the same key (file or Redis store). Without
   * it, sessions, counters and limits live in this process (and `cache`).
   */
  store?: StateStore | undefined;
  /** The app's domain (`TESLA_DOMAIN`), for the pairing link `https://tesla.com/_ak/<domain>`. */
  appDomain?: string | undefined;
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  retryDelayMs?: number;
  maxAttempts?: number;
  timeoutMs?: number;
  maxInFlight?: number;
  warn?: (message: string) => void;
}

export class Vehicle {
  readonly vin: string;
  readonly #o: VehicleOptions;
  readonly #now: () => number;
  readonly #sessions: Record<2 | 3, DomainSession>;
  readonly #vcsecLock = new Mutex();
  readonly #slots: Semaphore;
  readonly #maxInFlight: number;
  #rest = false;

  constructor(o: VehicleOptions) {
    this.vin = o.vin;
    this.#o = o;
    this.#now = o.now ?? Date.now;
    const warn = o.warn ?? (() => {});
    const base = {
      vin: o.vin,
      key: o.key,
      transport: o.transport,
      cache: o.cache,
      store: o.store,
      now: this.#now,
      warn,
    };
    this.#sessions = {
      2: new DomainSession({ ...base, domain: 2 }),
      3: new DomainSession({ ...base, domain: 3 }),
    };
    this.#maxInFlight = Math.min(o.maxInFlight ?? MAX_IN_FLIGHT, MAX_IN_FLIGHT);
    this.#slots = new Semaphore(this.#maxInFlight);
  }

  /** Whether this VIN has switched to REST commands (the Fleet API answered 422). */
  get usesRest(): boolean {
    return this.#rest;
  }

  /** The current session's counter for a domain (tests, diagnostics). */
  counter(domain: 2 | 3): number | undefined {
    return this.#sessions[domain].current?.counter;
  }

  /** Sends a built command; see the module doc for the rules. */
  async send(command: VehicleCommand, o: SendOptions = {}): Promise<CommandResult> {
    if (this.#rest) return this.#restFallback(o);
    // The deadline covers the wait for the VCSEC lock or an Infotainment slot too: a command
    // that queued past its deadline is never sent late.
    const total = o.timeoutMs ?? this.#o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const queuedAt = this.#now();
    const run = () => {
      const left: SendOptions = { ...o, timeoutMs: Math.max(0, total - (this.#now() - queuedAt)) };
      return command.unsigned ? this.#sendUnsigned(command, left) : this.#sendSigned(command, left);
    };
    const local = command.domain === 2 ? this.#vcsecLock : this.#slots;
    const store = this.#o.store;
    if (!store) return local.run(run);
    return local.run(async () => {
      const lease = await this.#lease(store, command.domain, total, queuedAt, o.signal);
      try {
        return await run();
      } catch (err) {
        if (err instanceof StateStoreError) throw storeFailed(this.vin, err);
        throw err;
      } finally {
        await lease.release().catch(() => {});
      }
    });
  }

  /** The VCSEC lock or an Infotainment slot from the shared store, within the deadline. */
  async #lease(
    store: StateStore,
    domain: 2 | 3,
    total: number,
    queuedAt: number,
    signal: AbortSignal | undefined,
  ): Promise<Lease> {
    const left = Math.max(0, total - (this.#now() - queuedAt));
    const timeout = AbortSignal.timeout(Math.max(1, left - MIN_LIFETIME_MS));
    const wait = signal ? AbortSignal.any([signal, timeout]) : timeout;
    // The lease outlives the command's deadline, so it never lapses while the command runs.
    const o = { leaseMs: total + LEASE_MARGIN_MS, signal: wait };
    try {
      return domain === 2
        ? await store.lockVcsec(this.vin, o)
        : await store.acquireSlot(this.vin, this.#maxInFlight, o);
    } catch (err) {
      if (wait.aborted) {
        throw new VehicleCommandError(
          'busy',
          `vehicle ${this.vin} is busy with commands from other instances: retry in a few seconds`,
          { vin: this.vin, retryable: true, cause: err },
        );
      }
      throw storeFailed(this.vin, err);
    }
  }

  /** Sends a REST-only command (`navigation_request`, managed charging) to `command/{name}`. */
  async rest(
    name: string,
    params: Record<string, unknown> = {},
    o: Omit<SendOptions, 'name' | 'params'> = {},
  ): Promise<CommandResult> {
    return restCommand(this.#o.transport, this.vin, name, params, o);
  }

  /**
   * Asks the vehicle (one handshake on `domain`, VCSEC by default) whether our key is enrolled.
   * A successful check leaves a fresh session for the next command.
   */
  async checkPairing(o: { domain?: 2 | 3; signal?: AbortSignal } = {}): Promise<PairingStatus> {
    const domain = o.domain ?? 2;
    const fingerprint = keyFingerprint(this.#o.key.publicKey);
    const status: PairingStatus = { vin: this.vin, paired: true, fingerprint, message: '' };
    if (this.#o.appDomain) status.pairingUrl = pairingUrl(this.#o.appDomain);
    const lock = domain === 2 ? this.#vcsecLock : this.#slots;
    try {
      await lock.run(() => this.#sessions[domain].handshake(o.signal));
      status.message = `our key (fingerprint ${fingerprint}) is paired with ${this.vin}`;
      return status;
    } catch (err) {
      if (err instanceof StateStoreError) throw storeFailed(this.vin, err);
      const out = classifyHandshakeError(err, this.vin, o.signal?.aborted ?? false);
      if (out.kind === 'not-paired') {
        status.paired = false;
        status.message = notPairedError(this.vin, this.#o.key.publicKey, this.#o.appDomain).message;
        return status;
      }
      if (out.kind === 'rest') {
        throw new VehicleCommandError(
          'protocol_not_supported',
          `vehicle ${this.vin} does not support the vehicle-command protocol; it takes REST commands and needs no key pairing`,
          { vin: this.vin, cause: err },
        );
      }
      throw out.kind === 'fail' ? out.error : (out.error ?? err);
    }
  }

  /**
   * An unsigned request (a VCSEC information request): no session, one send. It only reads,
   * so an unknown outcome is harmless, but it is surfaced rather than retried (billing).
   */
  async #sendUnsigned(command: VehicleCommand, o: SendOptions): Promise<CommandResult> {
    const timeoutMs = o.timeoutMs ?? this.#o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
    const request = createUnsignedRequest(command.domain, command.payload, { now: this.#now() });
    let payload: Uint8Array;
    try {
      const reply = await this.#o.transport.signedCommand(this.vin, request.bytes, signal);
      payload = openUnsignedResponse(request, reply);
    } catch (err) {
      const out =
        err instanceof ProtocolError
          ? classifyReplyError(err, this.vin)
          : classifySendError(err, this.vin, signal.aborted);
      if (out.kind === 'rest') return this.#switchToRest(o, err);
      if (out.kind === 'not-paired') {
        throw notPairedError(this.vin, this.#o.key.publicKey, this.#o.appDomain, err);
      }
      throw 'error' in out && out.error ? out.error : err;
    }
    const app = command.domain === 2 ? parseVcsecReply(payload) : parseInfotainmentReply(payload);
    if (app.kind !== 'ok') {
      throw new VehicleCommandError(
        'command_failed',
        `${'message' in app ? app.message : 'request refused'} (${this.vin})`,
        {
          vin: this.vin,
        },
      );
    }
    return {
      result: true,
      reason: app.reason,
      vin: this.vin,
      via: 'signed',
      domain: command.domain === 2 ? 'vcsec' : 'infotainment',
      response: app.response,
    };
  }

  async #sendSigned(command: VehicleCommand, o: SendOptions): Promise<CommandResult> {
    const timeoutMs = o.timeoutMs ?? this.#o.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    const timeout = AbortSignal.timeout(timeoutMs);
    const call: Call = {
      vin: this.vin,
      publicKey: this.#o.key.publicKey,
      appDomain: this.#o.appDomain,
      name: o.name,
      params: o.params,
      idempotent: o.idempotent ?? false,
      deadline: this.#now() + timeoutMs,
      signal: o.signal ? AbortSignal.any([o.signal, timeout]) : timeout,
      sends: 0,
      maxAttempts: this.#o.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
      unknownRetried: false,
      invalidSignatures: 0,
      rehandshaken: false,
      last: undefined,
    };
    const session = this.#sessions[command.domain];
    for (;;) {
      checkTime(call, this.#now());
      if (call.sends >= call.maxAttempts) throw exhausted(call);
      const next = await this.#attempt(call, session, command);
      if (next.do === 'return') return next.result;
      if (next.do === 'rest') return this.#switchToRest(o, next.cause);
      if (next.do === 'throw') throw next.error;
      if (next.do === 'pause') await this.#pause(call);
    }
  }

  /** One round: a ready session, sign, send, open the reply; each outcome is a {@link Next}. */
  async #attempt(call: Call, session: DomainSession, command: VehicleCommand): Promise<Next> {
    let signer: Signer | undefined;
    let counter: number | undefined;
    for (let reload = 0; signer === undefined; reload++) {
      try {
        signer = await session.ready(call.signal);
      } catch (err) {
        if (err instanceof StateStoreError) throw err;
        return afterHandshakeError(call, err);
      }
      if (!session.shared) break;
      // Another instance may have started a new session since: then read the one it stored.
      counter = await session.reserve(signer);
      if (counter !== undefined) break;
      signer = undefined;
      if (reload + 1 >= MAX_RELOADS) {
        throw new VehicleCommandError(
          'busy',
          `the session with ${this.vin} keeps changing under other instances: retry in a few seconds`,
          { vin: this.vin, retryable: true },
        );
      }
    }
    const request = signCommand(signer, command.payload, call, this.#now(), counter);
    if (!request) {
      await session.drop(signer);
      return { do: 'retry' };
    }
    let reply: Uint8Array;
    try {
      reply = await this.#o.transport.signedCommand(this.vin, request.bytes, call.signal);
    } catch (err) {
      await this.#commit(session, signer, false);
      return afterSendError(call, err);
    }
    let payload: Uint8Array;
    try {
      payload = signer.openResponse(request, reply, this.#now()).payload;
    } catch (err) {
      // A fault may carry session info the signer applied: share it.
      await this.#commit(session, signer, true);
      const next = afterReplyError(call, err);
      if (next.do !== 'rehandshake') return next;
      await session.drop(signer);
      return { do: 'retry' };
    }
    await this.#commit(session, signer, false);
    return afterReply(call, command.domain, payload);
  }

  /** Saves or shares the session after a reply; a store failure here only warns (it ran). */
  async #commit(session: DomainSession, signer: Signer, changed: boolean): Promise<void> {
    try {
      await session.commit(signer, changed);
    } catch (err) {
      (this.#o.warn ?? (() => {}))(
        `state store: could not record the session of ${this.vin} (${(err as Error).message})`,
      );
    }
  }

  async #switchToRest(o: SendOptions, cause: unknown): Promise<CommandResult> {
    this.#rest = true;
    if (!o.name) {
      throw new VehicleCommandError(
        'protocol_not_supported',
        `vehicle ${this.vin} does not support the vehicle-command protocol and this command has no REST name to fall back to`,
        { vin: this.vin, cause },
      );
    }
    return this.#restFallback(o);
  }

  async #restFallback(o: SendOptions): Promise<CommandResult> {
    if (!o.name) {
      throw new VehicleCommandError(
        'protocol_not_supported',
        `vehicle ${this.vin} takes REST commands only and this command has no REST name`,
        { vin: this.vin },
      );
    }
    const { name, params, ...rest } = o;
    return restCommand(this.#o.transport, this.vin, name, params ?? {}, rest);
  }

  /** Waits the retry interval, or throws the last error if the deadline would pass first. */
  async #pause(call: Call): Promise<void> {
    const ms = this.#o.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    if (call.sends >= call.maxAttempts) throw exhausted(call);
    if (this.#now() + ms + MIN_LIFETIME_MS > call.deadline) throw exhausted(call);
    if (ms <= 0) return;
    const sleep =
      this.#o.sleep ?? ((t: number, s?: AbortSignal) => delay(t, undefined, { signal: s }));
    try {
      await sleep(ms, call.signal);
    } catch (err) {
      if (isAbort(err)) throw exhausted(call);
      throw err;
    }
  }

  /** Writes every session of this vehicle to the cache. */
  save(): void {
    this.#sessions[2].save();
    this.#sessions[3].save();
  }
}

/** The store failed before anything was sent: fail fast, retryable, never a silent fallback. */
function storeFailed(vin: string, err: unknown): VehicleCommandError {
  if (err instanceof VehicleCommandError) return err;
  const why = err instanceof Error ? err.message : String(err);
  return new VehicleCommandError(
    'state_unavailable',
    `the shared state store is unavailable (${why}); nothing was sent to ${vin}: retry once it is back`,
    { vin, retryable: true, cause: err },
  );
}
