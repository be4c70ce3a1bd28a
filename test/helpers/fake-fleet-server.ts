/**
 * A fake Fleet API on 127.0.0.1:0 for `setup`: partner registration (partner token only), the
 * key Tesla holds, the vehicle list, `fleet_status`, `users/region` (user token only), and the
 * app's hosted public key (served from a file once `hostKey` is set, as `serve --http` on the
 * domain would). Records every request.
 *
 * @module
 */
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PublicKey } from '../../src/signing/index.js';

export const KEY_PATH = '/.well-known/appspecific/com.tesla.3p.public-key.pem';

export interface FakeFleetServer {
  url: string;
  requests: string[];
  /** Domains registered, with the hex key fetched from the hosted key at that moment. */
  registered: Map<string, string>;
  /** VINs whose key is paired. */
  paired: Set<string>;
  /** File served at the public-key path (undefined: 404). */
  hostKey: string | undefined;
  close(): Promise<void>;
}

export async function startFakeFleet(o: {
  partnerToken: string;
  userToken: string;
  vins: string[];
}): Promise<FakeFleetServer> {
  const state: FakeFleetServer = {
    url: '',
    requests: [],
    registered: new Map(),
    paired: new Set(),
    hostKey: undefined,
    close: async () => {},
  };
  const hostedPem = async () => (state.hostKey ? readFile(state.hostKey, 'utf8') : undefined);
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString();
    });
    req.on('end', async () => {
      const u = new URL(req.url ?? '/', 'http://127.0.0.1');
      state.requests.push(`${req.method} ${u.pathname}`);
      const json = (status: number, v: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(v));
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer /, '');
      if (u.pathname === KEY_PATH) {
        const pem = await hostedPem();
        if (!pem) return res.writeHead(404).end('not found');
        return res.writeHead(200, { 'content-type': 'application/x-pem-file' }).end(pem);
      }
      if (u.pathname.startsWith('/api/1/partner_accounts')) {
        if (bearer !== o.partnerToken) return json(401, { error: 'partner token required' });
        if (req.method === 'POST' && u.pathname === '/api/1/partner_accounts') {
          const domain = (JSON.parse(body) as { domain: string }).domain;
          const pem = await hostedPem();
          if (!pem) return json(400, { error: 'Public key download failed' });
          state.registered.set(domain, PublicKey.fromPem(pem).toHex());
          return json(200, { response: { domain } });
        }
        if (u.pathname === '/api/1/partner_accounts/public_key') {
          const key = state.registered.get(u.searchParams.get('domain') ?? '');
          if (!key) return json(404, { error: 'not found' });
          return json(200, { response: { public_key: key } });
        }
        return json(404, { error: 'not found' });
      }
      if (bearer !== o.userToken) return json(401, { error: 'invalid bearer token' });
      if (u.pathname === '/api/1/vehicles') {
        return json(200, {
          response: o.vins.map((vin, i) => ({ id: i + 1, vin, state: 'online' })),
          count: o.vins.length,
        });
      }
      if (u.pathname === '/api/1/vehicles/fleet_status' && req.method === 'POST') {
        const vins = (JSON.parse(body) as { vins: string[] }).vins;
        return json(200, {
          response: {
            key_paired_vins: vins.filter((v) => state.paired.has(v)),
            unpaired_vins: vins.filter((v) => !state.paired.has(v)),
            vehicle_info: {},
          },
        });
      }
      if (u.pathname === '/api/1/users/region') {
        return json(200, { response: { region: 'na', fleet_api_base_url: state.url } });
      }
      return json(404, { error: 'not found' });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.close = () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    });
  return state;
}
