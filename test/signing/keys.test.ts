import assert from 'node:assert/strict';
import {
  createECDH,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
} from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { ProtocolError } from '../../src/signing/errors.js';
import { PrivateKey, PublicKey } from '../../src/signing/keys.js';
import { schnorrSign } from '../../src/signing/schnorr.js';
import { hex, loadVector, toHex } from '../helpers/vectors.js';

const KEYS = join('test', 'fixtures', 'test-keys');
const fixture = (dir: string, name: string) => readFileSync(join(KEYS, dir, name));
const md = (id: string) => loadVector('protocol-md.json', `protocol-md.${id}`);
const auth = (id: string) => loadVector('authentication.json', `authentication.${id}`);
const MSG = Uint8Array.from(Buffer.from('scalar probe'));

const isInvalidKey = (err: unknown) => {
  assert.ok(err instanceof ProtocolError, `expected ProtocolError, got ${String(err)}`);
  assert.equal(err.code, 'invalid-key');
  assert.match(err.message, /^signing: /);
  return true;
};

/** Proves a key holds `scalarHex` without reading the scalar: Schnorr is deterministic. */
function assertScalar(key: PrivateKey, scalarHex: string): void {
  assert.equal(toHex(key.signSchnorr(MSG)), toHex(schnorrSign(hex(scalarHex), MSG)));
}

test('TestLoadPublicKey: every upstream file loads or is rejected as expected', () => {
  const v = loadVector('keys.json', 'protocol.TestLoadPublicKey');
  const ok = v.expected.ok as Record<string, boolean>;
  for (const file of v.input.files as string[]) {
    const bytes = Uint8Array.from(fixture('protocol', file));
    if (ok[file]) {
      assert.equal(PublicKey.parse(bytes).toHex(), v.expected.public_key, file);
    } else {
      assert.throws(() => PublicKey.parse(bytes), isInvalidKey, file);
    }
  }
  // private.pem holds the documented scalar.
  const key = PrivateKey.fromPem(fixture('protocol', 'private.pem').toString('utf8'));
  assertScalar(key, v.expected.private_scalar_in_private_pem);
  assert.equal(key.public.toHex(), v.expected.public_key);
});

test('rejections say what was expected and what was found', () => {
  const pem = (name: string) => fixture('protocol', name).toString('utf8');
  assert.throws(
    () => PublicKey.fromPem(pem('rsa-public.pem')),
    /expected a P-256 key, found an RSA key/,
  );
  assert.throws(() => PrivateKey.fromPem(pem('rsa.pem')), /found an RSA key/);
  assert.throws(
    () => PrivateKey.fromPem(pem('p521.pem')),
    /expected a P-256 key, found a P-521 key/,
  );
  assert.throws(() => PrivateKey.fromPem(pem('encrypted-pkcs8.pem')), /encrypted/);
  assert.throws(() => PublicKey.fromPem(pem('not-on-curve.pem')), /not a point on the P-256 curve/);
  assert.throws(() => PublicKey.fromPem(pem('public-bad-b64.pem')), /valid base64/);
  assert.throws(() => PrivateKey.fromPem(''), /empty/);
  // `openssl ecparam -genkey` without -noout: an EC PARAMETERS block precedes the key.
  const params = '-----BEGIN EC PARAMETERS-----\nBggqhkjOPQMBBw==\n-----END EC PARAMETERS-----\n';
  assert.ok(
    PrivateKey.fromPem(params + pem('private.pem')).public.equals(
      PublicKey.fromPem(pem('public.pem')),
    ),
  );
  assert.throws(
    () => PublicKey.fromPem(pem('public.pem') + pem('private.pem')),
    /found 2 PEM blocks/,
  );
  const legacy = pem('private.pem').replace(
    'KEY-----\n',
    'KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n',
  );
  assert.throws(() => PrivateKey.fromPem(legacy), /encrypted/);
  assert.throws(
    () => PublicKey.fromPem(pem('public.pem').replace('END PUBLIC', 'END PRIVATE')),
    /malformed|ends with/,
  );
  assert.throws(
    () => PrivateKey.fromPem(fixture('authentication', 'corrupt.pem').toString('utf8')),
    /does not match its private scalar/,
  );
});

test('TestLoadExternalECCKey: only P-256 private keys load as private keys', () => {
  const v = loadVector('authentication.json', 'authentication.TestLoadExternalECCKey');
  const ok = v.expected.ok as Record<string, boolean>;
  for (const file of v.input.files as string[]) {
    let text: string | undefined;
    try {
      text = fixture('authentication', file).toString('utf8');
    } catch {
      assert.equal(ok[file], false, `${file} is missing but expected to load`);
      continue;
    }
    if (ok[file]) {
      const key = PrivateKey.fromPem(text);
      const viaNode = createPublicKey(text).export({ format: 'jwk' });
      assert.equal(
        toHex(key.publicKey),
        `04${Buffer.from(viaNode.x as string, 'base64url').toString('hex')}${Buffer.from(viaNode.y as string, 'base64url').toString('hex')}`,
        file,
      );
    } else {
      assert.throws(() => PrivateKey.fromPem(text), isInvalidKey, file);
    }
  }
});

test('protocol.md vehicle and client keys: scalar and public key from the PEMs', () => {
  for (const id of ['vehicle-key', 'client-key']) {
    const v = md(id);
    const key = PrivateKey.fromPem(v.input.private_key_pem);
    assertScalar(key, v.expected.private_scalar);
    assert.equal(key.public.toHex(), v.expected.public_key);
    assert.equal(PublicKey.fromPem(v.input.public_key_pem).toHex(), v.expected.public_key);
    assert.equal(PublicKey.fromPem(v.input.private_key_pem).toHex(), v.expected.public_key);
    // OpenSSL's encodings are reproduced byte for byte.
    assert.equal(key.toPem('sec1'), v.input.private_key_pem);
    assert.equal(key.public.toPem(), v.input.public_key_pem);
  }
});

test('protocol.md K = 1b2fce19… from both sides (c·V and v·C)', () => {
  const v = md('shared-key-K');
  const client = PrivateKey.fromScalar(hex(v.input.client_private_scalar));
  const vehicle = PrivateKey.fromPem(md('vehicle-key').input.private_key_pem);
  assert.equal(toHex(client.sessionKey(hex(v.input.vehicle_public_key))), v.expected.K);
  assert.equal(toHex(vehicle.sessionKey(client.publicKey)), v.expected.K);
});

test('TestLocalPublicBytes', () => {
  const v = auth('TestLocalPublicBytes');
  assert.equal(
    toHex(PrivateKey.fromScalar(hex(v.input.private_scalar)).publicKey),
    v.expected.public_key,
  );
});

test('TestSharedKey: leading-zero shared secret is kept at 32 bytes; bad peers rejected', () => {
  const v = auth('TestSharedKey');
  const key = PrivateKey.fromScalar(hex(v.input.private_scalar));
  const secret = key.sharedSecret(hex(v.input.peer_public_key));
  assert.equal(toHex(secret), v.expected.shared_secret_x);
  const sha1 = (b: Uint8Array) => createHash('sha1').update(b).digest('hex').slice(0, 32);
  assert.equal(toHex(key.sessionKey(hex(v.input.peer_public_key))), sha1(secret));
  for (const bad of v.expected.rejects as { peer_public_key: string }[]) {
    assert.throws(() => key.sessionKey(hex(bad.peer_public_key)), isInvalidKey);
    assert.throws(() => key.sharedSecret(hex(bad.peer_public_key)), isInvalidKey);
  }
  // The session key takes uncompressed points only, as upstream's elliptic.Unmarshal.
  const compressed = PublicKey.fromHex(v.input.peer_public_key);
  assert.throws(() => key.sessionKey(hex(`02${compressed.toHex().slice(2, 66)}`)), isInvalidKey);
});

test('TestSharedSecretPadding: an x-coordinate shorter than 32 bytes is left-padded', () => {
  const v = auth('TestSharedSecretPadding');
  const key = PrivateKey.fromScalar(hex(v.input.private_scalar));
  const secret = key.sharedSecret(hex(v.input.peer_public_key));
  assert.equal(secret.length, 32);
  assert.equal(secret[0], 0);
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(Buffer.from(v.input.private_scalar, 'hex'));
  assert.equal(
    toHex(secret),
    ecdh.computeSecret(Buffer.from(v.input.peer_public_key, 'hex')).toString('hex'),
  );
});

test('TestZero: the zero scalar, n and wrong sizes are rejected', () => {
  const v = auth('TestZero');
  assert.throws(() => PrivateKey.fromScalar(hex(v.input.private_scalar)), /zero/);
  const n = 'ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551';
  assert.throws(() => PrivateKey.fromScalar(hex(n)), isInvalidKey);
  assert.throws(() => PrivateKey.fromScalar(new Uint8Array(31).fill(1)), isInvalidKey);
  // n − 1 is the largest valid scalar.
  const nMinus1 = PrivateKey.fromScalar(hex(`${n.slice(0, -2)}50`));
  assert.equal(nMinus1.publicKey.length, 65);
});

test('generate → toPem (sec1 and pkcs8) → fromPem round trips, and node:crypto agrees', () => {
  const key = PrivateKey.generate();
  for (const format of ['sec1', 'pkcs8'] as const) {
    const pem = key.toPem(format);
    assert.match(pem, format === 'sec1' ? /BEGIN EC PRIVATE KEY/ : /BEGIN PRIVATE KEY/);
    const again = PrivateKey.fromPem(pem);
    assert.ok(again.public.equals(key.public));
    assert.equal(toHex(again.signSchnorr(MSG)), toHex(key.signSchnorr(MSG)));
    const jwk = createPrivateKey(pem).export({ format: 'jwk' });
    assert.equal(jwk.crv, 'P-256');
    assert.equal(
      PublicKey.fromPem(
        createPublicKey(pem).export({ type: 'spki', format: 'pem' }) as string,
      ).toHex(),
      key.public.toHex(),
    );
  }
  const spki = key.public.toPem();
  assert.ok(PublicKey.fromPem(spki).equals(key.publicKey));
  assert.equal(createPublicKey(spki).asymmetricKeyDetails?.namedCurve, 'prime256v1');
  assert.notEqual(PrivateKey.generate().public.toHex(), key.public.toHex());
});

test('keys written by node:crypto (OpenSSL) load, in PEM and DER', () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const raw = publicKey.export({ type: 'spki', format: 'der' }).subarray(-65);
  const sec1 = privateKey.export({ type: 'sec1', format: 'pem' }) as string;
  const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
  assert.equal(PrivateKey.fromPem(sec1).public.toHex(), raw.toString('hex'));
  assert.equal(PrivateKey.fromPem(pkcs8).toPem('pkcs8'), pkcs8);
  assert.equal(PrivateKey.fromPem(sec1).toPem('sec1'), sec1);
  const der = Uint8Array.from(publicKey.export({ type: 'spki', format: 'der' }));
  assert.equal(PublicKey.parse(der).toHex(), raw.toString('hex'));
  const pkcs8Der = Uint8Array.from(privateKey.export({ type: 'pkcs8', format: 'der' }));
  assert.equal(PublicKey.parse(pkcs8Der).toHex(), raw.toString('hex'));
  // Trailing garbage after the DER structure is refused.
  assert.throws(() => PublicKey.parse(Uint8Array.from([...der, 0])), isInvalidKey);
  // Other curves and algorithms are named in the error.
  const k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey;
  assert.throws(
    () => PrivateKey.fromPem(k1.export({ type: 'pkcs8', format: 'pem' }) as string),
    /secp256k1/,
  );
  const ed = generateKeyPairSync('ed25519').privateKey;
  assert.throws(
    () => PrivateKey.fromPem(ed.export({ type: 'pkcs8', format: 'pem' }) as string),
    /Ed25519/,
  );
});

test('PublicKey: hex, base64, compressed, fingerprint, equals', () => {
  const v = auth('TestLocalPublicBytes');
  const key = PublicKey.fromHex(v.expected.public_key);
  assert.ok(PublicKey.parse(`  0x${v.expected.public_key.toUpperCase()}\n`).equals(key));
  assert.ok(
    PublicKey.parse(Buffer.from(v.expected.public_key, 'hex').toString('base64')).equals(key),
  );
  const compressed = Uint8Array.from([
    ((key.bytes[64] as number) & 1) === 1 ? 3 : 2,
    ...key.bytes.subarray(1, 33),
  ]);
  assert.equal(PublicKey.fromBytes(compressed).toHex(), key.toHex());
  assert.equal(PublicKey.parse(compressed).toHex(), key.toHex());
  assert.match(key.fingerprint(), /^[0-9a-f]{16}$/);
  assert.equal(
    key.fingerprint(),
    createHash('sha256').update(key.bytes).digest('hex').slice(0, 16),
  );
  assert.ok(!key.equals(PrivateKey.generate().public));
  assert.ok(!key.equals(new Uint8Array(65)));
  const copy = key.bytes;
  copy[1] = (copy[1] as number) ^ 1;
  assert.equal(key.toHex(), v.expected.public_key, 'bytes returns a copy');
  assert.throws(() => PublicKey.fromHex('04abc'), isInvalidKey);
  assert.throws(() => PublicKey.parse('not a key at all!'), isInvalidKey);
  assert.throws(() => PublicKey.fromBytes(new Uint8Array(64)), /65-byte uncompressed/);
});

test('toJSON, toString and inspect never reveal the scalar', () => {
  const v = md('client-key');
  const key = PrivateKey.fromPem(v.input.private_key_pem);
  const scalar = v.expected.private_scalar as string;
  const b64 = Buffer.from(scalar, 'hex').toString('base64');
  for (const shown of [
    JSON.stringify(key),
    JSON.stringify({ nested: { key } }),
    String(key),
    `${key}`,
    inspect(key, { showHidden: true, depth: 5 }),
    inspect({ key }),
  ]) {
    assert.ok(!shown.toLowerCase().includes(scalar), shown);
    assert.ok(!shown.includes(b64), shown);
    assert.ok(!shown.includes(scalar.slice(0, 16)), shown);
  }
  assert.match(String(key), /^PrivateKey\(<redacted>, public 04b2b6bc68c2da06…\)$/);
  assert.deepEqual(JSON.parse(JSON.stringify(key)), {
    type: 'p256-private-key',
    publicKey: v.expected.public_key,
  });
  assert.equal(Object.keys(key).length, 0);
});

test('property: random bytes and strings into the parsers throw only ProtocolError', () => {
  const onlyInvalidKey = (fn: () => unknown) => {
    try {
      fn();
    } catch (err) {
      isInvalidKey(err);
    }
  };
  const pemOf = (label: string) =>
    fc
      .uint8Array({ maxLength: 200 })
      .map(
        (b) =>
          `-----BEGIN ${label}-----\n${Buffer.from(b).toString('base64')}\n-----END ${label}-----\n`,
      );
  // Mutations of a real key: flip one byte of its DER, re-armour it.
  const der = Buffer.from(
    PrivateKey.generate().toPem('pkcs8').split('\n').slice(1, -2).join(''),
    'base64',
  );
  const mutated = fc
    .tuple(fc.nat(der.length - 1), fc.integer({ min: 1, max: 255 }))
    .map(([i, x]) => {
      const copy = Buffer.from(der);
      copy[i] = (copy[i] as number) ^ x;
      return `-----BEGIN PRIVATE KEY-----\n${copy.toString('base64')}\n-----END PRIVATE KEY-----\n`;
    });
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.string({ unit: 'binary' }),
        pemOf('PRIVATE KEY'),
        pemOf('EC PRIVATE KEY'),
        pemOf('PUBLIC KEY'),
        mutated,
      ),
      fc.uint8Array({ maxLength: 120 }),
      (text, bytes) => {
        onlyInvalidKey(() => PublicKey.parse(text));
        onlyInvalidKey(() => PrivateKey.fromPem(text));
        onlyInvalidKey(() => PublicKey.parse(bytes));
        onlyInvalidKey(() => PublicKey.parse(Uint8Array.from([0x30, ...bytes])));
        onlyInvalidKey(() => PublicKey.fromBytes(Uint8Array.from([4, ...bytes])));
      },
    ),
    { numRuns: 400 },
  );
});
