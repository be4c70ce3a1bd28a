/**
 * A self-signed TLS certificate for `localhost` and `127.0.0.1`, made with `openssl` the way
 * Tesla's vehicle-command README makes the proxy's (`openssl req -x509 … prime256v1`), for the
 * HTTPS tests of `tesla-mcp serve` and `tesla-mcp proxy`. Node can parse certificates but not
 * issue them, so `openssl` must be on PATH: {@link missingOpenssl} says so, and a test that
 * needs it fails under `CI=true` rather than skipping.
 *
 * @module
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCert {
  certFile: string;
  keyFile: string;
  /** The certificate, PEM: also the CA a client must trust. */
  cert: string;
  key: string;
}

/** Why no certificate can be made here, or `false`; under `CI=true` always `false`. */
export function missingOpenssl(): string | false {
  if (process.env.CI === 'true') return false;
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0
    ? false
    : 'openssl is not installed (it makes the test certificate)';
}

/** Writes `tls-cert.pem` and `tls-key.pem` (P-256, one day) into `dir`. */
export function selfSignedCert(dir: string): TestCert {
  const certFile = join(dir, 'tls-cert.pem');
  const keyFile = join(dir, 'tls-key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-nodes',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-pkeyopt',
      'ec_param_enc:named_curve',
      '-subj',
      '/CN=localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-sha256',
      '-days',
      '1',
      '-addext',
      'subjectAltName = DNS:localhost,IP:127.0.0.1',
      '-addext',
      'extendedKeyUsage = serverAuth',
      '-addext',
      'keyUsage = digitalSignature, keyCertSign, keyAgreement',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return {
    certFile,
    keyFile,
    cert: readFileSync(certFile, 'utf8'),
    key: readFileSync(keyFile, 'utf8'),
  };
}
