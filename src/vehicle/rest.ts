/**
 * The REST `command/{name}` path: REST-only commands (`navigation_request`, managed charging,
 * commands with no message in Tesla's public protos) and vehicles that do not support the
 * vehicle-command protocol (the Fleet API answered 422). The caller's **original** parameters
 * are forwarded unchanged (Tesla's Go proxy forwards an empty body here).
 *
 * @module
 */
import { matchAlready } from './already.js';
import { fromHttpError, isAbort, unknownOutcome, VehicleCommandError } from './errors.js';
import { FleetHttpError, type FleetTransport } from './transport.js';
import type { CommandResult, SendOptions } from './types.js';

/** Tesla's answers when a vehicle refuses unsigned (REST) commands. */
const SIGNING_REQUIRED =
  /vehicle command protocol required|unsigned_cmds_hardlocked|signed command/i;

export async function restCommand(
  transport: FleetTransport,
  vin: string,
  name: string,
  params: Record<string, unknown>,
  o: Omit<SendOptions, 'name' | 'params'>,
): Promise<CommandResult> {
  const timeout = AbortSignal.timeout(o.timeoutMs ?? 10_000);
  const signal = o.signal ? AbortSignal.any([o.signal, timeout]) : timeout;
  let retried = false;
  for (;;) {
    try {
      const r = await transport.restCommand(vin, name, params, signal);
      if (!r.result) {
        const noop = matchAlready(name, r.reason, params);
        if (noop) {
          const done: CommandResult = { result: true, reason: r.reason, vin, via: 'rest' };
          done.message = noop.message;
          if (noop.row.outcome === 'unchanged') done.changed = false;
          return done;
        }
        throw new VehicleCommandError(
          'command_failed',
          `car could not execute ${name}: ${r.reason || 'unspecified error'} (${vin})`,
          { vin, reason: r.reason },
        );
      }
      return { result: true, reason: r.reason, vin, via: 'rest' };
    } catch (err) {
      if (err instanceof VehicleCommandError) throw err;
      if (err instanceof FleetHttpError) {
        const text = `${err.error ?? ''} ${err.description ?? ''}`;
        if ((err.status === 403 || err.status === 412) && SIGNING_REQUIRED.test(text)) {
          throw new VehicleCommandError(
            'signing_required',
            `vehicle ${vin} requires signed commands and ${name} exists only as a REST command: it is not available for this car through the Fleet API`,
            { vin, status: err.status, cause: err },
          );
        }
        if (!err.mayHaveExecuted) throw fromHttpError(err, vin);
        if (!o.idempotent || retried) {
          const what =
            err.status === 0 ? 'no answer from the Fleet API' : `Fleet API HTTP ${err.status}`;
          throw unknownOutcome(vin, what, err);
        }
        retried = true;
        continue;
      }
      if (isAbort(err)) throw unknownOutcome(vin, 'no answer before the deadline', err);
      throw err;
    }
  }
}
