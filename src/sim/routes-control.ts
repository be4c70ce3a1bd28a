/**
 * Simulator controls under `/_sim/`, for another client's test suite (they exist on the
 * simulator only; Tesla's Fleet API has no such paths). Each takes the simulator's bearer token
 * like every other call, is not billed or rate limited, answers 404 for an unknown VIN and 400
 * for a bad parameter:
 *
 * - `POST /_sim/vehicles/{vin}/reboot[?domain=vcsec|infotainment]`: a new epoch (counters and
 *   clock restart) on that domain, or on both.
 * - `POST /_sim/vehicles/{vin}/fault?name=MESSAGEFAULT_ERROR_…[&domain=…]`: the next verified
 *   signed command (to that domain, or to either) is refused with that fault, with fresh session
 *   info tagged over the request's uuid (protocol.md "Recovering from synchronization errors").
 * - `POST /_sim/vehicles/{vin}/sleep`: the car falls asleep now (408 until `wake_up`).
 * - `POST /_sim/vehicles/{vin}/skew?seconds=N[&domain=…]`: the car's protocol clock moves by N
 *   seconds (negative goes back).
 * - `GET /_sim/stats`: what the cars' protocol side saw (handshakes and verified commands per
 *   domain, refusals by MessageFault name, commands run by name and parameters) and the request
 *   counts, for load tests.
 *
 * @module
 */
import { MessageFault_E } from '../gen/universal_message_pb.js';
import type { SimFleet } from './fleet.js';
import { fail, ok, type SimRequest, type SimResponse } from './routes.js';
import type { DomainNumber } from './vehicle.js';

export const CONTROL_PREFIX = '/_sim/';

const DOMAINS: Record<string, DomainNumber> = { vcsec: 2, infotainment: 3 };
const DOMAIN_NAMES: Record<DomainNumber, string> = { 2: 'vcsec', 3: 'infotainment' };
/** A year either way is far past any client's tolerance. */
const MAX_SKEW_SECONDS = 366 * 86_400;

class BadParameter extends Error {}

/** `domain` from the query: undefined when absent; 400 for anything but the two names. */
function domainParam(q: URLSearchParams): DomainNumber | undefined {
  const name = q.get('domain');
  if (name === null) return undefined;
  const d = DOMAINS[name];
  if (d === undefined) {
    throw new BadParameter(`domain must be vcsec or infotainment, got ${JSON.stringify(name)}`);
  }
  return d;
}

/** A MessageFault_E name (`MESSAGEFAULT_ERROR_INCORRECT_EPOCH`) other than NONE. */
function faultParam(q: URLSearchParams): number {
  const name = q.get('name') ?? '';
  const code = /^MESSAGEFAULT_ERROR_[A-Z_]+$/.test(name)
    ? (MessageFault_E as unknown as Record<string, number | string>)[name]
    : undefined;
  if (typeof code !== 'number' || code === 0) {
    throw new BadParameter(
      `name must be a MessageFault_E name other than MESSAGEFAULT_ERROR_NONE (e.g. MESSAGEFAULT_ERROR_INCORRECT_EPOCH), got ${JSON.stringify(name)}`,
    );
  }
  return code;
}

function secondsParam(q: URLSearchParams): number {
  const text = q.get('seconds') ?? '';
  const n = /^-?\d{1,9}$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isSafeInteger(n) || Math.abs(n) > MAX_SKEW_SECONDS) {
    throw new BadParameter(
      `seconds must be an integer between -${MAX_SKEW_SECONDS} and ${MAX_SKEW_SECONDS}, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}

const names = (d: DomainNumber | undefined) => (d ? [DOMAIN_NAMES[d]] : ['vcsec', 'infotainment']);

/** Answers a `/_sim/…` request (the caller has checked the bearer token). */
export function controlRoute(fleet: SimFleet, req: SimRequest): SimResponse {
  if (req.path === `${CONTROL_PREFIX}stats`) {
    if (req.method !== 'GET') {
      return {
        ...fail(405, 'method_not_allowed', 'the stats take GET'),
        headers: { Allow: 'GET' },
      };
    }
    return ok(stats(fleet));
  }
  const parts = req.path.slice(CONTROL_PREFIX.length).split('/');
  const [group, rawVin, action, ...rest] = parts;
  const actions = ['reboot', 'fault', 'sleep', 'skew'];
  if (group !== 'vehicles' || !rawVin || !action || !actions.includes(action) || rest.length) {
    return fail(404, 'not_found', `no such simulator control: ${req.method} ${req.path}`);
  }
  if (req.method !== 'POST') {
    return {
      ...fail(405, 'method_not_allowed', 'simulator controls take POST'),
      headers: { Allow: 'POST' },
    };
  }
  let vin: string;
  try {
    vin = decodeURIComponent(rawVin);
  } catch {
    return fail(404, 'not_found', 'malformed VIN in path');
  }
  const car = fleet.vehicles.get(vin);
  if (!car) return fail(404, 'not_found', `vehicle ${vin} is not in this simulator`);
  try {
    const q = req.query;
    if (action === 'reboot') {
      const domain = domainParam(q);
      fleet.reboot(vin, domain);
      return ok({ vin, rebooted: names(domain) });
    }
    if (action === 'fault') {
      const fault = faultParam(q);
      const domain = domainParam(q);
      fleet.injectFault(vin, fault, { sessionInfo: true, ...(domain ? { domain } : {}) });
      return ok({ vin, fault: MessageFault_E[fault], domains: names(domain) });
    }
    if (action === 'sleep') {
      car.sleep();
      return ok({ vin, state: car.status });
    }
    const seconds = secondsParam(q);
    const domain = domainParam(q);
    fleet.skewClock(vin, seconds, domain);
    return ok({ vin, skewedSeconds: seconds, domains: names(domain) });
  } catch (err) {
    if (err instanceof BadParameter) return fail(400, 'invalid_field', err.message);
    throw err;
  }
}

/** Per car and in total: handshakes, verified commands, faults by name; request counts. */
function stats(fleet: SimFleet): Record<string, unknown> {
  const total = { handshakes: 0, commands: 0, faults: 0 };
  const vehicles: Record<string, unknown> = {};
  for (const car of fleet.vehicles.values()) {
    const { handshakes, commands, faults, executed } = car.stats;
    const named: Record<string, number> = {};
    for (const [code, n] of Object.entries(faults)) {
      named[MessageFault_E[Number(code)] ?? code] = n;
      total.faults += n;
    }
    total.handshakes += handshakes[2] + handshakes[3];
    total.commands += commands[2] + commands[3];
    vehicles[car.vin] = {
      handshakes: { vcsec: handshakes[2], infotainment: handshakes[3] },
      commands: { vcsec: commands[2], infotainment: commands[3] },
      faults: named,
      executed: { ...executed },
    };
  }
  return { total, vehicles, requests: fleet.counter.snapshot() };
}
