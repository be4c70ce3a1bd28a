/**
 * The pass-through route (`forwardRequest` in vehicle-command `pkg/proxy/proxy.go`): every path the proxy does not
 * handle itself goes to the Fleet API with the caller's method, path, query, headers (minus
 * hop-by-hop ones) and body intact, and the answer comes back the same way, through the Fleet
 * client's pass-through mode (`FleetHttp.passThrough`: the caller's token, the 421 host switch,
 * the body cap). A body over the cap gives 502, no answer before the deadline 504, a transport
 * failure 502.
 *
 * @module
 */
import type { IncomingHttpHeaders } from 'node:http';
import { FleetApiError } from '../fleet/errors.js';
import type { HeaderMap } from '../fleet/http.js';
import { errorBody, type ProxyAnswer } from './responses.js';
import type { Caller } from './transport.js';

/** Never forwarded in either direction (RFC 9110 §7.6.1, and what undici sets itself). */
const HOP_BY_HOP = new Set([
  'connection',
  'proxy-connection',
  'keep-alive',
  'transfer-encoding',
  'te',
  'trailer',
  'upgrade',
  'proxy-authorization',
  'proxy-authenticate',
  'host',
  'content-length',
  'expect',
]);

function connectionTokens(v: string | string[] | undefined): Set<string> {
  const text = Array.isArray(v) ? v.join(',') : (v ?? '');
  return new Set(
    text
      .split(',')
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  );
}

/** Headers minus hop-by-hop ones and those the `Connection` header names. */
export function endToEndHeaders(headers: IncomingHttpHeaders | HeaderMap): HeaderMap {
  const named = connectionTokens(headers.connection);
  const out: HeaderMap = {};
  for (const [k, v] of Object.entries(headers)) {
    const key = k.toLowerCase();
    if (v === undefined || HOP_BY_HOP.has(key) || named.has(key)) continue;
    out[key] = v;
  }
  return out;
}

export interface ForwardRequest {
  method: string;
  pathAndQuery: string;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The caller's address, appended to `X-Forwarded-For`. */
  clientIp?: string | undefined;
  signal?: AbortSignal | undefined;
}

/** Builds the request headers: end-to-end ones, `X-Forwarded-For` flattened and extended. */
function requestHeaders(req: ForwardRequest): HeaderMap {
  const headers = endToEndHeaders(req.headers);
  delete headers.authorization; // the Fleet client sets the caller's own token again
  const xff = headers['x-forwarded-for'];
  const prior = Array.isArray(xff) ? xff.join(', ') : xff;
  if (req.clientIp) {
    headers['x-forwarded-for'] = prior ? `${prior}, ${req.clientIp}` : req.clientIp;
  }
  return headers;
}

/** Forwards one request and returns Tesla's answer as it came (minus hop-by-hop headers). */
export async function forward(caller: Caller, req: ForwardRequest): Promise<ProxyAnswer> {
  const method = req.method.toUpperCase();
  const hasBody = req.body.length > 0 || !(method === 'GET' || method === 'HEAD');
  try {
    const res = await caller.fleet.http.passThrough({
      method,
      pathAndQuery: req.pathAndQuery,
      headers: requestHeaders(req),
      body: hasBody ? req.body : undefined,
      bearer: caller.bearer,
      signal: req.signal,
    });
    const headers: Record<string, string | string[]> = {};
    for (const [k, v] of Object.entries(endToEndHeaders(res.headers))) {
      if (v !== undefined) headers[k] = v;
    }
    return { status: res.status, body: res.body, headers };
  } catch (err) {
    const none = err instanceof FleetApiError ? err.noAnswer : undefined;
    if (none === 'timeout' || (req.signal?.aborted && !none)) {
      return errorBody(504, 'fleet api did not answer before the deadline');
    }
    if (none === 'too_large') return errorBody(502, 'fleet api response exceeds the size limit');
    if (err instanceof FleetApiError && none === 'network') {
      return errorBody(502, `fleet api request failed (${err.error ?? 'connection failed'})`);
    }
    throw err;
  }
}
