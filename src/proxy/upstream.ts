/**
 * One HTTP exchange with the Fleet API on behalf of a caller, with the caller's own
 * `Authorization` header (the proxy never stores user tokens). Shared by the forwarder and the
 * per-request {@link FleetTransport}: picks the host (`fleet-host.ts`), follows a 421 to another
 * Tesla host once (remembered per token subject, after a short pause, as the Go proxy does), caps
 * the response body, and turns transport failures into typed errors.
 *
 * @module
 */
import { setTimeout as delay } from 'node:timers/promises';
import { type Dispatcher, request } from 'undici';
import { baseUrlFor, type HostMemory, misdirectedHost } from './fleet-host.js';

/** The Go proxy's cap on a forwarded response body. */
export const MAX_RESPONSE_BYTES = 10_000_000;
/** The Go proxy's pause before retrying on the host a 421 named. */
export const MISDIRECTED_DELAY_MS = 1000;

export type HeaderMap = Record<string, string | string[] | undefined>;

/** What each caller request brings: its credentials and the proxy-wide settings. */
export interface UpstreamContext {
  /** The caller's `Authorization` header value, forwarded verbatim. */
  readonly authorization: string;
  /** The bearer token inside it (for the host choice only). */
  readonly token: string;
  readonly memory: HostMemory;
  /** `TESLA_FLEET_API_URL`, when set. */
  readonly fleetApiUrl?: string | undefined;
  readonly dispatcher?: Dispatcher | undefined;
  readonly userAgent: string;
  readonly misdirectedDelayMs?: number | undefined;
  readonly maxResponseBytes?: number | undefined;
}

export interface UpstreamRequest {
  method: string;
  /** Path and query, e.g. `/api/1/vehicles?page=2`. */
  pathAndQuery: string;
  headers?: HeaderMap;
  body?: Uint8Array | string | undefined;
  signal?: AbortSignal | undefined;
}

export interface UpstreamResponse {
  status: number;
  headers: HeaderMap;
  body: Buffer;
}

/** Why no usable answer came back; `sent` when the request may have reached the Fleet API. */
export class UpstreamError extends Error {
  override readonly name = 'UpstreamError';
  readonly kind: 'timeout' | 'network' | 'too-large';
  readonly sent: boolean;

  constructor(kind: UpstreamError['kind'], message: string, sent: boolean, cause?: unknown) {
    super(message, { cause });
    this.kind = kind;
    this.sent = sent;
  }
}

/** Errors raised before a byte was written: the request certainly did not reach Tesla. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 3 && e instanceof Error; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = e.cause;
  }
  return undefined;
}

function isAbortLike(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || err.name === 'TimeoutError');
}

async function readCapped(body: AsyncIterable<Buffer>, max: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > max) {
      throw new UpstreamError('too-large', `fleet: response exceeds ${max} bytes`, true);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export function headerValue(headers: HeaderMap, name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v.join(', ') : v;
}

async function once(
  ctx: UpstreamContext,
  baseUrl: string,
  req: UpstreamRequest,
): Promise<UpstreamResponse> {
  const headers: HeaderMap = { ...req.headers };
  headers.authorization = ctx.authorization;
  headers['user-agent'] ??= ctx.userAgent;
  try {
    const res = await request(`${baseUrl}${req.pathAndQuery}`, {
      method: req.method as 'GET',
      headers: headers as Record<string, string | string[]>,
      body: req.body ?? null,
      signal: req.signal,
      ...(ctx.dispatcher ? { dispatcher: ctx.dispatcher } : {}),
    });
    const body = await readCapped(res.body, ctx.maxResponseBytes ?? MAX_RESPONSE_BYTES);
    return { status: res.statusCode, headers: res.headers as HeaderMap, body };
  } catch (err) {
    if (err instanceof UpstreamError) throw err;
    if (isAbortLike(err) || req.signal?.aborted) {
      throw new UpstreamError('timeout', 'fleet: no answer before the deadline', true, err);
    }
    const code = errorCode(err);
    const sent = !(code && NOT_SENT.has(code));
    throw new UpstreamError(
      'network',
      `fleet: request failed${code ? ` (${code})` : ''}`,
      sent,
      err,
    );
  }
}

/**
 * Sends `req` to the caller's Fleet API host; on a 421 naming another Tesla host, remembers it
 * for the token's subject and retries there once. Answers of any status are returned as they
 * are; only the absence of an answer throws {@link UpstreamError}.
 */
export async function upstream(
  ctx: UpstreamContext,
  req: UpstreamRequest,
): Promise<UpstreamResponse> {
  const { baseUrl, subject } = baseUrlFor(ctx.token, ctx.memory, ctx.fleetApiUrl);
  const res = await once(ctx, baseUrl, req);
  if (res.status !== 421) return res;
  const host = misdirectedHost(headerValue(res.headers, 'alt-svc'), res.body.toString('utf8'));
  if (!host || `https://${host}` === baseUrl) return res;
  ctx.memory.set(subject, host);
  const wait = ctx.misdirectedDelayMs ?? MISDIRECTED_DELAY_MS;
  if (wait > 0) {
    try {
      await delay(wait, undefined, req.signal ? { signal: req.signal } : {});
    } catch (err) {
      // The 421 means nothing ran; the deadline passed before the retry.
      throw new UpstreamError('timeout', 'fleet: no answer before the deadline', false, err);
    }
  }
  return once(ctx, `https://${host}`, req);
}
