/**
 * The OAuth endpoints on `node:http`: RFC 8414 metadata, RFC 9728 protected-resource metadata (at
 * the path-inserted `/.well-known/oauth-protected-resource/mcp` and at the root; with a public
 * URL prefix `/tesla` also at `/.well-known/oauth-authorization-server/tesla` and
 * `/.well-known/oauth-protected-resource/tesla/mcp`), `/authorize`, `/token` and `/register`.
 * All logic lives in `OAuthServer`; this file parses and answers.
 *
 * @module
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  mediaType,
  RequestTooLargeError,
  readBody,
  sendJson,
  sendText,
} from '../../util/http-server.js';
import { AS_METADATA_PATH, localPath, PRM_PATH } from '../public-url.js';
import { OAuthProtocolError } from './errors.js';
import type { PeerLimit } from './guess-limit.js';
import type { OAuthServer } from './oauth-server.js';

/** OAuth requests are small: a form or a registration document. */
const MAX_OAUTH_BODY = 16 * 1024;

const CORS: Record<string, string> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
  'Access-Control-Allow-Headers': 'Authorization, Content-Type, MCP-Protocol-Version',
};

const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

/** The path of the protected resource metadata for the MCP path (RFC 9728 §3.1). */
export function protectedResourceMetadataPath(mcpPath: string): string {
  return `${PRM_PATH}${mcpPath === '/' ? '' : mcpPath}`;
}

function sendOAuthError(res: ServerResponse, err: OAuthProtocolError, basic: boolean): void {
  const headers: Record<string, string> = { ...CORS, ...NO_STORE };
  if (err.status === 401 && basic) headers['WWW-Authenticate'] = 'Basic realm="tesla-mcp"';
  sendJson(res, err.status, err.toJSON(), headers);
}

async function formParams(req: IncomingMessage): Promise<URLSearchParams> {
  if (mediaType(req) !== 'application/x-www-form-urlencoded') {
    throw new OAuthProtocolError(
      'invalid_request',
      'send the body as application/x-www-form-urlencoded',
    );
  }
  return new URLSearchParams((await readBody(req, MAX_OAUTH_BODY)).toString('utf8'));
}

/**
 * Answers `req` if it is an OAuth endpoint and returns true; returns false for any other path.
 * `prefix` is the public URL's path prefix (`''` for none). `limit` counts failed client
 * authentications at `/token` and refuses a peer that guessed too often.
 */
export async function handleOAuthRequest(
  oauth: OAuthServer,
  mcpPath: string,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  prefix = '',
  limit?: PeerLimit,
): Promise<boolean> {
  const path = localPath(url.pathname, prefix);
  const method = req.method ?? 'GET';
  const asPaths = [AS_METADATA_PATH, `${AS_METADATA_PATH}${prefix}`];
  const known = [
    ...asPaths,
    PRM_PATH,
    protectedResourceMetadataPath(mcpPath),
    protectedResourceMetadataPath(`${prefix}${mcpPath}`),
    '/authorize',
    '/token',
    '/register',
  ];
  if (!known.includes(path)) return false;
  if (method === 'OPTIONS') {
    res.writeHead(204, { ...CORS, 'Access-Control-Max-Age': '600' });
    res.end();
    return true;
  }
  try {
    if (path.startsWith('/.well-known/')) {
      if (method !== 'GET' && method !== 'HEAD') return methodNotAllowed(res, 'GET');
      const body = asPaths.includes(path)
        ? oauth.authorizationServerMetadata()
        : oauth.protectedResourceMetadata();
      sendJson(res, 200, body, { ...CORS, 'Cache-Control': 'max-age=300' });
    } else if (path === '/authorize') {
      if (method !== 'GET' && method !== 'POST') return methodNotAllowed(res, 'GET, POST');
      const params = method === 'POST' ? await formParams(req) : url.searchParams;
      const out = await oauth.authorize(params);
      if (out.kind === 'redirect') {
        res.writeHead(302, {
          Location: out.location,
          'Referrer-Policy': 'no-referrer',
          ...NO_STORE,
        });
        res.end();
      } else {
        sendText(
          res,
          400,
          `Authorization refused (${out.error.error}): ${out.error.message}\n`,
          NO_STORE,
        );
      }
    } else if (path === '/token') {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      const params = await formParams(req);
      const wait = await limit?.retryAfter();
      if (wait !== undefined) {
        sendJson(
          res,
          429,
          {
            error: 'temporarily_unavailable',
            error_description: `too many failed client authentications from this address: retry after ${wait} s`,
          },
          { ...CORS, ...NO_STORE, 'Retry-After': String(wait) },
        );
        return true;
      }
      try {
        sendJson(res, 200, await oauth.token(params, req.headers.authorization), {
          ...CORS,
          ...NO_STORE,
        });
      } catch (err) {
        if (!(err instanceof OAuthProtocolError)) throw err;
        if (err.error === 'invalid_client') await limit?.fail();
        sendOAuthError(res, err, /^basic /i.test(req.headers.authorization ?? ''));
      }
    } else {
      if (method !== 'POST') return methodNotAllowed(res, 'POST');
      if (mediaType(req) !== 'application/json') {
        throw new OAuthProtocolError(
          'invalid_client_metadata',
          'send the registration as application/json',
        );
      }
      let body: unknown;
      try {
        body = JSON.parse((await readBody(req, MAX_OAUTH_BODY)).toString('utf8'));
      } catch (err) {
        if (err instanceof RequestTooLargeError) throw err;
        throw new OAuthProtocolError('invalid_client_metadata', 'the body is not valid JSON');
      }
      sendJson(res, 201, oauth.register(body), { ...CORS, ...NO_STORE });
    }
  } catch (err) {
    if (err instanceof RequestTooLargeError) {
      sendJson(res, 413, { error: 'invalid_request', error_description: err.message }, CORS);
    } else if (err instanceof OAuthProtocolError) {
      sendOAuthError(res, err, false);
    } else {
      throw err;
    }
  }
  return true;
}

function methodNotAllowed(res: ServerResponse, allow: string): true {
  sendJson(
    res,
    405,
    { error: 'invalid_request', error_description: `use ${allow}` },
    { Allow: allow },
  );
  return true;
}
