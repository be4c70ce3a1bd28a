import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  checkListen,
  ProxyConfigError,
  parseDuration,
  parseProxyArgs,
} from '../../src/proxy/options.js';
import { PrivateKey } from '../../src/signing/keys.js';
import { isLoopbackHost } from '../../src/util/loopback.js';

const ENV = { TESLA_MCP_CONFIG_DIR: '/nonexistent/cfg' };

function cfg(argv: string[], env: Record<string, string> = {}) {
  const c = parseProxyArgs(argv, { ...ENV, ...env });
  assert.notEqual(c, 'help');
  return c as Exclude<typeof c, 'help'>;
}

describe('proxy options', () => {
  it('defaults: 127.0.0.1:4443, 10 s, CONFIG key file, no TLS', () => {
    const c = cfg([]);
    assert.equal(c.host, '127.0.0.1');
    assert.equal(c.port, 4443);
    assert.equal(c.timeoutMs, 10_000);
    assert.equal(c.keyFile, '/nonexistent/cfg/private-key.pem');
    assert.equal(c.tlsCert, undefined);
    assert.equal(c.verbose, false);
  });

  it("takes the Go proxy's single-dash flags, as a systemd unit would pass them", () => {
    const c = cfg([
      '-tls-key',
      '/etc/tls.key',
      '-cert',
      '/etc/tls.crt',
      '-key-file',
      '/etc/cmd.pem',
      '-port',
      '4443',
      '-host=0.0.0.0',
      '-timeout',
      '1m30s',
      '-verbose',
    ]);
    assert.equal(c.tlsKey, '/etc/tls.key');
    assert.equal(c.tlsCert, '/etc/tls.crt');
    assert.equal(c.keyFile, '/etc/cmd.pem');
    assert.equal(c.port, 4443);
    assert.equal(c.host, '0.0.0.0');
    assert.equal(c.timeoutMs, 90_000);
    assert.equal(c.verbose, true);
  });

  it('takes our double-dash flags', () => {
    const c = cfg(['--host', '::1', '--port=8443', '--tls-cert', 'c.pem', '--tls-key', 'k.pem']);
    assert.deepEqual([c.host, c.port, c.tlsCert, c.tlsKey], ['::1', 8443, 'c.pem', 'k.pem']);
  });

  it("reads the Go proxy's variables, ours first, and flags win over both", () => {
    const goEnv = {
      TESLA_HTTP_PROXY_HOST: '10.0.0.2',
      TESLA_HTTP_PROXY_PORT: '443',
      TESLA_HTTP_PROXY_TLS_CERT: '/go/cert',
      TESLA_HTTP_PROXY_TLS_KEY: '/go/key',
      TESLA_HTTP_PROXY_TIMEOUT: '5s',
      TESLA_KEY_FILE: '/go/command.pem',
      TESLA_VERBOSE: 'true',
    };
    const c = cfg([], goEnv);
    assert.deepEqual(
      [c.host, c.port, c.tlsCert, c.tlsKey, c.timeoutMs, c.keyFile, c.verbose],
      ['10.0.0.2', 443, '/go/cert', '/go/key', 5000, '/go/command.pem', true],
    );
    const ours = cfg([], { ...goEnv, TESLA_PROXY_HOST: '10.0.0.3', TESLA_PROXY_PORT: '4444' });
    assert.deepEqual([ours.host, ours.port], ['10.0.0.3', 4444]);
    const flagged = cfg(['-port', '9000', '-verbose=false'], { ...goEnv, TESLA_PROXY_PORT: '1' });
    assert.equal(flagged.port, 9000);
    assert.equal(flagged.verbose, false);
    assert.equal(
      cfg([], { TESLA_PRIVATE_KEY_FILE: '/ours.pem', TESLA_KEY_FILE: '/go.pem' }).keyFile,
      '/ours.pem',
    );
  });

  it('TESLA_VERBOSE "false" and "0" mean off, as in the Go proxy', () => {
    assert.equal(cfg([], { TESLA_VERBOSE: 'false' }).verbose, false);
    assert.equal(cfg([], { TESLA_VERBOSE: '0' }).verbose, false);
    assert.equal(cfg([], { TESLA_VERBOSE: '1' }).verbose, true);
  });

  it('refuses unknown flags, bad ports and half a TLS pair with what to do', () => {
    assert.throws(() => cfg(['-bogus']), /unknown argument '-bogus'/);
    assert.throws(() => cfg(['--port', '70000']), /invalid port/);
    assert.throws(() => cfg(['--tls-cert', 'c.pem']), /--tls-cert FILE and --tls-key FILE/);
    assert.throws(() => cfg(['-timeout', 'soon']), ProxyConfigError);
    assert.equal(parseProxyArgs(['--help'], ENV), 'help');
  });

  it('parses Go durations', () => {
    assert.equal(parseDuration('10s'), 10_000);
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('1h2m'), 3_720_000);
    assert.equal(parseDuration('2.5'), 2500);
    assert.throws(() => parseDuration('10 s'), ProxyConfigError);
  });

  it('knows loopback addresses', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost'])
      assert.ok(isLoopbackHost(h), h);
    for (const h of ['0.0.0.0', '192.168.1.2', '::', 'example.com'])
      assert.ok(!isLoopbackHost(h), h);
  });
});

describe('proxy start-up checks', () => {
  const command = PrivateKey.generate();

  it('refuses plain HTTP off loopback', () => {
    assert.throws(
      () => checkListen({ host: '0.0.0.0', commandKey: command.publicKey }),
      /refusing plain HTTP on 0\.0\.0\.0.*--tls-cert/,
    );
    assert.doesNotThrow(() => checkListen({ host: '127.0.0.1', commandKey: command.publicKey }));
  });

  it('refuses a TLS key that is the command key, accepts another one', () => {
    const sameKey = command.toPem('pkcs8');
    assert.throws(
      () =>
        checkListen({
          host: '0.0.0.0',
          tls: { cert: 'unused', key: sameKey },
          commandKey: command.publicKey,
        }),
      /TLS key is the command key/,
    );
    const other = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = other.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    assert.doesNotThrow(() =>
      checkListen({
        host: '0.0.0.0',
        tls: { cert: 'unused', key: pem },
        commandKey: command.publicKey,
      }),
    );
  });

  it('allows http:// Fleet URLs on loopback only', () => {
    const k = command.publicKey;
    assert.doesNotThrow(() =>
      checkListen({ host: '127.0.0.1', commandKey: k, fleetApiUrl: 'http://127.0.0.1:9' }),
    );
    assert.throws(
      () => checkListen({ host: '127.0.0.1', commandKey: k, fleetApiUrl: 'http://fleet.example' }),
      /https:\/\//,
    );
    // The Fleet client's rule (checkBaseUrl), in the proxy's words.
    assert.throws(
      () => checkListen({ host: '127.0.0.1', commandKey: k, fleetApiUrl: 'https://u:p@x.com' }),
      (e: Error) => e instanceof ProxyConfigError && /^proxy: .*credentials/.test(e.message),
    );
    assert.doesNotThrow(() =>
      checkListen({ host: '127.0.0.1', commandKey: k, fleetApiUrl: 'http://[::ffff:127.0.0.1]:9' }),
    );
  });
});
