import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { request } from 'undici';
import {
  RequestTooLargeError,
  readBody,
  sendBody,
  sendJson,
  sendText,
} from '../../src/util/http-server.js';

describe('node:http helpers', () => {
  let server: Server;
  let url: string;
  before(async () => {
    server = createServer((req, res) => {
      const path = req.url ?? '/';
      if (path === '/text') return sendText(res, 201, 'héllo', { 'X-Extra': '1' });
      if (path === '/bytes') {
        return sendBody(
          res,
          200,
          Uint8Array.from([1, 2, 3]),
          { 'Content-Type': 'a/b' },
          {
            'content-type': 'c/d',
          },
        );
      }
      readBody(req, 8).then(
        (body) => sendJson(res, 200, { got: body.toString() }, { 'Cache-Control': 'no-store' }),
        (err: unknown) => {
          assert.ok(err instanceof RequestTooLargeError);
          sendJson(res, 413, { error: err.message });
        },
      );
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  it('reads a body up to the cap and answers JSON with its length', async () => {
    const res = await request(`${url}/echo`, { method: 'POST', body: '12345678' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.headers['x-content-type-options'], 'nosniff');
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.deepEqual(await res.body.json(), { got: '12345678' });
  });

  it('refuses a body over the cap, declared or streamed', async () => {
    const declared = await request(`${url}/echo`, { method: 'POST', body: '123456789' });
    assert.equal(declared.statusCode, 413);
    assert.deepEqual(await declared.body.json(), { error: 'request body exceeds 8 bytes' });
    const chunks = Readable.from([Buffer.from('12345'), Buffer.from('67890')]);
    const streamed = await request(`${url}/echo`, { method: 'POST', body: chunks });
    assert.equal(streamed.statusCode, 413);
    await streamed.body.dump();
  });

  it('text and bytes: Content-Length in bytes, later headers win whatever their case', async () => {
    const text = await request(`${url}/text`);
    assert.equal(text.statusCode, 201);
    assert.equal(text.headers['content-type'], 'text/plain; charset=utf-8');
    assert.equal(text.headers['content-length'], String(Buffer.byteLength('héllo')));
    assert.equal(text.headers['x-extra'], '1');
    assert.equal(await text.body.text(), 'héllo');
    const bytes = await request(`${url}/bytes`);
    assert.equal(bytes.headers['content-type'], 'c/d');
    assert.equal(bytes.headers['content-length'], '3');
    assert.deepEqual([...new Uint8Array(await bytes.body.arrayBuffer())], [1, 2, 3]);
  });
});
