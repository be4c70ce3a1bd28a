/**
 * The proxy's answers in the Go `tesla-http-proxy` shapes (vehicle-command `pkg/proxy/proxy.go`,
 * `pkg/proxy/command.go`), and the
 * mapping of vehicle errors to HTTP statuses that keep their meaning where the Go proxy answers
 * 500: asleep/offline → 408, key not paired → 412 (with the pairing link), rate limited → 429
 * with `Retry-After`, an unknown outcome → 504 saying the command may have executed.
 *
 * @module
 */
import { VehicleCommandError } from '../vehicle/errors.js';

export interface ProxyAnswer {
  status: number;
  body: string | Uint8Array;
  /** Extra headers; a JSON content type is assumed for string bodies without one. */
  headers?: Record<string, string | string[]>;
}

/** `{"response":{"result":true,"reason":""}}` and its NominalError twin. */
export function commandResult(result: boolean, reason: string, status = 200): ProxyAnswer {
  const body = result
    ? { response: { result: true, reason } }
    : { response: { result: false, reason }, error: '', error_description: '' };
  return { status, body: `${JSON.stringify(body)}\n` };
}

/** `{"response":null,"error":"…","error_description":""}`. */
export function errorBody(status: number, error: string, description = ''): ProxyAnswer {
  const body = { response: null, error, error_description: description };
  return { status, body: `${JSON.stringify(body)}\n` };
}

export const MISSING_TOKEN = (): ProxyAnswer =>
  errorBody(403, 'client did not provide an OAuth token');
export const BAD_VIN = (): ProxyAnswer =>
  errorBody(404, 'expected 17-character VIN in path (do not user Fleet API ID)');
export const INVALID_COMMAND = (): ProxyAnswer => errorBody(400, 'invalid_command');
export const METHOD_NOT_ALLOWED = (): ProxyAnswer => errorBody(405, 'method not allowed');

/** A parameter error (`CommandParamError`, `RangeError`): 400 with the Go NominalError body. */
export function paramError(message: string): ProxyAnswer {
  return commandResult(false, message, 400);
}

/** The short Tesla-style `error` text for each vehicle error code. */
const STATUS: Record<VehicleCommandError['code'], { status: number; error: string }> = {
  asleep: { status: 408, error: 'vehicle unavailable: vehicle is offline or asleep' },
  rate_limited: { status: 429, error: 'rate limited' },
  region: { status: 421, error: 'misdirected request' },
  unauthorized: { status: 401, error: 'invalid bearer token' },
  forbidden: { status: 403, error: 'unauthorized' },
  not_registered: { status: 412, error: 'application not registered in this region' },
  key_not_paired: {
    status: 412,
    error: 'vehicle rejected request: your public key has not been paired with the vehicle',
  },
  key_changed: { status: 412, error: 'vehicle rejected our session: its key may have changed' },
  unknown_outcome: { status: 504, error: 'command outcome unknown: it may have executed' },
  fault: { status: 200, error: '' },
  command_failed: { status: 200, error: '' },
  busy: { status: 503, error: 'vehicle busy' },
  deadline: { status: 504, error: 'no answer before the deadline: the command did not run' },
  protocol_not_supported: { status: 422, error: 'vehicle does not support the protocol' },
  signing_required: { status: 403, error: 'Tesla Vehicle Command Protocol required' },
  http_error: { status: 502, error: 'fleet api error' },
  bad_reply: { status: 502, error: 'bad reply from the vehicle' },
  state_unavailable: {
    status: 503,
    error: 'shared state store unavailable: the command did not run',
  },
};

/** The reason text: the vehicle layer's message without its `vehicle: ` prefix. */
function reasonOf(err: Error): string {
  return err.message.replace(/^vehicle: /, '');
}

/**
 * A vehicle error as an answer. The vehicle declining a command (a fault, a nominal error) is the
 * Go proxy's `result:false` with a reason; every other error keeps a status that says what it
 * is, with `response.reason` and `error_description` giving the next step.
 */
export function vehicleErrorAnswer(err: VehicleCommandError): ProxyAnswer {
  // The proxy's callers bring their own tokens: `tesla-mcp login` is not their fix.
  const reason =
    err.code === 'unauthorized'
      ? "the Fleet API refused the caller's access token: refresh the token, then retry"
      : reasonOf(err);
  const map = STATUS[err.code];
  if (map.status === 200) {
    // The Go proxy's NominalError text, e.g. "car could not execute command: <why>".
    const suffix = ` (${err.vin})`;
    return commandResult(false, reason.endsWith(suffix) ? reason.slice(0, -suffix.length) : reason);
  }
  let status = map.status;
  if (err.code === 'http_error' && err.status !== undefined && err.status >= 400) {
    status = err.status;
  }
  const headers: Record<string, string> = {};
  if (err.retryAfterSeconds !== undefined) headers['retry-after'] = String(err.retryAfterSeconds);
  const body = {
    response: { result: false, reason },
    error: map.error,
    error_description: reason,
  };
  return { status, body: `${JSON.stringify(body)}\n`, headers };
}

/** Anything else (a bug, an unexpected failure): 500 in the Go shape, with no secret in it. */
export function internalError(err: unknown): ProxyAnswer {
  if (err instanceof VehicleCommandError) return vehicleErrorAnswer(err);
  const msg = err instanceof Error ? err.message : String(err);
  return errorBody(500, msg.replace(/Bearer\s+\S+/gi, 'Bearer [redacted]'));
}
