import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { ProtocolError } from '../../src/signing/errors.js';
import {
  FLEET_TELEMETRY_AUDIENCE,
  signFleetTelemetryConfig,
  signJws,
  signVehicleJws,
  verifyJws,
} from '../../src/signing/jws.js';
import { PrivateKey } from '../../src/signing/keys.js';
import { schnorrVerify } from '../../src/signing/schnorr.js';
import { hex, loadVector, toHex } from '../helpers/vectors.js';

const upstream = () => loadVector('jws.json', 'authentication.jwt.TestVerify');
const b64url = (s: string) => Buffer.from(s, 'base64url');
const key = PrivateKey.fromScalar(hex(`${'11'.repeat(31)}01`));

const isInvalidJws = (err: unknown) => {
  assert.ok(err instanceof ProtocolError, `expected ProtocolError, got ${String(err)}`);
  assert.equal(err.code, 'invalid-jws');
  return true;
};

test('upstream JWT TestVerify: verifies, with the documented header, claims and signature', () => {
  const v = upstream();
  const token = v.input.token as string;
  const out = verifyJws(token);
  assert.equal(toHex(out.publicKey), v.input.public_key);
  assert.deepEqual(out.header, JSON.parse(v.expected.header_json));
  assert.deepEqual(out.claims, JSON.parse(v.expected.payload_json));
  assert.equal(out.claims.foo, v.expected.claim_foo);
  const [h, p, s] = token.split('.') as [string, string, string];
  assert.equal(`${h}.${p}`, v.expected.signing_input);
  assert.equal(b64url(s).toString('hex'), v.expected.signature_96_bytes);
  assert.equal(schnorrVerify(hex(v.input.public_key), Buffer.from(`${h}.${p}`), b64url(s)), true);
  // Options that hold.
  verifyJws(token, {
    audience: 'com.tesla.vehicle.M3TERASHIMABUCK01',
    publicKey: hex(v.input.public_key),
  });
});

test('upstream JWT: flipping any signature bit or any claims byte fails', () => {
  const token = upstream().input.token as string;
  const [h, p, s] = token.split('.') as [string, string, string];
  const sig = b64url(s);
  for (let bit = 0; bit < sig.length * 8; bit++) {
    const bad = Buffer.from(sig);
    bad[bit >> 3] = (bad[bit >> 3] as number) ^ (1 << (bit & 7));
    assert.throws(() => verifyJws(`${h}.${p}.${bad.toString('base64url')}`), isInvalidJws);
  }
  const claims = b64url(p);
  for (let i = 0; i < claims.length; i++) {
    const bad = Buffer.from(claims);
    bad[i] = (bad[i] as number) ^ 0x01;
    assert.throws(() => verifyJws(`${h}.${bad.toString('base64url')}.${s}`), isInvalidJws, `${i}`);
  }
});

test('negative cases: alg, shape, encoding, iss, aud, key, signature length', () => {
  const token = upstream().input.token as string;
  const [h, p, s] = token.split('.') as [string, string, string];
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const claims = JSON.parse(b64url(p).toString());
  const cases: [string, string, RegExp][] = [
    ['two parts', `${h}.${p}`, /3 dot-separated parts/],
    ['four parts', `${token}.x`, /3 dot-separated parts/],
    ['alg ES256', `${enc({ alg: 'ES256', typ: 'JWT' })}.${p}.${s}`, /expected alg Tesla\.SS256/],
    ['alg none', `${enc({ alg: 'none' })}.${p}.`, /expected alg/],
    ['header not JSON', `${Buffer.from('{').toString('base64url')}.${p}.${s}`, /not valid JSON/],
    ['header array', `${enc([1])}.${p}.${s}`, /not a JSON object/],
    ['padding in segment', `${h}=.${p}.${s}`, /not base64url/],
    ['standard base64 chars', `${h}.${p}.${s}+`, /not base64url/],
    ['no iss', `${h}.${enc({ ...claims, iss: undefined })}.${s}`, /iss/],
    ['iss not a point', `${h}.${enc({ ...claims, iss: 'AAAA' })}.${s}`, /iss/],
    ['empty signature', `${h}.${p}.`, /96-byte signature/],
    ['short signature', `${h}.${p}.${s.slice(0, -4)}`, /96-byte signature/],
    // Same claims, keys in another order: other bytes, so the signature no longer holds.
    ['claims reordered', `${h}.${enc({ foo: claims.foo, ...claims })}.${s}`, /does not verify/],
  ];
  for (const [name, bad, message] of cases) {
    assert.throws(
      () => verifyJws(bad),
      (e: unknown) => isInvalidJws(e) && message.test((e as Error).message),
      name,
    );
  }
  assert.throws(() => verifyJws(token, { audience: FLEET_TELEMETRY_AUDIENCE }), /expected aud/);
  assert.throws(() => verifyJws(token, { publicKey: key.publicKey }), /different key/);
  assert.throws(() => verifyJws(42 as unknown as string), isInvalidJws);
});

test('signFleetTelemetryConfig: iss and aud override caller values; verify round-trips', () => {
  const config = {
    hostname: 'telemetry.example.com',
    port: 443,
    fields: { BatteryLevel: { interval_seconds: 60 } },
    iss: 'spoofed',
    aud: 'spoofed',
  };
  const token = signFleetTelemetryConfig(key, config);
  const [h, p] = token.split('.') as [string, string, string];
  assert.equal(h, 'eyJhbGciOiJUZXNsYS5TUzI1NiIsInR5cCI6IkpXVCJ9');
  const out = verifyJws(token, { audience: FLEET_TELEMETRY_AUDIENCE, publicKey: key.publicKey });
  assert.equal(out.claims.aud, 'com.tesla.fleet.TelemetryClient');
  assert.equal(out.claims.iss, Buffer.from(key.publicKey).toString('base64'));
  assert.match(out.claims.iss as string, /=$/, 'standard base64 with padding');
  assert.deepEqual(out.claims.fields, config.fields);
  assert.equal(config.iss, 'spoofed', 'the caller object is not modified');
  // Go writes map keys sorted: the payload is byte-for-byte what tesla-jws would sign.
  assert.equal(
    b64url(p).toString(),
    `{"aud":"com.tesla.fleet.TelemetryClient","fields":{"BatteryLevel":{"interval_seconds":60}},"hostname":"telemetry.example.com","iss":"${out.claims.iss}","port":443}`,
  );
  assert.equal(signFleetTelemetryConfig(key, config), token, 'deterministic');
});

test('signVehicleJws: aud com.tesla.vehicle.<VIN>.<app>; Go-style HTML escaping', () => {
  const token = signVehicleJws(key, '5YJ30123456789ABC', 'TelemetryClient', { note: '<a&b>' });
  const out = verifyJws(token, { audience: 'com.tesla.vehicle.5YJ30123456789ABC.TelemetryClient' });
  assert.equal(out.claims.note, '<a&b>');
  assert.match(b64url(token.split('.')[1] as string).toString(), /\\u003ca\\u0026b\\u003e/);
  assert.throws(() => signVehicleJws(key, '5YJ/../x', 'App', {}), ProtocolError);
  assert.throws(() => signVehicleJws(key, '5YJ30123456789ABC', '', {}), ProtocolError);
});

test('sign rejects claims that are not a JSON object', () => {
  for (const bad of [null, [], 'x', 1]) {
    assert.throws(
      () => signJws(key, bad as unknown as Record<string, unknown>, 'aud'),
      ProtocolError,
    );
  }
  const cyclic: Record<string, unknown> = {};
  cyclic.self = cyclic;
  assert.throws(() => signJws(key, cyclic, 'aud'), ProtocolError);
  assert.throws(() => signJws(key, { n: 1n }, 'aud'), ProtocolError);
  assert.throws(() => signJws(key, {}, ''), ProtocolError);
});

test('a claim named __proto__, at any depth, is signed and verified as a claim', () => {
  const claims = JSON.parse('{"__proto__":{"__proto__":0,"a":1},"b":[{"__proto__":null}]}');
  const token = signJws(key, claims, 'x');
  const body = Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8');
  assert.ok(
    body.startsWith('{"__proto__":{"__proto__":0,"a":1},"aud":"x","b":[{"__proto__":null}],'),
  );
  const out = verifyJws(token, { audience: 'x' });
  assert.equal(
    JSON.stringify(Object.getOwnPropertyDescriptor(out.claims, '__proto__')?.value),
    '{"__proto__":0,"a":1}',
  );
});

test('exp and nbf are enforced when present; aud arrays are accepted', () => {
  const now = 1_700_000_000_000;
  const token = signJws(key, { exp: now / 1000 + 60, nbf: now / 1000 - 60 }, 'x');
  verifyJws(token, { now });
  assert.throws(() => verifyJws(token, { now: now + 61_000 }), /expired/);
  assert.throws(() => verifyJws(token, { now: now - 61_000 }), /not valid yet/);
  // An array aud (allowed by RFC 7519), in a token signed by hand.
  const enc = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const iss = Buffer.from(key.publicKey).toString('base64');
  const input = `${enc({ alg: 'Tesla.SS256' })}.${enc({ aud: ['a', 'b'], iss })}`;
  const manual = `${input}.${Buffer.from(key.signSchnorr(Buffer.from(input))).toString('base64url')}`;
  verifyJws(manual, { audience: 'b' });
  assert.throws(() => verifyJws(manual, { audience: 'c' }), /expected aud/);
});

test('property: random claims sign → verify; random tokens throw only invalid-jws', () => {
  const json = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), {
    maxKeys: 6,
  });
  fc.assert(
    fc.property(json, fc.string({ minLength: 1, maxLength: 30 }), (claims, aud) => {
      const out = verifyJws(signJws(key, claims, aud), { audience: aud });
      const expected = JSON.parse(JSON.stringify({ ...claims, iss: out.claims.iss, aud }));
      assert.deepEqual(out.claims, expected);
      assert.equal(toHex(out.publicKey), toHex(key.publicKey));
    }),
    { numRuns: 60 },
  );
  fc.assert(
    fc.property(fc.string({ maxLength: 300 }), fc.string({ maxLength: 100 }), (a, b) => {
      for (const t of [a, `${a}.${b}.${a}`, `eyJhbGciOiJUZXNsYS5TUzI1NiJ9.${b}.${a}`]) {
        assert.throws(() => verifyJws(t), isInvalidJws);
      }
    }),
    { numRuns: 300 },
  );
});
