import { describe } from 'node:test';
import { MemoryStateStore } from '../../src/vehicle/memory-store.js';
import type { StateStore } from '../../src/vehicle/state-store.js';
import { stateStoreContract } from '../helpers/state-store-contract.js';

/** Handles on one in-memory store: "another instance" is the same object (one process). */
const stores = new Map<string, MemoryStateStore>();

describe('memory state store', () => {
  stateStoreContract('memory', async (id): Promise<StateStore> => {
    let s = stores.get(id);
    if (!s) {
      s = new MemoryStateStore();
      stores.set(id, s);
    }
    return s;
  });
});
