/**
 * Drivers and share invitations (Tesla Fleet API docs, "Vehicle Endpoints"). `redeem` sends
 * the code in the JSON body (a third-party library put it in the query under the code's value).
 *
 * @module
 */
import { asArray, type FleetRequester, idPath, vinPath } from './types.js';

export class SharingApi {
  readonly #api: FleetRequester;

  constructor(api: FleetRequester) {
    this.#api = api;
  }

  /** `GET /api/1/vehicles/{vin}/drivers` (owner only). */
  async drivers(vin: string, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    return asArray(
      await this.#api.request('GET', `/api/1/vehicles/${vinPath(vin)}/drivers`, { signal }),
    );
  }

  /** `DELETE /api/1/vehicles/{vin}/drivers?share_user_id=` (omit the id to remove yourself). */
  async removeDriver(
    vin: string,
    shareUserId?: string | number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    return this.#api.request('DELETE', `/api/1/vehicles/${vinPath(vin)}/drivers`, {
      query: {
        share_user_id: shareUserId === undefined ? undefined : idPath(shareUserId, 'share_user_id'),
      },
      signal,
    });
  }

  async invitations(vin: string, signal?: AbortSignal): Promise<Record<string, unknown>[]> {
    return asArray(
      await this.#api.request('GET', `/api/1/vehicles/${vinPath(vin)}/invitations`, { signal }),
    );
  }

  /** Creates a single-use invite (expires in 24 h; up to 5 drivers). */
  async createInvitation(vin: string, signal?: AbortSignal): Promise<unknown> {
    return this.#api.request('POST', `/api/1/vehicles/${vinPath(vin)}/invitations`, { signal });
  }

  async revokeInvitation(
    vin: string,
    inviteId: string | number,
    signal?: AbortSignal,
  ): Promise<unknown> {
    return this.#api.request(
      'POST',
      `/api/1/vehicles/${vinPath(vin)}/invitations/${idPath(inviteId, 'invite id')}/revoke`,
      { signal },
    );
  }

  async redeemInvitation(code: string, signal?: AbortSignal): Promise<unknown> {
    if (!code.trim()) throw new RangeError('fleet: give the invitation code');
    return this.#api.request('POST', '/api/1/invitations/redeem', {
      body: { code: code.trim() },
      signal,
    });
  }
}
