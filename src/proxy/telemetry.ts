/**
 * `/api/1/vehicles/fleet_telemetry_config`, as tesla-http-proxy serves it: the caller's
 * `{"vins":[…],"config":{…}}` is signed as a `Tesla.SS256` JWS with our command key (the key the
 * cars know) and sent to `POST /api/1/vehicles/fleet_telemetry_config_jws` as
 * `{"token":"<jws>","vins":[…]}` with the caller's token. Tesla's answer comes back as it came.
 *
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import { TELEMETRY_CONFIG_JWS_PATH } from '../fleet/api/telemetry.js';
import { forward } from './forward.js';
import { errorBody, type ProxyAnswer } from './responses.js';
import type { Caller } from './transport.js';

/** The route the proxy answers (its callers' path); the signed config goes on to Tesla's. */
export const TELEMETRY_CONFIG_PATH = '/api/1/vehicles/fleet_telemetry_config';

/** Signs a fleet telemetry config (`signFleetTelemetryConfig` bound to our key). */
export type TelemetrySigner = (config: Record<string, unknown>) => string;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export interface TelemetryRequest {
  headers: IncomingHttpHeaders;
  query: string;
  body: Buffer;
  clientIp?: string | undefined;
  signal?: AbortSignal | undefined;
}

export async function telemetryConfig(
  caller: Caller,
  sign: TelemetrySigner | undefined,
  req: TelemetryRequest,
  warn: (line: string) => void,
): Promise<ProxyAnswer> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString('utf8'));
  } catch {
    return errorBody(400, 'invalid JSON: expected {"vins":[...],"config":{...}}');
  }
  if (!isObject(parsed) || !isObject(parsed.config)) {
    return errorBody(400, 'expected {"vins":[...],"config":{...}}');
  }
  const vins = parsed.vins ?? [];
  if (!Array.isArray(vins) || !vins.every((v) => typeof v === 'string')) {
    return errorBody(400, 'expected "vins" to be an array of VIN strings');
  }
  if (!sign) {
    return errorBody(500, 'no command key to sign the telemetry config: set TESLA_KEY_FILE');
  }
  if ('aud' in parsed.config || 'iss' in parsed.config) {
    warn('telemetry config: "aud"/"iss" in the config are replaced by the signed values');
  }
  let token: string;
  try {
    token = sign(parsed.config);
  } catch (err) {
    return errorBody(400, `cannot sign the telemetry config: ${(err as Error).message}`);
  }
  const headers: IncomingHttpHeaders = { ...req.headers, 'content-type': 'application/json' };
  return forward(caller, {
    method: 'POST',
    pathAndQuery: `${TELEMETRY_CONFIG_JWS_PATH}${req.query}`,
    headers,
    body: Buffer.from(JSON.stringify({ token, vins })),
    clientIp: req.clientIp,
    signal: req.signal,
  });
}
