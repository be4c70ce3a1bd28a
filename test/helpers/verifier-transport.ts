/**
 * An in-process {@link FleetTransport} over the signing library's vehicle-side `Verifier`s, with
 * fault injection, for the vehicle layer's tests and bench. Each simulated car has a VCSEC and an
 * Infotainment verifier with their own keys; `signedCommand` feeds the bytes to the right one and
 * answers like the vehicle would (CarServer.Response OK, empty FromVCSECMessage), unless an
 * injection says otherwise. Every request is logged so tests can count requests and check that
 * counters never go backwards.
 *
 * @module
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ResponseSchema } from '../../src/gen/car_server_pb.js';
import { SignatureDataSchema } from '../../src/gen/signatures_pb.js';
import {
  DestinationSchema,
  type RoutableMessage,
  RoutableMessageSchema,
} from '../../src/gen/universal_message_pb.js';
import { Verifier } from '../../src/signing/verifier.js';
import {
  FleetHttpError,
  type FleetTransport,
  type RestCommandResult,
  type VehicleSummary,
} from '../../src/vehicle/transport.js';
import { type NodeKey, nodeKey } from './node-key.js';

export type Injection =
  /** Nothing special: the car handles this request normally (to target a later one). */
  | { kind: 'pass' }
  /** The vehicle answers with a MessageFault (with signed session info when `sessionInfo`). */
  | { kind: 'fault'; fault: number; sessionInfo?: boolean; execute?: boolean }
  /** The Fleet API answers HTTP `status`; with `execute` the car ran the command first. */
  | {
      kind: 'http';
      status: number;
      error?: string;
      retryAfterSeconds?: number;
      baseUrl?: string;
      execute?: boolean;
    }
  /** The car runs the command, but the reply is lost (no HTTP answer). */
  | { kind: 'drop' }
  /** The car verifies the command and answers with this application payload. */
  | { kind: 'app'; reply: Uint8Array }
  /** The car runs the command; one bit of the reply's GCM tag is flipped on the way. */
  | { kind: 'tamper' }
  /** The car runs the command and answers in plaintext although the request asked otherwise. */
  | { kind: 'plaintext' }
  /**
   * The car runs the command; one bit flip on the way turns the reply's `signature_data` (field
   * 13) into `signedMessageStatus` (field 12), removing its AES-GCM data.
   */
  | { kind: 'strip' }
  /** The car runs the command; the previous encrypted reply comes back, re-addressed. */
  | { kind: 'replay' };

export type Target = 'command' | 'handshake';

export interface RequestRecord {
  vin: string;
  kind: 'handshake' | 'command' | 'unsigned' | 'rest' | 'wake' | 'vehicle';
  domain?: number;
  counter?: number;
  /** Identifies the vehicle key + epoch the counter belongs to. */
  epochId?: string;
  /** Whether the message reached the car (not refused at the HTTP layer). */
  reached: boolean;
  /** Whether the car verified and ran it. */
  accepted?: boolean;
}

export class SimCar {
  readonly vin: string;
  readonly verifiers: Record<2 | 3, Verifier>;
  readonly keys: Record<2 | 3, NodeKey>;
  readonly paired = new Set<string>();
  state: VehicleSummary['state'] = 'online';
  /** false: the Fleet API answers 422 on signed_command (pre-2021 Model S/X). */
  protocol = true;
  restAnswer: RestCommandResult = { result: true, reason: '' };
  readonly executed: { domain: number; payload: Uint8Array }[] = [];
  readonly lastReply: Partial<Record<2 | 3, Uint8Array>> = {};
  readonly #now: () => number;

  constructor(vin: string, now: () => number) {
    this.vin = vin;
    this.#now = now;
    this.keys = { 2: nodeKey(), 3: nodeKey() };
    this.verifiers = { 2: this.#verifier(2), 3: this.#verifier(3) };
  }

  #verifier(domain: 2 | 3): Verifier {
    return new Verifier({
      key: this.keys[domain],
      vin: this.vin,
      domain,
      now: this.#now,
      isAuthorized: (k) => this.paired.has(Buffer.from(k).toString('hex')),
    });
  }

  pair(publicKey: Uint8Array): void {
    this.paired.add(Buffer.from(publicKey).toString('hex'));
  }

  /** A service visit: the domain gets a new key pair (every session with the old one is stale). */
  replaceKey(domain: 2 | 3): void {
    this.keys[domain] = nodeKey();
    this.verifiers[domain] = this.#verifier(domain);
  }
}

const verifierIds = new WeakMap<Verifier, number>();
let nextVerifierId = 1;
function verifierId(v: Verifier): number {
  let id = verifierIds.get(v);
  if (id === undefined) {
    id = nextVerifierId++;
    verifierIds.set(v, id);
  }
  return id;
}

function routable(bytes: Uint8Array): RoutableMessage {
  return fromBinary(RoutableMessageSchema, bytes);
}

export class VerifierTransport implements FleetTransport {
  readonly log: RequestRecord[] = [];
  readonly restCalls: { vin: string; name: string; body: Record<string, unknown> }[] = [];
  readonly #cars = new Map<string, SimCar>();
  readonly #queues = new Map<string, { target: Target; injection: Injection }[]>();
  readonly #now: () => number;
  #inFlight = 0;
  maxInFlight = 0;

  constructor(o: { now?: () => number } = {}) {
    this.#now = o.now ?? Date.now;
  }

  addCar(vin: string, o: { pair?: Uint8Array } = {}): SimCar {
    const car = new SimCar(vin, this.#now);
    if (o.pair) car.pair(o.pair);
    this.#cars.set(vin, car);
    return car;
  }

  car(vin: string): SimCar {
    const car = this.#cars.get(vin);
    if (!car) throw new Error(`test transport: no car ${vin}`);
    return car;
  }

  /** Queues injections for the next signed commands (or handshakes) to `vin`, in order. */
  inject(vin: string, target: Target, ...injections: Injection[]): void {
    const q = this.#queues.get(vin) ?? [];
    for (const injection of injections) q.push({ target, injection });
    this.#queues.set(vin, q);
  }

  /** Requests to `signed_command` (handshakes and commands) so far, for one VIN or all. */
  signedRequests(vin?: string): number {
    return this.log.filter(
      (r) => (r.kind === 'handshake' || r.kind === 'command') && (!vin || r.vin === vin),
    ).length;
  }

  count(kind: RequestRecord['kind'], vin?: string): number {
    return this.log.filter((r) => r.kind === kind && (!vin || r.vin === vin)).length;
  }

  /**
   * Counters that did not increase for the same vehicle key and epoch (should be none). By
   * default every signed command that reached the car counts; with `acceptedOnly`, only those
   * the car verified (after a fresh handshake the client restarts from the car's own counter,
   * so a counter the car refused may be used again; one it accepted never is).
   */
  counterRegressions(o: { acceptedOnly?: boolean } = {}): string[] {
    const last = new Map<string, number>();
    const out: string[] = [];
    for (const r of this.log) {
      if (r.kind !== 'command' || !r.reached || r.counter === undefined || !r.epochId) continue;
      if (o.acceptedOnly && !r.accepted) continue;
      const prev = last.get(r.epochId);
      if (prev !== undefined && r.counter <= prev)
        out.push(`${r.epochId}: ${prev} then ${r.counter}`);
      last.set(r.epochId, r.counter);
    }
    return out;
  }

  #take(vin: string, target: Target): Injection | undefined {
    const q = this.#queues.get(vin);
    const i = q?.findIndex((e) => e.target === target) ?? -1;
    if (!q || i < 0) return undefined;
    return q.splice(i, 1)[0]?.injection;
  }

  async signedCommand(vin: string, bytes: Uint8Array): Promise<Uint8Array> {
    const car = this.car(vin);
    const msg = routable(bytes);
    const to = msg.toDestination?.subDestination;
    const domain = (to?.case === 'domain' ? to.value : 0) as 2 | 3;
    const handshake = msg.payload.case === 'sessionInfoRequest';
    const sig = msg.subSigData.value?.sigType;
    const verifier = car.verifiers[domain];
    const record: RequestRecord = {
      vin,
      kind: handshake ? 'handshake' : sig ? 'command' : 'unsigned',
      domain,
      reached: false,
    };
    if (sig?.case === 'HMACPersonalizedData' && verifier) {
      record.counter = sig.value.counter;
      record.epochId = `${vin}/${domain}/${verifierId(verifier)}/${Buffer.from(verifier.epoch).toString('hex')}`;
    }
    this.log.push(record);
    this.#inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.#inFlight);
    try {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (car.state !== 'online') {
        throw new FleetHttpError({
          status: 408,
          error: 'vehicle unavailable: vehicle is offline or asleep',
        });
      }
      if (!car.protocol) {
        throw new FleetHttpError({
          status: 422,
          error: 'vehicle does not support the Tesla Vehicle Command Protocol',
        });
      }
      const inj = this.#take(vin, handshake ? 'handshake' : 'command');
      if (inj?.kind === 'http' && !inj.execute) throw httpError(inj);
      record.reached = true;
      if (!verifier) throw new FleetHttpError({ status: 400, error: 'invalid domain' });
      if (inj?.kind === 'fault') {
        if (inj.execute) this.#execute(car, domain, verifier, bytes, record);
        return this.#faultReply(verifier, msg, inj.fault, inj.sessionInfo ?? false);
      }
      const previous = car.lastReply[domain];
      const reply = this.#execute(
        car,
        domain,
        verifier,
        bytes,
        record,
        inj?.kind === 'app' ? inj.reply : undefined,
      );
      if (!inj || inj.kind === 'app' || inj.kind === 'pass') return reply;
      if (inj.kind === 'http') throw httpError(inj);
      if (inj.kind === 'drop')
        throw new FleetHttpError({ status: 0, message: 'fleet: connection lost' });
      if (inj.kind === 'tamper') return tamperTag(reply);
      if (inj.kind === 'plaintext') return plaintextOf(reply, okInfotainment(), domain);
      if (inj.kind === 'strip') return stripGcm(reply);
      if (!previous) throw new Error('test transport: nothing to replay yet');
      return readdress(previous, msg);
    } finally {
      this.#inFlight--;
    }
  }

  #execute(
    car: SimCar,
    domain: 2 | 3,
    verifier: Verifier,
    bytes: Uint8Array,
    record: RequestRecord,
    app?: Uint8Array,
  ): Uint8Array {
    const r = verifier.handle(bytes);
    if (r.kind === 'reply') return r.bytes;
    record.accepted = r.signed;
    car.executed.push({ domain, payload: r.payload });
    const payload = app ?? (domain === 3 ? okInfotainment() : new Uint8Array());
    const reply = r.respond(payload);
    car.lastReply[domain] = reply;
    return reply;
  }

  #faultReply(
    verifier: Verifier,
    req: RoutableMessage,
    fault: number,
    withInfo: boolean,
  ): Uint8Array {
    const from = req.fromDestination?.subDestination;
    const out = create(RoutableMessageSchema, {
      fromDestination: { subDestination: { case: 'domain', value: verifier.domain } },
      // Session info is tagged over the request's uuid, so its reply names it (both domains).
      requestUuid: verifier.domain === 3 || withInfo ? req.uuid : new Uint8Array(),
      signedMessageStatus: { operationStatus: 2, signedMessageFault: fault },
    });
    if (from?.case === 'routingAddress') {
      out.toDestination = create(DestinationSchema, {
        subDestination: { case: 'routingAddress', value: from.value },
      });
    }
    const identity = req.subSigData.value?.signerIdentity?.identityType;
    if (withInfo && identity?.case === 'publicKey') {
      const { info, tag } = verifier.sessionInfo(identity.value, req.uuid);
      out.payload = { case: 'sessionInfo', value: info };
      if (tag) {
        out.subSigData = {
          case: 'signatureData',
          value: create(SignatureDataSchema, {
            sigType: { case: 'sessionInfoTag', value: { tag } },
          }),
        };
      }
    }
    return toBinary(RoutableMessageSchema, out);
  }

  async restCommand(
    vin: string,
    name: string,
    body: Record<string, unknown>,
  ): Promise<RestCommandResult> {
    const car = this.car(vin);
    this.log.push({ vin, kind: 'rest', reached: true });
    this.restCalls.push({ vin, name, body: structuredClone(body) });
    await new Promise<void>((resolve) => setImmediate(resolve));
    const inj = this.#take(vin, 'command');
    if (inj?.kind === 'http') throw httpError(inj);
    return car.restAnswer;
  }

  async wakeUp(vin: string): Promise<VehicleSummary> {
    const car = this.car(vin);
    this.log.push({ vin, kind: 'wake', reached: true });
    car.state = 'online';
    return { vin, state: car.state };
  }

  async vehicle(vin: string): Promise<VehicleSummary> {
    const car = this.car(vin);
    this.log.push({ vin, kind: 'vehicle', reached: true });
    return { vin, state: car.state };
  }
}

function httpError(inj: Extract<Injection, { kind: 'http' }>): FleetHttpError {
  return new FleetHttpError({
    status: inj.status,
    error: inj.error,
    retryAfterSeconds: inj.retryAfterSeconds,
    baseUrl: inj.baseUrl,
  });
}

/** `CarServer.Response { actionStatus { result: OK } }`. */
export function okInfotainment(): Uint8Array {
  return toBinary(ResponseSchema, create(ResponseSchema, { actionStatus: { result: 0 } }));
}

function tamperTag(reply: Uint8Array): Uint8Array {
  const msg = routable(reply);
  const sig = msg.subSigData.value?.sigType;
  if (sig?.case !== 'AESGCMResponseData') throw new Error('test transport: reply is not encrypted');
  const tag = sig.value.tag.slice();
  tag[0] = (tag[0] ?? 0) ^ 1;
  sig.value.tag = tag;
  return toBinary(RoutableMessageSchema, msg);
}

/** The reply as firmware without response encryption sends it: the app payload in the clear. */
function plaintextOf(reply: Uint8Array, infotainment: Uint8Array, domain: 2 | 3): Uint8Array {
  const msg = routable(reply);
  msg.subSigData = { case: undefined };
  msg.payload = {
    case: 'protobufMessageAsBytes',
    value: domain === 3 ? infotainment : new Uint8Array(),
  };
  return toBinary(RoutableMessageSchema, msg);
}

/** Flips bit 3 of the field key 0x6a (13, length-delimited) to 0x62 (12): no more GCM data. */
function stripGcm(reply: Uint8Array): Uint8Array {
  const out = reply.slice();
  let i = 0;
  const varint = () => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = out[i++] as number;
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  while (i < out.length) {
    const at = i;
    const key = varint();
    if (key === 0x6a) {
      out[at] = 0x62;
      if (routable(out).subSigData.case !== undefined) break;
      return out;
    }
    if (key % 8 === 2) {
      const length = varint();
      i += length;
    } else if (key % 8 === 0) varint();
    else break;
  }
  throw new Error('test transport: reply has no top-level signature_data to strip');
}

/** An old reply given the new request's routing address and uuid (what an attacker could do). */
function readdress(reply: Uint8Array, req: RoutableMessage): Uint8Array {
  const msg = routable(reply);
  const from = req.fromDestination?.subDestination;
  if (from?.case === 'routingAddress' && msg.toDestination) {
    msg.toDestination.subDestination = { case: 'routingAddress', value: from.value };
  }
  if (msg.requestUuid.length > 0) msg.requestUuid = req.uuid;
  return toBinary(RoutableMessageSchema, msg);
}
