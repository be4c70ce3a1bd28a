/**
 * The application layer of a reply, after the signer has authenticated and decrypted it:
 * Infotainment `CarServer.Response` (`actionStatus` OK=0 / ERROR=1 with a reason text) and
 * VCSEC `FromVCSECMessage` (no payload = done; `nominalError`; `commandStatus` WAIT = busy,
 * ERROR with a whitelist or signed-message status). Mirrors vehicle-command
 * pkg/vehicle/infotainment.go and vcsec.go (`pkg/protocol/protocol.md` "Infotainment
 * application-layer responses", "VCSEC application-layer responses").
 *
 * @module
 */
import { fromBinary } from '@bufbuild/protobuf';
import {
  type Response as CarServerResponse,
  OperationStatus_E as CarServerStatus,
  ResponseSchema,
} from '../gen/car_server_pb.js';
import { GenericError_E } from '../gen/errors_pb.js';
import {
  type FromVCSECMessage,
  FromVCSECMessageSchema,
  SignedMessage_information_E,
  OperationStatus_E as VcsecStatus,
  WhitelistOperation_information_E,
} from '../gen/vcsec_pb.js';

export type AppReply =
  | { kind: 'ok'; reason: string; response: CarServerResponse | FromVCSECMessage }
  /** The vehicle is busy: re-sign and resend after a pause. */
  | { kind: 'busy'; message: string }
  /** The vehicle declined the command; not retried. `reason`: its own text, when it gave one. */
  | { kind: 'refused'; message: string; reason?: string }
  /** VCSEC does not know our key. */
  | { kind: 'not-paired'; message: string }
  /** The reply cannot be understood: the command may have executed. */
  | { kind: 'unreadable'; message: string };

function enumName(e: Record<number, string>, n: number, prefix: string): string {
  const name = e[n];
  return name ? name.replace(prefix, '').toLowerCase() : `code ${n}`;
}

/** Reads a CarServer.Response. */
export function parseInfotainmentReply(payload: Uint8Array): AppReply {
  let res: CarServerResponse;
  try {
    res = fromBinary(ResponseSchema, payload);
  } catch {
    return { kind: 'unreadable', message: 'the Infotainment reply is not a CarServer.Response' };
  }
  const status = res.actionStatus;
  const reason =
    status?.resultReason?.reason.case === 'plainText' ? status.resultReason.reason.value : '';
  if (status?.result === CarServerStatus.OPERATIONSTATUS_ERROR) {
    return {
      kind: 'refused',
      message: `car could not execute command: ${reason || 'unspecified error'}`,
      reason,
    };
  }
  return { kind: 'ok', reason, response: res };
}

/** Reads a FromVCSECMessage (an empty payload is success). */
export function parseVcsecReply(payload: Uint8Array): AppReply {
  let res: FromVCSECMessage;
  try {
    res = fromBinary(FromVCSECMessageSchema, payload);
  } catch {
    return { kind: 'unreadable', message: 'the VCSEC reply is not a FromVCSECMessage' };
  }
  const sub = res.subMessage;
  if (sub.case === 'nominalError') {
    const why = enumName(GenericError_E, sub.value.genericError, 'GENERICERROR_');
    return { kind: 'refused', message: `vcsec could not execute command: ${why}` };
  }
  if (sub.case !== 'commandStatus') return { kind: 'ok', reason: '', response: res };
  const cs = sub.value;
  if (cs.operationStatus === VcsecStatus.OPERATIONSTATUS_WAIT) {
    return { kind: 'busy', message: 'vehicle security controller is busy' };
  }
  if (cs.operationStatus !== VcsecStatus.OPERATIONSTATUS_ERROR) {
    return { kind: 'ok', reason: '', response: res };
  }
  const detail = cs.subMessage;
  if (detail.case === 'whitelistOperationStatus') {
    const info = detail.value.whitelistOperationInformation;
    if (
      info ===
      WhitelistOperation_information_E.WHITELISTOPERATION_INFORMATION_PUBLIC_KEY_NOT_ON_WHITELIST
    ) {
      return { kind: 'not-paired', message: 'public key not on the whitelist' };
    }
    const why = enumName(WhitelistOperation_information_E, info, 'WHITELISTOPERATION_INFORMATION_');
    return { kind: 'refused', message: `vcsec keychain operation failed: ${why}` };
  }
  if (detail.case === 'signedMessageStatus') {
    const info = detail.value.signedMessageInformation;
    if (info === SignedMessage_information_E.SIGNEDMESSAGE_INFORMATION_FAULT_NOT_ON_WHITELIST) {
      return { kind: 'not-paired', message: 'public key not on the whitelist' };
    }
    const why = enumName(SignedMessage_information_E, info, 'SIGNEDMESSAGE_INFORMATION_');
    return { kind: 'refused', message: `vcsec rejected the message: ${why}` };
  }
  return { kind: 'refused', message: 'vcsec could not execute command: unknown error' };
}
