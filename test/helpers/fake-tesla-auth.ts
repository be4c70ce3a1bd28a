/**
 * A fake Tesla authorization server on 127.0.0.1:0 for the `login` tests: `/authorize` checks
 * the PKCE parameters and redirects to the callback with a code; `/token` checks the verifier.
 *
 * @module
 */
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeAuth {
  url: string;
  authorizeQueries: URLSearchParams[];
  tokenForms: URLSearchParams[];
  close: () => Promise<void>;
}

export async function startFakeAuth(o: {
  accessToken: string;
  refreshToken: string;
  denyWith?: string;
  /** Answer the client-credentials grant with this token (when the secret matches). */
  partnerToken?: string;
  clientSecret?: string;
}): Promise<FakeAuth> {
  const authorizeQueries: URLSearchParams[] = [];
  const tokenForms: URLSearchParams[] = [];
  const codes = new Map<string, { challenge: string; redirectUri: string }>();
  const server = createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && u.pathname === '/authorize') {
      authorizeQueries.push(u.searchParams);
      const redirect = new URL(u.searchParams.get('redirect_uri') ?? '');
      redirect.searchParams.set('state', u.searchParams.get('state') ?? '');
      if (o.denyWith) redirect.searchParams.set('error', o.denyWith);
      else {
        const code = `code-${codes.size + 1}`;
        codes.set(code, {
          challenge: u.searchParams.get('code_challenge') ?? '',
          redirectUri: u.searchParams.get('redirect_uri') ?? '',
        });
        redirect.searchParams.set('code', code);
      }
      res.writeHead(302, { location: redirect.toString() }).end();
      return;
    }
    if (req.method === 'POST' && u.pathname === '/token') {
      let body = '';
      req.on('data', (c: Buffer) => {
        body += c.toString();
      });
      req.on('end', () => {
        const f = new URLSearchParams(body);
        tokenForms.push(f);
        if (f.get('grant_type') === 'client_credentials' && o.partnerToken) {
          // The partner token (client-credentials grant) needs the app's secret.
          const good = f.get('client_secret') === o.clientSecret && Boolean(f.get('audience'));
          res
            .writeHead(good ? 200 : 401, { 'content-type': 'application/json' })
            .end(
              JSON.stringify(
                good
                  ? { access_token: o.partnerToken, expires_in: 28800, token_type: 'Bearer' }
                  : { error: 'invalid_client' },
              ),
            );
          return;
        }
        const entry = codes.get(f.get('code') ?? '');
        const verifier = f.get('code_verifier') ?? '';
        const ok =
          f.get('grant_type') === 'authorization_code' &&
          entry !== undefined &&
          createHash('sha256').update(verifier).digest('base64url') === entry.challenge &&
          f.get('redirect_uri') === entry.redirectUri;
        if (!ok) {
          res
            .writeHead(400, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: 'invalid_grant' }));
          return;
        }
        codes.delete(f.get('code') ?? '');
        res.writeHead(200, { 'content-type': 'application/json' }).end(
          JSON.stringify({
            access_token: o.accessToken,
            refresh_token: o.refreshToken,
            expires_in: 28800,
            token_type: 'Bearer',
          }),
        );
      });
      return;
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    authorizeQueries,
    tokenForms,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
