/**
 * Test fixture for the Fleet client: a fake Fleet API on an undici `MockAgent` (no network),
 * fake JWTs with chosen claims, and temp dirs.
 *
 * @module
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MockAgent } from 'undici';
import { DEFAULT_SCOPES } from '../../src/commands/scopes.js';

export const NA = 'https://fleet-api.prd.na.vn.cloud.tesla.com';
export const EU = 'https://fleet-api.prd.eu.vn.cloud.tesla.com';
export const AUTH = 'https://fleet-auth.prd.vn.cloud.tesla.com';
export const VIN = '5YJ3E1EA7KF000001';
export const VIN2 = '5YJ3E1EA7KF000002';

export interface SeenRequest {
  origin: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string | undefined;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (req: SeenRequest) => Reply;

function normHeaders(h: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!h) return out;
  if (Array.isArray(h)) {
    for (let i = 0; i + 1 < h.length; i += 2) out[String(h[i]).toLowerCase()] = String(h[i + 1]);
  } else if (h instanceof Headers) {
    h.forEach((v, k) => {
      out[k.toLowerCase()] = v;
    });
  } else {
    for (const [k, v] of Object.entries(h as Record<string, unknown>))
      out[k.toLowerCase()] = String(v);
  }
  return out;
}

/**
 * A MockAgent whose listed origins all answer through `handler` (synchronous: undici's mock
 * reply callback is), recording every request.
 */
export function fakeFleet(handler: Handler, origins: readonly string[] = [NA, EU, AUTH]) {
  const agent = new MockAgent();
  agent.disableNetConnect();
  const seen: SeenRequest[] = [];
  for (const origin of origins) {
    agent
      .get(origin)
      .intercept({ path: () => true, method: () => true })
      .reply((opts) => {
        const req: SeenRequest = {
          origin,
          method: opts.method,
          path: opts.path,
          headers: normHeaders(opts.headers),
          body:
            typeof opts.body === 'string'
              ? opts.body
              : opts.body == null
                ? undefined
                : String(opts.body),
        };
        seen.push(req);
        const r = handler(req);
        const data =
          r.body === undefined ? '' : typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
        return {
          statusCode: r.status,
          data,
          responseOptions: {
            headers: { 'content-type': 'application/json', ...(r.headers ?? {}) },
          },
        };
      })
      .persist();
  }
  return { agent, seen };
}

function b64url(v: unknown): string {
  return Buffer.from(JSON.stringify(v)).toString('base64url');
}

/** An unsigned JWT-shaped token with the given claims (the client never verifies signatures). */
export function fakeJwt(claims: Record<string, unknown>, tag = 'sig'): string {
  return `${b64url({ alg: 'RS256', typ: 'JWT' })}.${b64url(claims)}.${Buffer.from(tag).toString('base64url')}`;
}

/** A token granted every scope `login` asks for by default. */
export const ALL_SCOPES: string[] = [...DEFAULT_SCOPES];

export async function tempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'tesla-mcp-fleet-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Parses `path?query` into its path and a plain query object. */
export function splitPath(p: string): { path: string; query: Record<string, string> } {
  const u = new URL(p, 'http://x');
  return { path: u.pathname, query: Object.fromEntries(u.searchParams) };
}
