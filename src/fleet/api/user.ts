/**
 * User endpoints (Tesla Fleet API docs, "User Endpoints"): me, region, orders, feature config,
 * backup key.
 *
 * @module
 */
import type { FleetRequester, Loose } from './types.js';

export type UserRegion = Loose<{ region: string; fleet_api_base_url: string }>;

export class UserApi {
  readonly #api: FleetRequester;

  constructor(api: FleetRequester) {
    this.#api = api;
  }

  async me(signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', '/api/1/users/me', { signal });
  }

  /** `GET /api/1/users/region`: the account's region and its Fleet API base URL. */
  async region(signal?: AbortSignal): Promise<UserRegion> {
    const r = (await this.#api.request('GET', '/api/1/users/region', { signal })) as
      | Partial<UserRegion>
      | undefined;
    return {
      ...r,
      region: String(r?.region ?? ''),
      fleet_api_base_url: String(r?.fleet_api_base_url ?? ''),
    };
  }

  async orders(signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', '/api/1/users/orders', { signal });
  }

  async featureConfig(signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', '/api/1/users/feature_config', { signal });
  }

  async backupKey(signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('GET', '/api/1/users/backup_key', { signal });
  }
}
