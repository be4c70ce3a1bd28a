/**
 * The `node:http` server helpers, written once for every server in the package (the MCP
 * endpoint and its OAuth routes, the proxy, the simulated Fleet API): a body read with a size
 * cap, and whole answers (JSON, text, bytes) with their `Content-Length`.
 *
 * @module
 */
import type { IncomingMessage, OutgoingHttpHeaders, ServerResponse } from 'node:http';

/** The request body exceeded its limit; answer 413. */
export class RequestTooLargeError extends Error {
  override readonly name = 'RequestTooLargeError';
  constructor(readonly limit: number) {
    super(`request body exceeds ${limit} bytes`);
  }
}

/**
 * Reads the whole body, refusing (without buffering) anything over `limit` bytes, whether the
 * `Content-Length` says so up front or the stream runs over.
 */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume();
    throw new RequestTooLargeError(limit);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) {
      req.resume();
      throw new RequestTooLargeError(limit);
    }
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

/**
 * Writes a whole answer: `headers` (names in any case; a later one wins over an earlier one of
 * the same name), then `body` with its `Content-Length`.
 */
export function sendBody(
  res: ServerResponse,
  status: number,
  body: string | Uint8Array,
  ...headers: OutgoingHttpHeaders[]
): void {
  const data = typeof body === 'string' ? Buffer.from(body) : body;
  const out: OutgoingHttpHeaders = {};
  for (const h of headers) {
    for (const [k, v] of Object.entries(h)) if (v !== undefined) out[k.toLowerCase()] = v;
  }
  out['content-length'] = data.byteLength;
  res.writeHead(status, out);
  res.end(data);
}

/** A JSON answer (`nosniff`); `headers` may replace the content type. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: OutgoingHttpHeaders = {},
): void {
  sendBody(res, status, JSON.stringify(body), JSON_HEADERS, headers);
}

/** A plain-text answer (`nosniff`). */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: OutgoingHttpHeaders = {},
): void {
  sendBody(res, status, text, TEXT_HEADERS, headers);
}

const JSON_HEADERS = { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' };
const TEXT_HEADERS = {
  'content-type': 'text/plain; charset=utf-8',
  'x-content-type-options': 'nosniff',
};

/** The media type of a request, lower-case, without parameters. */
export function mediaType(req: IncomingMessage): string {
  return (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}
