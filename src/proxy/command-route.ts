/**
 * `POST /api/1/vehicles/{VIN}/command/{name}`: the Go proxy's command contract (vehicle-command
 * `pkg/proxy/command.go`, `pkg/proxy/proxy.go`) signed in-process. The registry parses the Go JSON params (same names, defaults and error
 * texts) and builds the payload; the shared dispatcher signs it with the caller's token and
 * recovers from faults. Differences from the Go proxy, on purpose:
 *
 * - the REST decision is made BEFORE the body is touched, and REST-only commands and legacy cars
 *   get the caller's original body, forwarded once, with no stray 400 first;
 * - `wake_up` needs no session; only the domain the command needs is handshaken;
 * - vehicle errors keep their meaning (`responses.ts`), and non-idempotent commands are never
 *   resent after an unknown outcome;
 * - `remote_boombox` (the Go proxy: "command not implemented") and the other commands of our
 *   extension module (`proto-ext/`, registry rows with `source: 'teslemetry-ext'`) are signed.
 *
 * @module
 */
import { mayResend } from '../commands/effect.js';
import type { CommandSpec } from '../commands/types.js';
import type { Dispatcher } from '../vehicle/dispatcher.js';
import { fromHttpError, VehicleCommandError } from '../vehicle/errors.js';
import { FleetHttpError, type FleetTransport } from '../vehicle/transport.js';
import type { VehicleCommand } from '../vehicle/types.js';
import {
  commandResult,
  INVALID_COMMAND,
  internalError,
  type ProxyAnswer,
  paramError,
  vehicleErrorAnswer,
} from './responses.js';
import type { CallerTransport, ScopedTransport } from './transport.js';

/** Finds the registry row of a Fleet command name. */
export type CommandLookup = (name: string) => CommandSpec | undefined;

/** What the proxy does with a command request, decided before anything is sent. */
export type Resolution =
  | { kind: 'signed'; command: VehicleCommand; idempotent: boolean }
  | { kind: 'rest' }
  | { kind: 'wake' }
  | { kind: 'answer'; answer: ProxyAnswer };

function isParamError(err: unknown): err is Error {
  return err instanceof RangeError || (err instanceof Error && err.name === 'CommandParamError');
}

/** Looks the command up and builds it from the Go JSON params (no I/O). */
export function resolveCommand(
  lookup: CommandLookup,
  name: string,
  params: Record<string, unknown>,
  now: number,
): Resolution {
  if (name === 'wake_up') return { kind: 'wake' };
  const spec = lookup(name);
  if (!spec) return { kind: 'answer', answer: INVALID_COMMAND() };
  if (spec.domain === 'wake') return { kind: 'wake' };
  if (spec.domain === 'rest' || !spec.build) return { kind: 'rest' };
  let command: VehicleCommand;
  try {
    command = spec.build(params, { now });
  } catch (err) {
    if (isParamError(err)) return { kind: 'answer', answer: paramError(err.message) };
    throw err;
  }
  return { kind: 'signed', command, idempotent: mayResend(spec.effect) };
}

/** A lookup over a plain-object registry that ignores inherited keys (`constructor`...). */
export function lookupIn(registry: Readonly<Record<string, CommandSpec>>): CommandLookup {
  return (name) => (Object.hasOwn(registry, name) ? registry[name] : undefined);
}

/** Parses a command body: empty or `null` is no params; anything but an object is a 400. */
export function parseParams(
  body: Buffer,
): { params: Record<string, unknown> } | { answer: ProxyAnswer } {
  const text = body.toString('utf8').trim();
  if (text === '') return { params: {} };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { answer: commandResult(false, 'invalid JSON in request body', 400) };
  }
  if (value === null) return { params: {} };
  if (typeof value !== 'object' || Array.isArray(value)) {
    return {
      answer: commandResult(false, 'request body must be a JSON object of command parameters', 400),
    };
  }
  return { params: value as Record<string, unknown> };
}

export interface CommandCall {
  vin: string;
  name: string;
  params: Record<string, unknown>;
  dispatcher: Dispatcher;
  scoped: ScopedTransport;
  caller: CallerTransport;
  resolution: Extract<Resolution, { kind: 'signed' | 'wake' }>;
  timeoutMs: number;
  signal: AbortSignal;
}

/** Runs a signed command (or `wake_up`) and answers in the Go shape. */
export async function runCommand(call: CommandCall): Promise<ProxyAnswer> {
  const { vin, caller, resolution } = call;
  try {
    if (resolution.kind === 'wake') {
      await wake(caller, vin, call.timeoutMs, call.signal);
      return commandResult(true, '');
    }
    const vehicle = call.dispatcher.vehicle(vin);
    // One deadline for the whole request, queueing behind other commands to this VIN included:
    // a command still queued when it passes is never sent.
    const signal = AbortSignal.any([call.signal, AbortSignal.timeout(call.timeoutMs)]);
    const r = await call.scoped.run(caller, () =>
      vehicle.send(resolution.command, {
        name: call.name,
        params: call.params,
        idempotent: resolution.idempotent,
        timeoutMs: call.timeoutMs,
        signal,
      }),
    );
    // A no-op answer (`already_set`, …) is a success for our own callers; the Go proxy's
    // callers get what it gives them: the car's refusal, as a NominalError.
    if (r.changed === false || r.message !== undefined) {
      return commandResult(
        false,
        r.via === 'rest' ? r.reason : `car could not execute command: ${r.reason}`,
      );
    }
    return commandResult(true, r.reason);
  } catch (err) {
    if (err instanceof VehicleCommandError) {
      // A legacy car's REST answer comes back as Tesla gave it.
      if (err.code === 'command_failed' && caller.lastRest?.name === call.name) {
        return commandResult(false, caller.lastRest.result.reason);
      }
      return vehicleErrorAnswer(err);
    }
    return internalError(err);
  }
}

async function wake(
  transport: FleetTransport,
  vin: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  const s = AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]);
  try {
    await transport.wakeUp(vin, s);
  } catch (err) {
    if (err instanceof FleetHttpError) {
      if (err.status === 0) {
        throw new VehicleCommandError(
          'deadline',
          `no answer to wake_up for ${vin} before the deadline: retry`,
          { vin, retryable: true, cause: err },
        );
      }
      throw fromHttpError(err, vin);
    }
    throw err;
  }
}
