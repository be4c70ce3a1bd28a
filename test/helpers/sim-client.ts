/**
 * Shared helpers for the simulator tests: a fake clock, two commands (VCSEC lock, Infotainment
 * climate on), and a client-side signed round trip through the signing library
 * (`createHandshake` → `completeHandshake` → `Signer.sign` → `openResponse`).
 */
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import { ActionSchema, ResponseSchema } from '../../src/gen/car_server_pb.js';
import { RKEAction_E, UnsignedMessageSchema } from '../../src/gen/vcsec_pb.js';
import { completeHandshake, createHandshake } from '../../src/signing/handshake.js';
import type { KeyAgreement } from '../../src/signing/keys.js';
import type { Signer } from '../../src/signing/signer.js';

export interface FakeClock {
  now: () => number;
  advance(ms: number): void;
}

export function fakeClock(start = Date.UTC(2026, 5, 1, 12, 0, 0)): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

export const LOCK = toBinary(
  UnsignedMessageSchema,
  create(UnsignedMessageSchema, {
    subMessage: { case: 'RKEAction', value: RKEAction_E.RKE_ACTION_LOCK },
  }),
);

export const UNLOCK = toBinary(
  UnsignedMessageSchema,
  create(UnsignedMessageSchema, {
    subMessage: { case: 'RKEAction', value: RKEAction_E.RKE_ACTION_UNLOCK },
  }),
);

export const CLIMATE_ON = toBinary(
  ActionSchema,
  create(ActionSchema, {
    actionMsg: {
      case: 'vehicleAction',
      value: { vehicleActionMsg: { case: 'hvacAutoAction', value: { powerOn: true } } },
    },
  }),
);

export function setChargeLimit(percent: number): Uint8Array {
  return toBinary(
    ActionSchema,
    create(ActionSchema, {
      actionMsg: {
        case: 'vehicleAction',
        value: { vehicleActionMsg: { case: 'chargingSetLimitAction', value: { percent } } },
      },
    }),
  );
}

/** Anything that carries RoutableMessage bytes to a car (in process or over HTTP). */
export type Send = (vin: string, bytes: Uint8Array) => Promise<Uint8Array>;

export async function handshake(
  send: Send,
  key: KeyAgreement,
  vin: string,
  domain: 2 | 3,
  now: number,
): Promise<Signer> {
  const req = createHandshake(key.publicKey, domain, { now });
  const res = await send(vin, req.bytes);
  return completeHandshake({ key, vin, request: req, response: res, now });
}

/** Signs `payload`, sends it, and opens the reply (throws the signing library's errors). */
export async function signedCall(
  send: Send,
  signer: Signer,
  payload: Uint8Array,
  now: number,
): Promise<Uint8Array> {
  const req = signer.sign(payload, { now });
  const res = await send(signer.vin, req.bytes);
  return signer.openResponse(req, res, now).payload;
}

export function carServerReason(payload: Uint8Array): { ok: boolean; reason: string } {
  const r = fromBinary(ResponseSchema, payload);
  const reason = r.actionStatus?.resultReason?.reason;
  return {
    ok: r.actionStatus?.result === 0,
    reason: reason?.case === 'plainText' ? reason.value : '',
  };
}
