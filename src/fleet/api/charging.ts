/**
 * Charging history, sessions and invoices (Tesla Fleet API docs, "Charging Endpoints"). Paging
 * uses Tesla's `pageNo` / `pageSize` (ysrdevs/tesla-mcp, the Python server, sent `page` /
 * `per_page`, which the API ignores).
 *
 * @module
 */
import { type FleetRequester, idPath, vinPath } from './types.js';

export interface ChargingHistoryOptions {
  vin?: string | undefined;
  /** From 1 (page 1 holds the newest sessions with `sortOrder: 'DESC'`). */
  pageNo?: number | undefined;
  pageSize?: number | undefined;
  /** ISO 8601 times. */
  startTime?: string | undefined;
  endTime?: string | undefined;
  sortBy?: string | undefined;
  sortOrder?: 'ASC' | 'DESC' | undefined;
  signal?: AbortSignal | undefined;
}

export interface ChargingSessionsOptions {
  vin?: string | undefined;
  dateFrom?: string | undefined;
  dateTo?: string | undefined;
  limit?: number | undefined;
  offset?: number | undefined;
  signal?: AbortSignal | undefined;
}

export class ChargingApi {
  readonly #api: FleetRequester;

  constructor(api: FleetRequester) {
    this.#api = api;
  }

  /** `GET /api/1/dx/charging/history` (Supercharger history of the account). */
  async history(o: ChargingHistoryOptions = {}): Promise<unknown> {
    if (o.pageSize !== undefined && (o.pageSize < 1 || o.pageSize > 100)) {
      throw new RangeError('fleet: pageSize must be 1-100');
    }
    if (o.pageNo !== undefined && !(Number.isInteger(o.pageNo) && o.pageNo >= 1)) {
      throw new RangeError('fleet: pageNo counts from 1');
    }
    return this.#api.request('GET', '/api/1/dx/charging/history', {
      query: {
        vin: o.vin === undefined ? undefined : vinPath(o.vin),
        pageNo: o.pageNo,
        pageSize: o.pageSize,
        startTime: o.startTime,
        endTime: o.endTime,
        sortBy: o.sortBy,
        sortOrder: o.sortOrder,
      },
      signal: o.signal,
    });
  }

  /** `GET /api/1/dx/charging/sessions` (business fleet owners only). */
  async sessions(o: ChargingSessionsOptions = {}): Promise<unknown> {
    return this.#api.request('GET', '/api/1/dx/charging/sessions', {
      query: {
        vin: o.vin === undefined ? undefined : vinPath(o.vin),
        date_from: o.dateFrom,
        date_to: o.dateTo,
        limit: o.limit,
        offset: o.offset,
      },
      signal: o.signal,
    });
  }

  /** `GET /api/1/dx/charging/invoice/{id}`: the invoice PDF bytes. */
  async invoice(id: string, signal?: AbortSignal): Promise<Uint8Array> {
    const r = await this.#api.request(
      'GET',
      `/api/1/dx/charging/invoice/${idPath(id, 'the invoice id')}`,
      {
        signal,
        binary: true,
      },
    );
    return r as Uint8Array;
  }
}
