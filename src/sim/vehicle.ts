/**
 * One simulated vehicle: its state, its power (online / asleep, sleep after idle, wake after a
 * delay), and its vehicle side of the command protocol: a signing-library `Verifier` per domain
 * (VCSEC = 2, Infotainment = 3) with its own in-memory key, epoch, counters and clock. A verified
 * payload is decoded (`./decode.ts`), applied (`./commands.ts`) and answered with a
 * `CarServer.Response` or a `FromVCSECMessage`.
 *
 * @module
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { OperationStatus_E as CarStatus, ResponseSchema } from '../gen/car_server_pb.js';
import { GenericError_E } from '../gen/errors_pb.js';
import { RoutableMessageSchema } from '../gen/universal_message_pb.js';
import {
  ClosureState_E,
  FromVCSECMessageSchema,
  InformationRequestType,
  VehicleLockState_E,
  VehicleSleepStatus_E,
} from '../gen/vcsec_pb.js';
import { MessageFault } from '../signing/errors.js';
import { type VehicleKey, Verifier } from '../signing/verifier.js';
import type { RestCommandResult } from '../vehicle/transport.js';
import { applyCommand, type CommandBody } from './commands.js';
import { type DecodedCommand, decodeInfotainment, decodeVcsec } from './decode.js';
import { generateVehicleKey, keyId, toHex } from './keys.js';
import { advance, initialState, type VehicleKind, type VehicleState } from './state.js';

export type DomainNumber = 2 | 3;

export interface CommandRecord {
  at: number;
  via: 'signed' | 'rest';
  domain?: DomainNumber;
  name: string;
  result: boolean;
  reason: string;
}

export interface SimVehicleOptions {
  vin: string;
  id: number;
  kind: VehicleKind;
  name: string;
  now: () => number;
  /** Idle time before the car falls asleep (default 10 min). */
  sleepAfterMs?: number;
  /** Time from `wake_up` to online (default 4 s). */
  wakeDelayMs?: number;
  asleep?: boolean;
}

const HISTORY = 20;

/** What the car's protocol side saw, for tests and benchmarks (`GET /_sim/stats`). */
export interface ProtocolStats {
  /** Session info requests answered (handshakes), by domain. */
  handshakes: Record<DomainNumber, number>;
  /** Signed commands verified and run, by domain. */
  commands: Record<DomainNumber, number>;
  /** Refusals by MessageFault number (counter, epoch, expiry, signature...). */
  faults: Record<string, number>;
  /**
   * Signed commands run, by command and parameters (`honk_horn`,
   * `set_vehicle_name {"vehicle_name":"x"}`): a load test tags commands with a unique
   * parameter and checks that none ran twice.
   */
  executed: Record<string, number>;
}

export class SimVehicle {
  readonly vin: string;
  readonly id: number;
  readonly kind: VehicleKind;
  readonly state: VehicleState;
  readonly history: CommandRecord[] = [];
  readonly stats: ProtocolStats = {
    handshakes: { 2: 0, 3: 0 },
    commands: { 2: 0, 3: 0 },
    faults: {},
    executed: {},
  };
  /** Enrolled client keys (hex of the 65-byte public key). */
  readonly paired = new Map<string, Uint8Array>();
  readonly keys: Record<DomainNumber, VehicleKey>;
  readonly verifiers: Record<DomainNumber, Verifier>;
  sleepAfterMs: number;
  wakeDelayMs: number;
  /**
   * A MessageFault to answer the next verified signed command with (fault injection), to any
   * domain or only to `domain`, with tagged session info when `sessionInfo`.
   */
  pendingFault: { fault: number; domain?: DomainNumber; sessionInfo?: boolean } | undefined;
  readonly #now: () => number;
  #asleep: boolean;
  #wakeAt: number | undefined;
  #lastActive: number;
  #lastSync: number;

  constructor(o: SimVehicleOptions) {
    this.vin = o.vin;
    this.id = o.id;
    this.kind = o.kind;
    this.#now = o.now;
    this.state = initialState(o.kind, o.name);
    this.sleepAfterMs = o.sleepAfterMs ?? 10 * 60_000;
    this.wakeDelayMs = o.wakeDelayMs ?? 4_000;
    this.#asleep = o.asleep ?? false;
    this.#lastActive = this.#lastSync = o.now();
    this.keys = { 2: generateVehicleKey(), 3: generateVehicleKey() };
    this.verifiers = { 2: this.#verifier(2), 3: this.#verifier(3) };
  }

  #verifier(domain: DomainNumber): Verifier {
    return new Verifier({
      key: this.keys[domain],
      vin: this.vin,
      domain,
      now: this.#now,
      isAuthorized: (k) => this.kind !== 'unpaired' && this.paired.has(toHex(k)),
    });
  }

  /** Replaces a domain's vehicle key (both when omitted): every client session becomes invalid. */
  rotateKey(domain?: DomainNumber): void {
    for (const d of domain ? [domain] : ([2, 3] as const)) {
      this.keys[d] = generateVehicleKey();
      this.verifiers[d] = this.#verifier(d);
    }
  }

  pair(publicKey: Uint8Array): void {
    this.paired.set(toHex(publicKey), publicKey.slice());
  }

  unpair(publicKey: Uint8Array): void {
    this.paired.delete(toHex(publicKey));
  }

  /** Brings the simulated time forward: wake completes, idle cars fall asleep, state moves. */
  sync(): void {
    const now = this.#now();
    if (this.#wakeAt !== undefined && now >= this.#wakeAt) {
      this.#asleep = false;
      this.#wakeAt = undefined;
      this.#lastActive = now;
    }
    // A car busy at the start of the interval (charging, climate, sentry) stayed awake through it.
    if (this.#busy()) this.#lastActive = now;
    advance(this.state, now - this.#lastSync, now);
    this.#lastSync = now;
    if (this.#busy()) this.#lastActive = now;
    if (!this.#asleep && now - this.#lastActive >= this.sleepAfterMs) this.#asleep = true;
  }

  #busy(): boolean {
    const s = this.state;
    return !this.#asleep && (s.chargingState === 'Charging' || s.climateOn || s.sentryMode);
  }

  get online(): boolean {
    this.sync();
    return !this.#asleep;
  }

  get status(): 'online' | 'asleep' {
    return this.online ? 'online' : 'asleep';
  }

  /** Keeps the car awake (a command or data request). */
  touch(): void {
    this.#lastActive = this.#now();
  }

  /** `wake_up`: online after `wakeDelayMs`. Returns the state at the time of the call. */
  wake(): 'online' | 'asleep' {
    this.sync();
    if (!this.#asleep) {
      this.touch();
      return 'online';
    }
    this.#wakeAt ??= this.#now() + this.wakeDelayMs;
    if (this.wakeDelayMs <= 0) this.sync();
    return this.#asleep ? 'asleep' : 'online';
  }

  /** Puts the car to sleep now (tests, status page). */
  sleep(): void {
    this.sync();
    this.#asleep = true;
    this.#wakeAt = undefined;
  }

  #record(r: Omit<CommandRecord, 'at'>): void {
    this.history.unshift({ at: this.#now(), ...r });
    this.history.length = Math.min(this.history.length, HISTORY);
  }

  /** A REST `command/{name}`; `undefined` for a command the car does not know. */
  restCommand(name: string, body: CommandBody): RestCommandResult | undefined {
    this.sync();
    this.touch();
    const r = applyCommand(this.state, name, body, this.#now());
    if (r) this.#record({ via: 'rest', name, ...r });
    return r;
  }

  /** The vehicle side of `signed_command`: RoutableMessage in, RoutableMessage out. */
  handleSigned(bytes: Uint8Array): Uint8Array {
    this.sync();
    this.touch();
    let domain: DomainNumber = 3;
    try {
      const to = fromBinary(RoutableMessageSchema, bytes).toDestination?.subDestination;
      if (to?.case === 'domain' && to.value === 2) domain = 2;
    } catch {
      // The Verifier answers a DECODING fault.
    }
    const r = this.verifiers[domain].handle(bytes);
    if (r.kind === 'reply') {
      if (r.fault === 0) this.stats.handshakes[domain]++;
      else this.#fault(r.fault);
      return r.bytes;
    }
    const pending = this.pendingFault;
    if (r.signed && pending && (pending.domain === undefined || pending.domain === domain)) {
      this.pendingFault = undefined;
      this.#fault(pending.fault);
      return r.fail(pending.fault, { sessionInfo: pending.sessionInfo ?? false });
    }
    if (r.signed) this.stats.commands[domain]++;
    if (domain === 3) {
      if (!r.signed) return r.fail(MessageFault.INVALID_SIGNATURE);
      let cmd: DecodedCommand | undefined;
      try {
        cmd = decodeInfotainment(r.payload);
      } catch {
        return r.fail(MessageFault.DECODING);
      }
      const res = this.#apply(cmd, domain);
      return r.respond(toBinary(ResponseSchema, carServerResponse(res)));
    }
    let v: ReturnType<typeof decodeVcsec>;
    try {
      v = decodeVcsec(r.payload);
    } catch {
      return r.fail(MessageFault.DECODING);
    }
    if (v.kind === 'information') return r.respond(this.#information(v.type));
    if (!r.signed) return r.fail(MessageFault.INVALID_SIGNATURE);
    const res = this.#apply(v.kind === 'command' ? v.command : undefined, domain);
    const msg = create(
      FromVCSECMessageSchema,
      res.result
        ? {}
        : {
            subMessage: {
              case: 'nominalError',
              value: { genericError: GenericError_E.GENERICERROR_UNKNOWN },
            },
          },
    );
    return r.respond(toBinary(FromVCSECMessageSchema, msg));
  }

  #fault(fault: number): void {
    this.stats.faults[fault] = (this.stats.faults[fault] ?? 0) + 1;
  }

  #apply(cmd: DecodedCommand | undefined, domain: DomainNumber): RestCommandResult {
    const name = cmd?.name ?? 'unknown';
    if (cmd) {
      const key = Object.keys(cmd.body).length
        ? `${cmd.name} ${JSON.stringify(cmd.body)}`
        : cmd.name;
      this.stats.executed[key] = (this.stats.executed[key] ?? 0) + 1;
    }
    const res = (cmd && applyCommand(this.state, cmd.name, cmd.body, this.#now())) ?? {
      result: false,
      reason: 'command not supported by the simulator',
    };
    this.#record({ via: 'signed', domain, name, ...res });
    return res;
  }

  #information(type: number): Uint8Array {
    if (type === InformationRequestType.GET_WHITELIST_INFO) {
      const keys = this.kind === 'unpaired' ? [] : [...this.paired.values()];
      const msg = create(FromVCSECMessageSchema, {
        subMessage: {
          case: 'whitelistInfo',
          value: {
            numberOfEntries: keys.length,
            whitelistEntries: keys.map((k) => ({ publicKeySHA1: keyId(k) })),
            slotMask: (1 << keys.length) - 1,
          },
        },
      });
      return toBinary(FromVCSECMessageSchema, msg);
    }
    {
      const s = this.state;
      const c = (open: boolean) =>
        open ? ClosureState_E.CLOSURESTATE_OPEN : ClosureState_E.CLOSURESTATE_CLOSED;
      const msg = create(FromVCSECMessageSchema, {
        subMessage: {
          case: 'vehicleStatus',
          value: {
            closureStatuses: {
              frontDriverDoor: c(s.doors.df > 0),
              frontPassengerDoor: c(s.doors.pf > 0),
              rearDriverDoor: c(s.doors.dr > 0),
              rearPassengerDoor: c(s.doors.pr > 0),
              rearTrunk: c(s.trunkOpen),
              frontTrunk: c(s.frunkOpen),
              chargePort: c(s.chargePortOpen),
            },
            vehicleLockState: s.locked
              ? VehicleLockState_E.VEHICLELOCKSTATE_LOCKED
              : VehicleLockState_E.VEHICLELOCKSTATE_UNLOCKED,
            vehicleSleepStatus: VehicleSleepStatus_E.VEHICLE_SLEEP_STATUS_AWAKE,
          },
        },
      });
      return toBinary(FromVCSECMessageSchema, msg);
    }
  }
}

function carServerResponse(r: RestCommandResult) {
  return create(ResponseSchema, {
    actionStatus: {
      result: r.result ? CarStatus.OPERATIONSTATUS_OK : CarStatus.OPERATIONSTATUS_ERROR,
      ...(r.reason ? { resultReason: { reason: { case: 'plainText', value: r.reason } } } : {}),
    },
  });
}
