/**
 * Error taxonomy for tool results: every failure becomes a stable `code`
 * (`asleep`, `key_not_paired`, `missing_scope`, `rate_limited`, `region`, `not_logged_in`,
 * `unknown_outcome`, `fault`, `invalid_argument`, ...), whether retrying can help, whether the
 * command may have run, and the next step. Errors are read by duck typing so the vehicle layer,
 * the Fleet client and the signing library can each keep their own classes.
 *
 * @module
 */
import { cliCommand } from '../util/cli-command.js';

/** Raised by tools for arguments zod cannot check (cross-field rules, unknown VIN...). */
export class ToolInputError extends Error {
  override readonly name = 'ToolInputError';
  readonly code = 'invalid_argument';
}

export interface ErrorDescription {
  code: string;
  message: string;
  retryable: boolean;
  mayHaveSucceeded: boolean;
  next?: string | undefined;
  /** The tool the model should call next, when one can fix it. */
  nextTool?: string | undefined;
  extra: Record<string, unknown>;
}

type Loose = Record<string, unknown>;

/**
 * The next step per error code: the **tool** the model should call, and the terminal command only
 * as a hint for the human. A code without a tool says who must act (the operator).
 */
export interface NextStep {
  /** The tool to call next, when one can fix it. */
  tool?: string;
  text: string;
}

/** The human's way to do the same in a terminal, in this install's command line. */
const terminal = (args: string) => `for a human at a terminal: \`${cliCommand(args)}\``;

// The texts are getters: the CLI sets its command line (`cliCommand`) after this module loads.
const LOGIN_AGAIN: NextStep = {
  tool: 'get_login_link',
  get text() {
    return `call get_login_link with relogin: true and ask the user to open the URL it returns (${terminal('login')}), then retry.`;
  },
};

export const NEXT_BY_CODE: Record<string, NextStep> = {
  asleep: { tool: 'wake_up', text: 'call wake_up, then retry.' },
  asleep_or_unreachable: { tool: 'wake_up', text: 'call wake_up, then retry.' },
  not_logged_in: {
    tool: 'get_login_link',
    get text() {
      return `call get_login_link and ask the user to open the URL it returns (${terminal('login')}), then retry.`;
    },
  },
  login_required: LOGIN_AGAIN,
  unauthorized: LOGIN_AGAIN,
  missing_scope: {
    tool: 'get_login_link',
    get text() {
      return `call get_login_link with relogin: true so the user grants the missing scope on Tesla’s consent page (${terminal('login')}), then retry.`;
    },
  },
  key_not_paired: {
    tool: 'get_pairing_link',
    get text() {
      return `call get_pairing_link and ask the user to open the link on the phone with the Tesla app and approve the key in the car (${terminal('pair')}), then retry.`;
    },
  },
  protocol_required: {
    tool: 'get_pairing_link',
    get text() {
      return `the car takes only signed commands, which need the key paired: call get_pairing_link and ask the user to approve the key in the car (${terminal('pair')}), then retry.`;
    },
  },
  key_changed: {
    tool: 'get_key_status',
    text: 'retry once; if it fails again, call get_key_status, and get_pairing_link if the key is no longer paired.',
  },
  unknown_outcome: {
    tool: 'vehicle_data',
    text: 'call vehicle_data to read the state before deciding to retry.',
  },
  not_registered: {
    get text() {
      return `no tool can fix this: ask the operator to register the app in this region (in a terminal: \`${cliCommand('register --domain <app domain>')}\`).`;
    },
  },
  partner_credentials: {
    text: "no tool can fix this: ask the operator to set TESLA_CLIENT_ID and TESLA_CLIENT_SECRET (the app's client id and secret from developer.tesla.com) for the server, then retry.",
  },
  invalid_argument: { text: 'fix the arguments and call again.' },
};

/** What to call after a 404, by what was not found. */
const NOT_FOUND_NEXT: Record<string, NextStep> = {
  vehicle: {
    tool: 'list_vehicles',
    text: "call list_vehicles for the account's VINs, then retry with one of them.",
  },
  id: { text: 'use an id from the tool that lists them, then retry.' },
  endpoint: { text: 'do not retry: this endpoint is not available to this server.' },
};

/**
 * A lower layer's "run `tesla-mcp …`" advice (up to a parenthesis, a colon or the end), replaced
 * by the next step: the tool first, the terminal command only as the human's hint.
 */
const CLI_ADVICE = /: run `[^`]+`[^(:]*/;

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isFinite(v) ? v : undefined;
}

/** Removes bearer tokens, JWTs and PEM blocks from a message, whatever produced it. */
export function scrubSecrets(text: string): string {
  return text
    .replace(/-----BEGIN [A-Z ]+-----[\s\S]*?-----END [A-Z ]+-----/g, '[redacted key]')
    .replace(/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, '[redacted token]')
    .replace(/\b(Bearer|bearer)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 [redacted]');
}

function stripPrefix(message: string): string {
  return message.replace(/^(vehicle|fleet|signing|mcp): /, '');
}

function fromHttpStatus(e: Loose, status: number): ErrorDescription {
  const retryAfter = num(e.retryAfterSeconds);
  const detail = [str(e.error), str(e.description)].filter(Boolean).join(': ');
  const may = e.mayHaveExecuted === true;
  const extra: Record<string, unknown> = { status };
  if (retryAfter !== undefined) extra.retryAfterSeconds = retryAfter;
  if (str(e.baseUrl)) extra.baseUrl = e.baseUrl;
  const base = { retryable: false, mayHaveSucceeded: may, extra };
  if (status === 408 || (status === 503 && !may))
    return { ...base, code: 'asleep', message: `Vehicle asleep or offline.`, retryable: true };
  if (status === 429)
    return {
      ...base,
      code: 'rate_limited',
      retryable: true,
      message:
        retryAfter === undefined
          ? 'Rate limited by the Fleet API.'
          : `Rate limited by the Fleet API: retry after ${retryAfter} s.`,
      next: 'wait, then retry; do not loop.',
    };
  if (status === 421)
    return { ...base, code: 'region', retryable: true, message: 'Wrong Fleet API region.' };
  if (status === 401) return { ...base, code: 'unauthorized', message: 'Tesla token refused.' };
  if (status === 403)
    return {
      ...base,
      code: /scope/i.test(detail) ? 'missing_scope' : 'forbidden',
      message: `The Fleet API refused the request${detail ? ` (${detail})` : ''}.`,
      next: "check the token's scopes with get_token_status (get_login_link with relogin: true re-consents) or the user's role on the vehicle.",
    };
  if (status === 412)
    return { ...base, code: 'not_registered', message: 'App not registered in this region.' };
  if (status === 404)
    return { ...base, code: 'not_found', message: `Not found${detail ? ` (${detail})` : ''}.` };
  if (status === 0 || may)
    return {
      ...base,
      code: 'unknown_outcome',
      mayHaveSucceeded: true,
      message: `No answer from the Fleet API${detail ? ` (${detail})` : ''}.`,
    };
  return {
    ...base,
    code: 'http_error',
    retryable: status >= 500,
    message: `The Fleet API answered HTTP ${status}${detail ? ` (${detail})` : ''}.`,
  };
}

/** Reads any thrown value into an {@link ErrorDescription}; never includes a stack. */
export function describeError(err: unknown): ErrorDescription {
  if (!(err instanceof Error)) {
    return {
      code: 'internal',
      message: 'Internal error.',
      retryable: false,
      mayHaveSucceeded: false,
      extra: {},
    };
  }
  const e = err as unknown as Loose;
  const message = scrubSecrets(stripPrefix(err.message));
  const mayHaveSucceeded = e.mayHaveExecuted === true || e.mayHaveSucceeded === true;
  const retryable = e.retryable === true;
  if (err.name === 'AbortError' || err.name === 'TimeoutError') {
    return {
      code: 'cancelled',
      message: 'The call was cancelled or timed out.',
      retryable: true,
      mayHaveSucceeded,
      extra: {},
    };
  }
  if (err.name === 'ZodError' || err instanceof RangeError || err.name === 'CommandParamError') {
    return {
      code: 'invalid_argument',
      message,
      retryable: false,
      mayHaveSucceeded: false,
      next: NEXT_BY_CODE.invalid_argument?.text,
      extra: {},
    };
  }
  const code = str(e.code) ?? str(e.kind);
  const status = num(e.status);
  // FleetHttpError and kin without a code of their own.
  if (code === undefined && status !== undefined) {
    return fromHttpStatus(e, status);
  }
  const extra: Record<string, unknown> = {};
  for (const k of ['retryAfterSeconds', 'status', 'baseUrl', 'faultName', 'vin'] as const) {
    if (e[k] !== undefined && e[k] !== null) extra[k === 'faultName' ? 'fault' : k] = e[k];
  }
  const c = (code ?? 'internal').replace(/-/g, '_');
  const d: ErrorDescription = { code: c, message, retryable, mayHaveSucceeded, extra };
  const notFound = str(e.notFound);
  if (notFound) extra.notFound = notFound;
  const next = c === 'not_found' && notFound ? NOT_FOUND_NEXT[notFound] : NEXT_BY_CODE[c];
  if (next && (next.tool || CLI_ADVICE.test(message))) {
    // A tool does what the lower layer's "run `tesla-mcp …`" asked a human to do, or the next
    // step says who must act: the model gets that, the terminal command stays in the hint.
    d.message = message.replace(CLI_ADVICE, '').trimEnd();
    d.next = next.text;
    if (next.tool) d.nextTool = next.tool;
  } else if (next && !/: (call|run|open|wait|retry|check|register|use|fix|set)\b/.test(message)) {
    // Messages from the lower layers already say what to do; add a hint only where they do not.
    d.next = next.text;
  }
  return d;
}
