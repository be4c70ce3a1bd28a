/**
 * Billable-call accounting (https://developer.tesla.com/docs/fleet-api/billing-and-limits): every answer below 500
 * is billable (408 and 429 included), 5xx and no-answer are not. Categories data, command and
 * wake, priced $1/500, $1/1000 and $1/50; partner and auth calls are counted as `free`.
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
  if (/\/vehicles\/\{vin\}\/(command\/[^/]+|signed_command)$/.test(p)) return 'command';
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

/** In-memory counters for one process. */
export class Billing {
  readonly #since: number;
  readonly #lines = new Map<string, BillingLine>();

  constructor(now = Date.now()) {
    this.#since = now;
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
    if (status > 0 && status < 500) line.billable++;
    else line.unbilled++;
  }

  summary(): BillingSummary {
    const totals: Record<BillingCategory, number> = { data: 0, command: 0, wake: 0, free: 0 };
    const endpoints = [...this.#lines.values()]
      .map((l) => ({ ...l }))
      .sort((a, b) => b.billable - a.billable || a.endpoint.localeCompare(b.endpoint));
    for (const l of endpoints) totals[l.category] += l.billable;
    const costUsd = round(
      totals.data * PRICES.data + totals.command * PRICES.command + totals.wake * PRICES.wake,
    );
    const lines = [
      `Fleet API calls since ${new Date(this.#since).toISOString()}: ${totals.data} data, ${totals.command} command, ${totals.wake} wake = $${costUsd.toFixed(4)} (before Tesla's $10 monthly credit)`,
      ...endpoints.map(
        (l) =>
          `  ${l.endpoint}: ${l.billable} billable${l.unbilled ? `, ${l.unbilled} not billed (5xx or no answer)` : ''} [${l.category}]`,
      ),
    ];
    return {
      since: new Date(this.#since).toISOString(),
      totals,
      costUsd,
      endpoints,
      text: lines.join('\n'),
    };
  }
}

function round(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}
