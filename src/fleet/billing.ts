/**
 * Billable-call accounting (https://developer.tesla.com/docs/fleet-api/billing-and-limits): every answer below 500
 * is billable (408 and 429 included), 5xx and no-answer are not. Categories data, command and
 * wake, priced $1/500, $1/1000 and $1/50; partner and auth calls are counted as `free`.
 *
 * Counted per process, and, once {@link Billing.share} names a state store (the file store of
 * one machine, or Redis), also in the store, so every instance on the command key adds to the
 * same counters: one per UTC month (Tesla bills per month), outcome, category and endpoint.
 * Counting there never delays the call: counts queue in the process and are sent in the
 * background; what the store has not taken (it failed) stays queued, is resent with the next
 * count, and {@link Billing.report} says how many calls the shared totals are missing and why.
 * A count whose answer was lost may be resent, so the shared totals can be over, never under.
 *
 * @module
 */
import { isVin } from '../util/vin.js';

export type BillingCategory = 'data' | 'command' | 'wake' | 'free';

/** USD per billable request. */
export const PRICES: Readonly<Record<Exclude<BillingCategory, 'free'>, number>> = {
  data: 1 / 500,
  command: 1 / 1000,
  wake: 1 / 50,
};

/** `/api/1/vehicles/5YJ.../command/x` → `/api/1/vehicles/{vin}/command/x`; ids likewise. */
export function endpointPattern(path: string): string {
  const p = path.split('?')[0] ?? path;
  const segs = p.split('/').map((s, i, all) => {
    if (i <= 2) return s; // '', 'api', '1'
    if (isVin(s)) return '{vin}';
    const prev = all[i - 1];
    if (/^\d+$/.test(s) || (prev === 'invitations' && s && s !== 'redeem')) return '{id}';
    if (prev === 'energy_sites' || prev === 'invoice') return '{id}';
    return s;
  });
  return segs.join('/');
}

/** Which category Tesla bills a request under. */
export function categorize(method: string, path: string): BillingCategory {
  const p = endpointPattern(path);
  if (p.startsWith('/api/1/partner_accounts') || !p.startsWith('/api/1/')) return 'free';
  if (/\/wake_up$/.test(p)) return 'wake';
  // Whatever names the vehicle (a VIN, a vehicle id, a simulator's made-up VIN).
  if (/^\/api\/1\/vehicles\/[^/]+\/(command\/[^/]+|signed_command)$/.test(p)) return 'command';
  if (method !== 'GET' && /^\/api\/1\/energy_sites\/\{id\}\//.test(p)) return 'command';
  return 'data';
}

export interface BillingLine {
  category: BillingCategory;
  endpoint: string;
  billable: number;
  unbilled: number;
}

export interface BillingSummary {
  since: string;
  totals: Record<BillingCategory, number>;
  costUsd: number;
  endpoints: BillingLine[];
  text: string;
}

/** What {@link Billing.share} counts in: a state store's billing counters (`StateStore`). */
export interface SharedBillingCounters {
  /** Names the store in the summary (`file /path`, `redis host:port`); never a secret. */
  readonly description: string;
  countBilling(name: string, n: number): Promise<void>;
  billing(): Promise<Record<string, number>>;
}

/**
 * {@link Billing.report}: the totals of `scope` (every instance sharing the store this month,
 * or this process when there is no store or it failed), with this process's own figures.
 */
export interface BillingReport extends BillingSummary {
  /** `this process`, or `all instances sharing <store>`. */
  scope: string;
  /** This process since it started (the same as the totals when `scope` is this process). */
  thisProcess: Pick<BillingSummary, 'since' | 'totals' | 'costUsd'>;
  /** Why the shared totals are missing or incomplete (the store failed); absent when whole. */
  sharedError?: string;
  /** Calls of this process the store has not counted yet (it failed); absent when none. */
  uncountedCalls?: number;
}

/** How long {@link Billing.report} waits for the store before reporting this process only. */
const SHARED_READ_MS = 3000;

/** Counters of one process, and, once shared, of every instance on the store. */
export class Billing {
  readonly #since: number;
  readonly #clock: () => number;
  readonly #lines = new Map<string, BillingLine>();
  #shared: SharedBillingCounters | undefined;
  /** Store counter name → calls not yet counted there. */
  readonly #queued = new Map<string, number>();
  #sending: Promise<void> | undefined;
  #storeError: string | undefined;

  /** `now`: the start of this process's counts; `clock`: the time of each call (tests). */
  constructor(now = Date.now(), clock: () => number = Date.now) {
    this.#since = now;
    this.#clock = clock;
  }

  /** Counts every call from now on in `counters` too (the state store every instance shares). */
  share(counters: SharedBillingCounters): void {
    this.#shared = counters;
  }

  /** Records one answer (`status` 0 = no answer). */
  record(method: string, path: string, status: number): void {
    const category = categorize(method, path);
    const endpoint = `${method} ${endpointPattern(path)}`;
    let line = this.#lines.get(endpoint);
    if (!line) {
      line = { category, endpoint, billable: 0, unbilled: 0 };
      this.#lines.set(endpoint, line);
    }
    const billable = status > 0 && status < 500;
    if (billable) line.billable++;
    else line.unbilled++;
    if (this.#shared) {
      const name = counterName(monthOf(this.#clock()), billable, category, endpoint);
      this.#queued.set(name, (this.#queued.get(name) ?? 0) + 1);
      void this.#send();
    }
  }

  /** Sends what is queued to the store (one batch at a time); resolves once sent or failed. */
  flush(): Promise<void> {
    return this.#send();
  }

  #send(): Promise<void> {
    this.#sending ??= this.#sendAll().finally(() => {
      this.#sending = undefined;
    });
    return this.#sending;
  }

  async #sendAll(): Promise<void> {
    const shared = this.#shared;
    if (!shared) return;
    while (this.#queued.size > 0) {
      const batch = [...this.#queued];
      this.#queued.clear();
      const sent = await Promise.allSettled(batch.map(([name, n]) => shared.countBilling(name, n)));
      let failed: unknown;
      sent.forEach((r, i) => {
        const [name, n] = batch[i] ?? ['', 0];
        if (r.status === 'fulfilled') return;
        failed ??= r.reason;
        this.#queued.set(name, (this.#queued.get(name) ?? 0) + n);
      });
      // Kept queued: sent again with the next call or report.
      if (failed !== undefined) {
        this.#storeError = errorText(failed);
        return;
      }
    }
    this.#storeError = undefined;
  }

  summary(): BillingSummary {
    return summarize(
      [...this.#lines.values()].map((l) => ({ ...l })),
      `Fleet API calls since ${new Date(this.#since).toISOString()}`,
      new Date(this.#since).toISOString(),
    );
  }

  /**
   * The totals of every instance sharing the store this UTC month (after sending this process's
   * queued counts), with this process's own; this process only when nothing is shared, and
   * when the store fails (then `sharedError` says why and the text says so first).
   */
  async report(): Promise<BillingReport> {
    const own = this.summary();
    const thisProcess = { since: own.since, totals: own.totals, costUsd: own.costUsd };
    const shared = this.#shared;
    if (!shared) return { ...own, scope: 'this process', thisProcess };
    const month = monthOf(this.#clock());
    let counters: Record<string, number> | undefined;
    let readError = '';
    try {
      counters = await withTimeout(
        this.flush().then(() => shared.billing()),
        SHARED_READ_MS,
        `the state store did not answer within ${SHARED_READ_MS / 1000} s`,
      );
    } catch (err) {
      readError = errorText(err);
    }
    const uncounted = [...this.#queued.values()].reduce((a, b) => a + b, 0);
    const sendError = uncounted ? (this.#storeError ?? 'not sent yet') : undefined;
    if (!counters) {
      const uncountedText = uncounted
        ? `, and ${uncounted} call(s) of this process are not counted there yet`
        : '';
      return {
        ...own,
        text: `The totals of all instances sharing ${shared.description} are unavailable (${readError})${uncountedText}: the figures below are this process's only. Call get_billing_summary again once the store answers.\n${own.text}`,
        scope: 'this process',
        thisProcess,
        sharedError: readError,
        ...(uncounted ? { uncountedCalls: uncounted } : {}),
      };
    }
    const all = summarize(
      sharedLines(counters, month),
      `Fleet API calls this month (since ${month}-01T00:00:00Z) by all instances sharing ${shared.description}`,
      `${month}-01T00:00:00.000Z`,
    );
    const ownLine = `This process since ${own.since}: ${own.totals.data} data, ${own.totals.command} command, ${own.totals.wake} wake = $${own.costUsd.toFixed(4)}`;
    const missing = sendError
      ? `\n${uncounted} call(s) of this process are not in these totals yet (${sendError}); they are sent again with the next call.`
      : '';
    return {
      ...all,
      text: `${all.text}\n${ownLine}${missing}`,
      scope: `all instances sharing ${shared.description}`,
      thisProcess,
      ...(sendError ? { sharedError: sendError } : {}),
      ...(uncounted ? { uncountedCalls: uncounted } : {}),
    };
  }
}

/** `2026-12|billable|data|GET /api/1/vehicles/{vin}`: one shared counter. */
function counterName(
  month: string,
  billable: boolean,
  category: BillingCategory,
  endpoint: string,
): string {
  return `${month}|${billable ? 'billable' : 'unbilled'}|${category}|${endpoint}`;
}

const CATEGORIES = new Set<string>(['data', 'command', 'wake', 'free']);

/** The lines of `month` from the store's counters (names of other months or shapes skipped). */
function sharedLines(counters: Record<string, number>, month: string): BillingLine[] {
  const lines = new Map<string, BillingLine>();
  for (const [name, n] of Object.entries(counters)) {
    const parts = name.split('|');
    const [m, outcome, category] = parts;
    const endpoint = parts.slice(3).join('|');
    if (m !== month || !category || !CATEGORIES.has(category) || !endpoint) continue;
    if (outcome !== 'billable' && outcome !== 'unbilled') continue;
    if (!Number.isSafeInteger(n) || n < 0) continue;
    let line = lines.get(endpoint);
    if (!line) {
      line = { category: category as BillingCategory, endpoint, billable: 0, unbilled: 0 };
      lines.set(endpoint, line);
    }
    line[outcome] += n;
  }
  return [...lines.values()];
}

function summarize(lines: BillingLine[], heading: string, since: string): BillingSummary {
  const totals: Record<BillingCategory, number> = { data: 0, command: 0, wake: 0, free: 0 };
  const endpoints = lines.sort(
    (a, b) => b.billable - a.billable || a.endpoint.localeCompare(b.endpoint),
  );
  for (const l of endpoints) totals[l.category] += l.billable;
  const costUsd = round(
    totals.data * PRICES.data + totals.command * PRICES.command + totals.wake * PRICES.wake,
  );
  const text = [
    `${heading}: ${totals.data} data, ${totals.command} command, ${totals.wake} wake = $${costUsd.toFixed(4)} (before Tesla's $10 monthly credit)`,
    ...endpoints.map(
      (l) =>
        `  ${l.endpoint}: ${l.billable} billable${l.unbilled ? `, ${l.unbilled} not billed (5xx or no answer)` : ''} [${l.category}]`,
    ),
  ];
  return { since, totals, costUsd, endpoints, text: text.join('\n') };
}

/** `YYYY-MM` of a time, in UTC. */
function monthOf(ms: number): string {
  return new Date(ms).toISOString().slice(0, 7);
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function withTimeout<T>(p: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
    timer.unref();
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
