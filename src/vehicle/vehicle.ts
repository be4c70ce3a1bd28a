/**
 * One vehicle (VIN): sends commands over the vehicle-command protocol with as few billed
 * requests as possible, recovers from synchronisation faults by itself, and is honest when an
 * outcome is unknown (protocol-spec §3; issue 8 "Dispatcher").
 *
 * - Lazily handshakes only the domain a command needs; reuses the session (and the disk cache).
 * - Signs with HMAC and FLAG_ENCRYPT_RESPONSE; the signer checks, decrypts and applies any
 *   authentic session info a fault carries; retriable faults are re-signed and resent, within
 *   `maxAttempts` sends and the deadline. A session that keeps failing (session info that fails
 *   our tag check, or INVALID_SIGNATURE twice) is dropped and re-handshaken once; then we fail.
 * - Unknown outcomes (timeout, dropped or unreadable reply, 5xx other than 503) are never
 *   resent for non-idempotent commands; idempotent ones are resent once.
 * - 422 switches the VIN to REST for good (with the original parameters).
 * - VCSEC is serialized per VIN; Infotainment keeps fewer than 32 commands in flight.
 *
 * @module
 */
import { setTimeout as delay } from 'node:timers/promises';
import { DEFAULT_FLAGS } from '../signing/constants.js';
import { MessageFault, ProtocolError } from '../signing/errors.js';
import { createUnsignedRequest, openUnsignedResponse } from '../signing/handshake.js';
import type { Signer } from '../signing/signer.js';
import { DomainSession } from './domain-session.js';
import { isAbort, VehicleCommandError } from './errors.js';
import { Mutex, Semaphore } from './limits.js';
import {
  classifyHandshakeError,
  classifyReplyError,
  classifySendError,
  type Outcome,
} from './outcomes.js';
import { keyFingerprint, notPairedError, type PairingStatus, pairingUrl } from './pairing.js';
import { type AppReply, parseInfotainmentReply, parseVcsecReply } from './reply.js';
import { restCommand } from './rest.js';
import type { SessionCache } from './session-cache.js';
import type { FleetTransport } from './transport.js';
import type { CommandKey, CommandResult, SendOptions, VehicleCommand } from './types.js';

/** Fewer than 32: the vehicle refuses counters more than 32 behind the newest it has seen. */
export const MAX_IN_FLIGHT = 31;
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Sends of one command at most (pain point #10: a bound of 3–4). Handshakes come on top. */
export const DEFAULT_MAX_ATTEMPTS = 4;
/** Pause before resending after BUSY / TIMEOUT / INTERNAL (upstream RetryInterval). */
export const DEFAULT_RETRY_DELAY_MS = 1000;
/** Signatures never live longer than this, whatever the deadline. */
const MAX_LIFETIME_MS = 10_000;
/** Less time than this left is not worth a send: the signature would expire on the way. */
const MIN_LIFETIME_MS = 1000;

export interface VehicleOptions {
  vin: string;
  transport: FleetTransport;
  key: CommandKey;
  cache?: SessionCache | undefined;
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

interface Call {
  vin: string;
  idempotent: boolean;
  deadline: number;
  signal: AbortSignal;
  /** Sends so far (commands, and handshakes that failed). */
  sends: number;
  maxAttempts: number;
  unknownRetried: boolean;
  invalidSignatures: number;
  rehandshaken: boolean;
  /** What to report if the budget or the deadline runs out now. */
  last: VehicleCommandError | undefined;
}

export class Vehicle {
  readonly vin: string;
  readonly #o: VehicleOptions;
  readonly #now: () => number;
  readonly #sessions: Record<2 | 3, DomainSession>;
  readonly #vcsecLock = new Mutex();
  readonly #slots: Semaphore;
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
      now: this.#now,
      warn,
    };
    this.#sessions = {
      2: new DomainSession({ ...base, domain: 2 }),
      3: new DomainSession({ ...base, domain: 3 }),
    };
    this.#slots = new Semaphore(Math.min(o.maxInFlight ?? MAX_IN_FLIGHT, MAX_IN_FLIGHT));
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
    return command.domain === 2 ? this.#vcsecLock.run(run) : this.#slots.run(run);
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
      this.#checkTime(call, call.sends > 0);
      if (call.sends >= call.maxAttempts) throw this.#exhausted(call);

      let signer: Signer;
      try {
        signer = await session.ready(call.signal);
      } catch (err) {
        const out = classifyHandshakeError(err, this.vin, call.signal.aborted);
        if (out.kind === 'rest') return this.#switchToRest(o, err);
        if (out.kind === 'not-paired') {
          throw notPairedError(this.vin, this.#o.key.publicKey, this.#o.appDomain, err);
        }
        if (out.kind === 'fail') throw out.error;
        call.sends++; // a failed handshake spends an attempt, so this loop always ends
        call.last = out.error;
        if (out.kind === 'retry-later') await this.#pause(call);
        continue;
      }

      const lifetimeMs = Math.min(call.deadline - this.#now(), MAX_LIFETIME_MS);
      let request: ReturnType<Signer['sign']>;
      try {
        request = signer.sign(command.payload, {
          lifetimeMs,
          flags: DEFAULT_FLAGS,
          now: this.#now(),
        });
      } catch (err) {
        if (err instanceof ProtocolError && err.code === 'counter-rollover') {
          call.sends++;
          session.drop(signer);
          continue;
        }
        throw err;
      }
      call.sends++;
      let reply: Uint8Array;
      try {
        reply = await this.#o.transport.signedCommand(this.vin, request.bytes, call.signal);
      } catch (err) {
        session.save();
        const out = classifySendError(err, this.vin, call.signal.aborted);
        if (out.kind === 'rest') return this.#switchToRest(o, err);
        this.#onUnknownOrFail(call, out);
        continue;
      }

      let payload: Uint8Array;
      try {
        payload = signer.openResponse(request, reply, this.#now()).payload;
      } catch (err) {
        session.save();
        const out = classifyReplyError(err, this.vin);
        if (out.kind === 'not-paired') {
          throw notPairedError(this.vin, this.#o.key.publicKey, this.#o.appDomain, err);
        }
        if (out.kind === 'resync') {
          const stale =
            out.needsHandshake ||
            (out.fault === MessageFault.INVALID_SIGNATURE &&
              (call.rehandshaken || ++call.invalidSignatures >= 2));
          if (stale) {
            if (call.rehandshaken) throw this.#keyChanged(err);
            call.rehandshaken = true;
            call.invalidSignatures = 0;
            session.drop(signer);
          }
          call.last = out.error;
          continue;
        }
        this.#onUnknownOrFail(call, out);
        if (out.kind === 'retry-later') await this.#pause(call);
        continue;
      }
      session.save();

      const app: AppReply =
        command.domain === 2 ? parseVcsecReply(payload) : parseInfotainmentReply(payload);
      switch (app.kind) {
        case 'ok': {
          const result: CommandResult = {
            result: true,
            reason: app.reason,
            vin: this.vin,
            via: 'signed',
            domain: command.domain === 2 ? 'vcsec' : 'infotainment',
            response: app.response,
          };
          return result;
        }
        case 'busy':
          call.last = new VehicleCommandError(
            'busy',
            `${app.message} on ${this.vin}: retry in a few seconds`,
            { vin: this.vin, retryable: true },
          );
          await this.#pause(call);
          continue;
        case 'refused':
          throw new VehicleCommandError('command_failed', `${app.message} (${this.vin})`, {
            vin: this.vin,
          });
        case 'not-paired':
          throw notPairedError(this.vin, this.#o.key.publicKey, this.#o.appDomain);
        case 'unreadable':
          throw new VehicleCommandError(
            'unknown_outcome',
            `${app.message}; the command may have executed on ${this.vin}: check the vehicle state before retrying`,
            { vin: this.vin, mayHaveExecuted: true },
          );
      }
    }
  }

  /** Handles an outcome that is neither a REST switch nor a resync: throw, or note and go on. */
  #onUnknownOrFail(call: Call, out: Outcome): void {
    if (out.kind === 'fail') throw out.error;
    if (out.kind === 'unknown') {
      if (!call.idempotent || call.unknownRetried || call.signal.aborted) throw out.error;
      call.unknownRetried = true;
    }
    if ('error' in out && out.error) call.last = out.error;
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

  /** Throws when the caller aborted or too little time is left for a signature to arrive. */
  #checkTime(call: Call, sent: boolean): void {
    if (call.signal.aborted || this.#now() + MIN_LIFETIME_MS > call.deadline) {
      if (call.last) throw call.last;
      throw new VehicleCommandError(
        sent ? 'unknown_outcome' : 'deadline',
        sent
          ? `no answer from ${this.vin} before the deadline; the command may have executed: check the vehicle state before retrying`
          : `no answer from ${this.vin} before the deadline: check that the vehicle is online, then retry`,
        { vin: this.vin, retryable: !sent, mayHaveExecuted: sent },
      );
    }
  }

  /** Waits the retry interval, or throws the last error if the deadline would pass first. */
  async #pause(call: Call): Promise<void> {
    const ms = this.#o.retryDelayMs ?? DEFAULT_RETRY_DELAY_MS;
    if (call.sends >= call.maxAttempts) throw this.#exhausted(call);
    if (this.#now() + ms + MIN_LIFETIME_MS > call.deadline) throw this.#exhausted(call);
    if (ms <= 0) return;
    const sleep =
      this.#o.sleep ?? ((t: number, s?: AbortSignal) => delay(t, undefined, { signal: s }));
    try {
      await sleep(ms, call.signal);
    } catch (err) {
      if (isAbort(err)) throw this.#exhausted(call);
      throw err;
    }
  }

  #exhausted(call: Call): VehicleCommandError {
    const last = call.last;
    if (last?.code === 'busy' || last?.code === 'fault' || last === undefined) {
      return new VehicleCommandError(
        'busy',
        `vehicle ${this.vin} did not accept the command after ${call.sends} attempt(s)${
          last ? ` (last: ${last.message.replace(/^vehicle: /, '')})` : ''
        }: retry in a few seconds`,
        {
          vin: this.vin,
          retryable: true,
          fault: last?.fault,
          faultName: last?.faultName,
          cause: last,
        },
      );
    }
    return last;
  }

  #keyChanged(cause: unknown): VehicleCommandError {
    return new VehicleCommandError(
      'key_changed',
      `vehicle ${this.vin} keeps rejecting our session even after a fresh handshake (its key may have changed after service): check pairing with \`tesla-mcp pair\`, then retry`,
      { vin: this.vin, cause },
    );
  }

  /** Writes every session of this vehicle to the cache. */
  save(): void {
    this.#sessions[2].save();
    this.#sessions[3].save();
  }
}
