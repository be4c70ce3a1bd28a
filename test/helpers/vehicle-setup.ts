/**
 * Shared set-up for the vehicle-layer tests: a client key, an in-process transport with one
 * paired car, and a dispatcher with a fake sleep (no real waiting), plus two commands.
 */
import { create, toBinary } from '@bufbuild/protobuf';
import { ActionSchema } from '../../src/gen/car_server_pb.js';
import { RKEAction_E, UnsignedMessageSchema } from '../../src/gen/vcsec_pb.js';
import { Dispatcher, type DispatcherOptions } from '../../src/vehicle/dispatcher.js';
import type { SessionCache } from '../../src/vehicle/session-cache.js';
import type { VehicleCommand } from '../../src/vehicle/types.js';
import type { Vehicle } from '../../src/vehicle/vehicle.js';
import { type NodeKey, nodeKey } from './node-key.js';
import { type SimCar, VerifierTransport } from './verifier-transport.js';

export const VIN = '5YJ3E1EA7JF000001';

/** VCSEC `UnsignedMessage { RKEAction: RKE_ACTION_LOCK }` (door_lock). */
export const LOCK: VehicleCommand = {
  domain: 2,
  payload: toBinary(
    UnsignedMessageSchema,
    create(UnsignedMessageSchema, {
      subMessage: { case: 'RKEAction', value: RKEAction_E.RKE_ACTION_LOCK },
    }),
  ),
};

/** Infotainment `Action { vehicleAction { hvacAutoAction { powerOn: true } } }`. */
export const CLIMATE_ON: VehicleCommand = {
  domain: 3,
  payload: toBinary(
    ActionSchema,
    create(ActionSchema, {
      actionMsg: {
        case: 'vehicleAction',
        value: { vehicleActionMsg: { case: 'hvacAutoAction', value: { powerOn: true } } },
      },
    }),
  ),
};

export interface Setup {
  key: NodeKey;
  transport: VerifierTransport;
  car: SimCar;
  dispatcher: Dispatcher;
  vehicle: Vehicle;
  sleeps: number[];
  warnings: string[];
}

export function setup(
  o: Partial<DispatcherOptions> & {
    key?: NodeKey;
    transport?: VerifierTransport;
    paired?: boolean;
    cache?: SessionCache;
  } = {},
): Setup {
  const key = o.key ?? nodeKey();
  const transport = o.transport ?? new VerifierTransport();
  let car: SimCar;
  try {
    car = transport.car(VIN);
  } catch {
    car = transport.addCar(VIN);
  }
  if (o.paired !== false) car.pair(key.publicKey);
  const sleeps: number[] = [];
  const warnings: string[] = [];
  const { key: _k, transport: _t, paired: _p, ...rest } = o;
  const dispatcher = new Dispatcher({
    key,
    transport,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    warn: (m) => warnings.push(m),
    ...rest,
  });
  return { key, transport, car, dispatcher, vehicle: dispatcher.vehicle(VIN), sleeps, warnings };
}
