/**
 * Share invitations and drivers of the simulated account (`/api/1/vehicles/{vin}/invitations`,
 * `/drivers`), kept in memory per VIN.
 *
 * @module
 */

export interface Invitation {
  id: number;
  id_s: string;
  owner_id: number;
  share_user_id: number | null;
  product_id: string;
  state: 'pending' | 'revoked' | 'redeemed';
  code: string;
  expires_at: string;
  revoked_at: string | null;
  share_type: 'customer';
  share_link: string;
  vin: string;
}

export interface Driver {
  my_tesla_unique_id: number;
  user_id: number;
  user_id_s: string;
  share_user_id: number;
  driver_first_name: string;
  driver_last_name: string;
  granular_access: { hide_private: boolean };
  active_pubkeys: string[];
  public_key: string;
}

export class SimSharing {
  readonly #now: () => number;
  readonly #invitations = new Map<string, Invitation[]>();
  readonly #drivers = new Map<string, Driver[]>();
  #nextId = 1;

  constructor(now: () => number) {
    this.#now = now;
  }

  invitations(vin: string): Invitation[] {
    let list = this.#invitations.get(vin);
    if (!list) {
      list = [];
      this.#invitations.set(vin, list);
    }
    return list;
  }

  createInvitation(vin: string): Invitation {
    const id = 2_252_000 + this.#nextId++;
    const code = Buffer.from(`sim-invite-${id}`).toString('base64url');
    const inv: Invitation = {
      id,
      id_s: String(id),
      owner_id: 800_001,
      share_user_id: null,
      product_id: vin,
      state: 'pending',
      code,
      expires_at: new Date(this.#now() + 86_400_000).toISOString(),
      revoked_at: null,
      share_type: 'customer',
      share_link: `https://www.tesla.com/_rs/1/${code}`,
      vin,
    };
    this.invitations(vin).push(inv);
    return inv;
  }

  drivers(vin: string): Driver[] {
    let list = this.#drivers.get(vin);
    if (!list) {
      list = [
        {
          my_tesla_unique_id: 8_001,
          user_id: 800_001,
          user_id_s: '800001',
          share_user_id: 0,
          driver_first_name: 'Simulated',
          driver_last_name: 'Owner',
          granular_access: { hide_private: false },
          active_pubkeys: [],
          public_key: '',
        },
      ];
      this.#drivers.set(vin, list);
    }
    return list;
  }
}
