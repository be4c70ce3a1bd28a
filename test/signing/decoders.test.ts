/**
 * Every public decoder of `tesla-mcp/signing` (imported from its entry, src/signing/index.ts),
 * fed random input and mutations of valid input (bit flips, truncation, insertion, deletion,
 * overwrite), fails only with the library's typed `ProtocolError`; the vehicle-side `Verifier`
 * never throws at all.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  completeHandshake,
  createHandshake,
  createUnsignedRequest,
  decodeSessionInfo,
  fromBase64,
  openUnsignedResponse,
  PrivateKey,
  ProtocolError,
  PublicKey,
  Signer,
  signFleetTelemetryConfig,
  toBase64,
  Verifier,
  verifyJws,
} from '../../src/signing/index.js';
import { pair, TEST_VIN } from '../helpers/pair.js';

const RUNS = 300;

/** Calls `fn`; any throw must be a ProtocolError. Async results are awaited. */
async function onlyProtocolErrors(what: string, fn: () => unknown): Promise<void> {
  try {
    await fn();
  } catch (err) {
    assert.ok(err instanceof ProtocolError, `${what}: ${String(err)}`);
    assert.match(err.message, /^signing: /, what);
  }
}

type Edit =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'cut'; at: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'delete'; at: number; n: number }
  | { op: 'set'; at: number; byte: number };

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ op: fc.constant('flip' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  fc.record({ op: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({
    op: fc.constant('insert' as const),
    at: fc.nat(),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 8 }),
  }),
  fc.record({
    op: fc.constant('delete' as const),
    at: fc.nat(),
    n: fc.integer({ min: 1, max: 8 }),
  }),
  fc.record({ op: fc.constant('set' as const), at: fc.nat(), byte: fc.nat({ max: 255 }) }),
);

function mutate(input: Uint8Array, edits: readonly Edit[]): Uint8Array {
  let b = input.slice();
  for (const e of edits) {
    const at = b.length === 0 ? 0 : e.at % (b.length + 1);
    if (e.op === 'flip' && at < b.length) b[at] = (b[at] as number) ^ (1 << e.bit);
    else if (e.op === 'set' && at < b.length) b[at] = e.byte;
    else if (e.op === 'cut') b = b.slice(0, at);
    else if (e.op === 'delete') b = Uint8Array.from([...b.slice(0, at), ...b.slice(at + e.n)]);
    else if (e.op === 'insert')
      b = Uint8Array.from([...b.slice(0, at), ...e.bytes, ...b.slice(at)]);
  }
  return b;
}

/** Random bytes, or a mutation of one of `valid`. */
function bytesFrom(valid: readonly Uint8Array[]): fc.Arbitrary<Uint8Array> {
  return fc.oneof(
    fc.uint8Array({ maxLength: 400 }),
    fc
      .tuple(fc.constantFrom(...valid), fc.array(edit, { minLength: 1, maxLength: 4 }))
      .map(([v, edits]) => mutate(v, edits)),
  );
}

const latin1 = (b: Uint8Array) => Buffer.from(b).toString('latin1');
const ascii = (s: string) => Uint8Array.from(Buffer.from(s, 'latin1'));

/** Random strings, or mutations of one of `valid` (as bytes, read back as latin-1). */
function textFrom(valid: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength: 300 }),
    fc.string({ maxLength: 300, unit: 'binary' }),
    bytesFrom(valid.map(ascii)).map(latin1),
  );
}

test('protocol messages: handshake, command and unsigned replies, session info, exports', async () => {
  const p = await pair(3);
  const hs = createHandshake(p.client.publicKey, 3, { now: p.clock.now });
  const hsReply = p.verifier.handle(hs.bytes);
  assert.equal(hsReply.kind, 'reply');
  const req = p.signer.sign(Uint8Array.of(1), { now: p.clock.now });
  const cmd = p.verifier.handle(req.bytes);
  assert.equal(cmd.kind, 'command');
  if (cmd.kind !== 'command' || hsReply.kind !== 'reply') return;
  const unsigned = createUnsignedRequest(2, Uint8Array.of(0x0a, 0x00), { now: p.clock.now });
  const exported = p.signer.export(p.clock.now);
  const valid = [
    hsReply.bytes,
    cmd.respond(Uint8Array.of(0x0a, 0x00)),
    cmd.fail(5),
    exported.sessionInfo,
    hs.bytes,
    req.bytes,
    unsigned.bytes,
  ];
  await fc.assert(
    fc.asyncProperty(bytesFrom(valid), fc.double(), async (bytes, when) => {
      await onlyProtocolErrors('decodeSessionInfo', () => decodeSessionInfo(bytes));
      await onlyProtocolErrors('openResponse', () =>
        p.signer.openResponse({ ...req }, bytes, p.clock.now),
      );
      await onlyProtocolErrors('openUnsignedResponse', () => openUnsignedResponse(hs, bytes));
      await onlyProtocolErrors('completeHandshake', () =>
        completeHandshake({
          key: p.client,
          vin: TEST_VIN,
          request: hs,
          response: bytes,
          now: p.clock.now,
        }),
      );
      await onlyProtocolErrors('Signer.import', () =>
        Signer.import(p.client, TEST_VIN, 3, { sessionInfo: bytes, exportedAt: when }),
      );
      await onlyProtocolErrors('Signer.fromSessionInfo', () =>
        Signer.fromSessionInfo({
          key: p.client,
          vin: TEST_VIN,
          domain: 3,
          sessionInfo: bytes,
          tag: bytes.slice(0, 32),
          challenge: bytes.slice(0, 16),
        }),
      );
      const r = p.verifier.handle(bytes);
      assert.ok(r.kind === 'reply' || r.kind === 'command');
    }),
    { numRuns: RUNS },
  );
  // The session is intact after all of that.
  const fresh = new Verifier({ key: p.vehicleKey, vin: TEST_VIN, domain: 3 });
  assert.equal(fresh.handle(new Uint8Array()).kind, 'reply');
});

test('base64 and hex text: fromBase64, PublicKey.fromHex / parse', async () => {
  const key = PrivateKey.generate();
  const valid = [toBase64(key.publicKey), key.public.toHex(), 'AAEC', 'AAE', '-_-_', ''];
  await fc.assert(
    fc.asyncProperty(textFrom(valid), async (text) => {
      await onlyProtocolErrors('fromBase64', () => fromBase64(text));
      await onlyProtocolErrors('PublicKey.fromHex', () => PublicKey.fromHex(text));
      await onlyProtocolErrors('PublicKey.parse(string)', () => PublicKey.parse(text));
    }),
    { numRuns: RUNS },
  );
  assert.throws(
    () => fromBase64('AA*A'),
    (e) => e instanceof ProtocolError && e.code === 'decoding',
  );
  assert.throws(
    () => fromBase64('A'),
    (e) => e instanceof ProtocolError && e.code === 'decoding',
  );
});

test('keys: PEM and DER (public and private), raw points, scalars', async () => {
  const key = PrivateKey.generate();
  const pems = [key.toPem('sec1'), key.toPem('pkcs8'), key.public.toPem()];
  const der = (pem: string) => fromBase64(pem.replace(/-----[^-]+-----/g, ''));
  const valid = [key.publicKey, key.publicKey.slice(0, 33), ...pems.map(der), ...pems.map(ascii)];
  await fc.assert(
    fc.asyncProperty(bytesFrom(valid), textFrom(pems), async (bytes, text) => {
      await onlyProtocolErrors('PublicKey.fromBytes', () => PublicKey.fromBytes(bytes));
      await onlyProtocolErrors('PublicKey.parse(bytes)', () => PublicKey.parse(bytes));
      await onlyProtocolErrors('PrivateKey.fromScalar', () => PrivateKey.fromScalar(bytes));
      await onlyProtocolErrors('PublicKey.fromPem', () => PublicKey.fromPem(text));
      await onlyProtocolErrors('PrivateKey.fromPem', () => PrivateKey.fromPem(text));
      await onlyProtocolErrors('sessionKey', () => key.sessionKey(bytes));
    }),
    { numRuns: RUNS },
  );
});

test('fleet telemetry JWS: verifyJws', async () => {
  const key = PrivateKey.generate();
  const jws = signFleetTelemetryConfig(key, { hostname: 'telemetry.example.com', exp: 2e9 });
  await fc.assert(
    fc.asyncProperty(textFrom([jws]), async (text) => {
      try {
        verifyJws(text);
      } catch (err) {
        assert.ok(err instanceof ProtocolError && err.code === 'invalid-jws', String(err));
      }
    }),
    { numRuns: RUNS },
  );
});
