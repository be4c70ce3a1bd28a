/**
 * Bounded response bodies: a Fleet or OAuth answer is read up to a limit (10 MB by default, like
 * Tesla's proxy) and the rest is discarded, so a broken server cannot exhaust memory.
 *
 * @module
 */

export const DEFAULT_MAX_BODY_BYTES = 10_000_000;

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

type BodyStream = AsyncIterable<Uint8Array> & { destroy?: (err?: Error) => unknown };

/** Reads an undici body stream as UTF-8 up to `max` bytes; throws {@link BodyTooLargeError} past it. */
export async function readBounded(body: BodyStream, max = DEFAULT_MAX_BODY_BYTES): Promise<string> {
  return (await readBoundedBytes(body, max)).toString('utf8');
}

/** Reads an undici body stream up to `max` bytes. */
export async function readBoundedBytes(
  body: BodyStream,
  max = DEFAULT_MAX_BODY_BYTES,
): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.byteLength;
    if (size > max) {
      body.destroy?.();
      throw new BodyTooLargeError(`fleet: response larger than ${max} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** JSON.parse that returns undefined for empty or non-JSON text. */
export function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
