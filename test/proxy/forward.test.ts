/**
 * The pass-through forwarder on its own, against a loopback echo server standing in for the
 * Fleet API: hop-by-hop headers dropped both ways, the caller's Authorization and body kept,
 * X-Forwarded-For extended, and the response size cap.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { FleetClient } from '../../src/fleet/client.js';
import { forward } from '../../src/proxy/forward.js';
import type { Caller } from '../../src/proxy/transport.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('forward', () => {
  let server: Server;
  let url: string;
  const seen: Seen[] = [];
  before(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        seen.push({
          method: req.method ?? '',
          url: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString(),
        });
        if (req.url === '/big') {
          res.end(Buffer.alloc(2048, 'x'));
          return;
        }
        res.writeHead(201, {
          'content-type': 'application/json',
          'keep-alive': 'timeout=5',
          'x-upstream': 'yes',
        });
        res.end('{"response":{"ok":true}}');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const ctx = (fleetApiUrl = url): Caller => ({
    fleet: new FleetClient({ baseUrl: fleetApiUrl, userAgent: 'test', maxBodyBytes: 1024 }),
    bearer: 'caller-token',
  });

  it('keeps method, path, query, body and Authorization; drops hop-by-hop headers', async () => {
    const answer = await forward(ctx(), {
      method: 'PATCH',
      pathAndQuery: '/api/1/users/keys?x=1&y=2',
      headers: {
        authorization: 'Bearer caller-token',
        connection: 'keep-alive, x-secret-hop',
        'x-secret-hop': 'drop me',
        'keep-alive': 'timeout=5',
        'proxy-connection': 'keep-alive',
        te: 'trailers',
        upgrade: 'h2c',
        host: 'proxy.local',
        'x-forwarded-for': '10.0.0.1',
        'x-custom': 'kept',
        'content-type': 'application/json',
      },
      body: Buffer.from('{"public_key":"04ab"}'),
      clientIp: '127.0.0.1',
    });
    const s = seen.at(-1);
    assert.equal(s?.method, 'PATCH');
    assert.equal(s?.url, '/api/1/users/keys?x=1&y=2');
    assert.equal(s?.body, '{"public_key":"04ab"}');
    assert.equal(s?.headers.authorization, 'Bearer caller-token');
    assert.equal(s?.headers['x-custom'], 'kept');
    assert.equal(s?.headers['x-forwarded-for'], '10.0.0.1, 127.0.0.1');
    for (const h of ['x-secret-hop', 'proxy-connection', 'te', 'upgrade']) {
      assert.equal(s?.headers[h], undefined, h);
    }
    assert.notEqual(s?.headers.host, 'proxy.local');
    assert.equal(answer.status, 201);
    assert.equal(Buffer.from(answer.body).toString(), '{"response":{"ok":true}}');
    assert.equal(answer.headers?.['x-upstream'], 'yes');
    assert.equal(answer.headers?.['keep-alive'], undefined);
  });

  it('a response over the size cap is a 502, not a partial body', async () => {
    const answer = await forward(ctx(), {
      method: 'GET',
      pathAndQuery: '/big',
      headers: {},
      body: Buffer.alloc(0),
    });
    assert.equal(answer.status, 502);
  });

  it('an unreachable Fleet API is a 502', async () => {
    const answer = await forward(ctx('http://127.0.0.1:1'), {
      method: 'GET',
      pathAndQuery: '/api/1/vehicles',
      headers: {},
      body: Buffer.alloc(0),
    });
    assert.equal(answer.status, 502);
  });
});
