/**
 * What a Fleet API answer means: every non-2xx answer becomes a {@link FleetApiError} with its
 * code, whether it may be retried and the next step ({@link errorFromResponse}); no answer at
 * all becomes one too ({@link transportError}), saying whether the request may have run. Also
 * the two headers-and-body readers every Fleet caller shares: Retry-After
 * ({@link retryAfterFrom}) and the host a 421 names ({@link baseUrlFrom421}).
 *
 * @module
 */
import { cliCommand } from '../util/cli-command.js';
import { FleetApiError, type FleetApiErrorInit, type FleetErrorCode, redact } from './errors.js';

function clean(text: string | undefined, secrets: readonly string[] = []): string | undefined {
  if (!text) return undefined;
  // Defence in depth: Tesla error texts never carry tokens, but never echo one if they do.
  const t = redact(text, secrets).trim();
  return t.length > 300 ? `${t.slice(0, 300)}…` : t || undefined;
}

/**
 * Seconds to wait, from `Retry-After` (seconds, rounded up, or an HTTP date; RFC 9110 §10.2.3)
 * or else `RateLimit-Reset` / `X-RateLimit-Reset` (seconds, or an epoch time). Header names in
 * any case. The one parser for every Fleet answer (the client, the proxy, the simulator's
 * in-process transport).
 */
export function retryAfterFrom(
  headers: Readonly<Record<string, string | string[] | undefined>>,
  now = Date.now(),
): number | undefined {
  const get = (name: string): string | undefined => {
    const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
    const v = key === undefined ? undefined : headers[key];
    return Array.isArray(v) ? v[0] : v;
  };
  const ra = get('retry-after');
  if (ra !== undefined) {
    const s = ra.trim();
    if (/^\d+(\.\d+)?$/.test(s)) return Math.ceil(Number(s));
    const at = Date.parse(s);
    if (!Number.isNaN(at)) return Math.max(0, Math.ceil((at - now) / 1000));
  }
  const reset = get('ratelimit-reset') ?? get('x-ratelimit-reset');
  if (reset !== undefined && /^\d+$/.test(reset.trim())) {
    const n = Number(reset.trim());
    // Some servers send an epoch timestamp rather than a delta.
    return n > 1e9 ? Math.max(0, n - Math.floor(now / 1000)) : n;
  }
  return undefined;
}

const BASE_URL_RE = /use base URL:?\s*(https:\/\/[-a-z0-9.]+)/i;

/** The base URL a 421 answer names (in its body, or an `Alt-Svc: h2=https://host` header). */
export function baseUrlFrom421(text: string, altSvc?: string): string | undefined {
  const m = BASE_URL_RE.exec(text);
  if (m?.[1]) return m[1].toLowerCase();
  const a = altSvc ? /h2=["']?(https:\/\/[-a-z0-9.]+)/i.exec(altSvc) : null;
  return a?.[1]?.toLowerCase();
}

export interface ErrorContext {
  status: number;
  /** Parsed JSON body, or undefined. */
  body: unknown;
  /** Raw body text (bounded), used when the body is not JSON. */
  text: string;
  headers: Record<string, string | string[] | undefined>;
  method: string;
  /** True for POST/DELETE etc.: used for `mayHaveExecuted` of 5xx answers. */
  mutating: boolean;
  /** The VIN in the path, for messages (a VIN is not a secret; tokens are). */
  vin?: string | undefined;
  /** The request path without its query (a 404 names it when the endpoint itself is missing). */
  path?: string | undefined;
  appDomain?: string | undefined;
  /** Values never to echo (the token that was sent). */
  secrets?: readonly string[] | undefined;
}

function field(body: unknown, name: string): string | undefined {
  if (body && typeof body === 'object' && name in body) {
    const v = (body as Record<string, unknown>)[name];
    if (typeof v === 'string') return v;
  }
  return undefined;
}

/** Classifies one HTTP answer. */
export function errorFromResponse(c: ErrorContext): FleetApiError {
  const error = clean(
    field(c.body, 'error') ?? (c.body === undefined ? c.text : undefined),
    c.secrets,
  );
  const description = clean(field(c.body, 'error_description'), c.secrets);
  const detail = [error, description].filter(Boolean).join(': ');
  const both = `${detail} ${redact(c.text, c.secrets)}`;
  const status = c.status;
  const what = detail ? ` (${detail})` : '';
  const base = { status, error, description };
  const mk = (code: FleetErrorCode, message: string, extra: Partial<FleetApiErrorInit> = {}) =>
    new FleetApiError({ ...base, code, message: `fleet: ${message}`, ...extra });
  const car = c.vin ? `vehicle ${c.vin}` : 'vehicle';
  switch (status) {
    case 401:
      return mk(
        'unauthorized',
        `Tesla token refused (HTTP 401)${what}: run \`${cliCommand('login')}\``,
      );
    case 402:
      return mk(
        'payment_required',
        `payment required (HTTP 402)${what}: add a billing method to the app at https://developer.tesla.com/dashboard`,
      );
    case 403: {
      if (/protocol required|unsigned_cmds_hardlocked|command protocol/i.test(both)) {
        return mk(
          'protocol_required',
          `${car} requires signed commands (HTTP 403)${what}: send the command signed (signed_command), with the key paired: run \`${cliCommand('pair')}\``,
        );
      }
      if (/scope/i.test(both)) {
        return mk(
          'missing_scope',
          `the token lacks a scope (HTTP 403)${what}: run \`${cliCommand('login')}\` and grant the scope`,
        );
      }
      return mk(
        'forbidden',
        `forbidden (HTTP 403)${what}: check that this account may use ${car} (owner or driver) and the token scopes`,
      );
    }
    case 404:
      return notFound404(c, what, both, mk);
    case 408:
      return mk('asleep', `${car} asleep or offline (HTTP 408): call wake_up, then retry`, {
        retryable: true,
        mayHaveExecuted: false,
      });
    case 412:
      return mk(
        'not_registered',
        `app not registered in this region (HTTP 412)${what}: run \`${cliCommand(`register --domain ${c.appDomain ?? '<your domain>'}`)}\``,
      );
    case 421: {
      const url = baseUrlFrom421(both, first(c.headers['alt-svc']));
      return mk(
        'region',
        `wrong region (HTTP 421)${url ? `: use ${url}` : ''}; set TESLA_REGION or retry (the client switches hosts)`,
        { retryable: true, baseUrl: url },
      );
    }
    case 422:
      return mk(
        'protocol_not_supported',
        `${car} does not accept this request (HTTP 422)${what}: for signed_command, send the REST command instead; otherwise fix the parameters`,
      );
    case 423:
      return mk(
        'locked',
        `account or vehicle locked (HTTP 423)${what}: sign in to the Tesla app or https://www.tesla.com to unlock it`,
      );
    case 429: {
      const after = retryAfterFrom(c.headers);
      return mk(
        'rate_limited',
        `rate limited (HTTP 429): ${after === undefined ? 'wait' : `retry after ${after} s`}; do not loop`,
        { retryable: true, retryAfterSeconds: after, mayHaveExecuted: false },
      );
    }
    case 451:
      return mk(
        'legal',
        `unavailable for legal reasons (HTTP 451)${what}: the account or vehicle is outside this app's region or needs consent in the Tesla app`,
      );
    case 503: {
      const asleep = /vehicle (is )?(unavailable|not available|offline)|offline or asleep/i.test(
        both,
      );
      if (asleep) {
        return mk('asleep', `${car} unavailable (HTTP 503): call wake_up, then retry`, {
          retryable: true,
          mayHaveExecuted: false,
        });
      }
      return mk('unavailable', `Fleet API unavailable (HTTP 503)${what}: retry in a minute`, {
        retryable: true,
        mayHaveExecuted: false,
      });
    }
    case 540:
      return mk(
        'vehicle_error',
        `${car} answered unexpectedly (HTTP 540)${what}: it may need a reboot or a software update; check the vehicle state before retrying`,
        { mayHaveExecuted: c.mutating },
      );
    default:
      break;
  }
  if (status >= 500) {
    return mk(
      'server_error',
      `Fleet API error (HTTP ${status})${what}: ${c.mutating ? 'the request may have run; read the state before retrying' : 'retry later'}`,
      { retryable: !c.mutating, mayHaveExecuted: c.mutating },
    );
  }
  return mk('http_error', `HTTP ${status}${what}: check the request`);
}

/** Tesla's texts for a path it does not serve (and the simulator's "no such endpoint"). */
const NO_ENDPOINT =
  /no such endpoint|no route|unknown (path|endpoint|route)|endpoint not found|cannot (get|post|put|delete)\b/i;

/**
 * A 404 says which thing was missing: the endpoint itself (its text says so, or the body is not
 * Tesla's JSON), the vehicle in the path, or an id (invoice, site, invitation, driver).
 */
function notFound404(
  c: ErrorContext,
  what: string,
  both: string,
  mk: (code: FleetErrorCode, message: string, extra?: Partial<FleetApiErrorInit>) => FleetApiError,
): FleetApiError {
  const where = c.path ? `${c.method} ${c.path}` : 'this endpoint';
  const tesla = c.body !== null && typeof c.body === 'object';
  if (NO_ENDPOINT.test(both) || (!tesla && !c.vin)) {
    return mk(
      'not_found',
      `the Fleet API has no endpoint ${where} (HTTP 404)${what}: it may be retired or not offered to this account or region; this is not fixed by retrying`,
      { notFound: 'endpoint' },
    );
  }
  if (c.vin && !/\b(id|invoice|site|invit|driver|share)\w*\b/i.test(both.replace(c.vin, ''))) {
    return mk(
      'not_found',
      `vehicle ${c.vin} was not found on this account (HTTP 404)${what}: check the VIN against list_vehicles`,
      { notFound: 'vehicle' },
    );
  }
  return mk(
    'not_found',
    `the id in ${where} was not found (HTTP 404)${what}: check the id against the tool that listed it`,
    { notFound: 'id' },
  );
}

function first(v: string | string[] | undefined): string | undefined {
  return Array.isArray(v) ? v[0] : v;
}

/** Failures before a byte was sent: the request certainly did not reach Tesla. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
]);

/** The first `code` on an error or its causes (undici wraps the socket error). */
function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let i = 0; i < 3 && e instanceof Error; i++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = e.cause;
  }
  return undefined;
}

/**
 * No HTTP answer: a timeout, refused or dropped connection. A mutating request may have run,
 * unless it failed before it was sent (connection refused, name not found, TLS refused).
 */
export function transportError(
  cause: unknown,
  o: { mutating: boolean; timedOut?: boolean },
): FleetApiError {
  const code = errorCode(cause);
  const reason = o.timedOut ? 'timed out' : (code ?? 'connection failed');
  const mayHaveRun = o.mutating && (o.timedOut || !(code && NOT_SENT.has(code)));
  const next = mayHaveRun
    ? 'the request may have run; read the state before retrying'
    : 'check the network and retry';
  return new FleetApiError({
    status: 0,
    code: mayHaveRun ? 'unknown_outcome' : 'network',
    error: reason,
    retryable: !mayHaveRun,
    mayHaveExecuted: mayHaveRun,
    noAnswer: o.timedOut ? 'timeout' : 'network',
    message: `fleet: no answer from the Fleet API (${reason}): ${next}`,
  });
}
