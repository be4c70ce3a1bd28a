/**
 * Concurrency limits for one vehicle: a FIFO semaphore (Infotainment keeps fewer than 32
 * commands in flight, because the vehicle refuses counters more than 32 behind the newest it
 * has seen) and a mutex (VCSEC needs in-order counters, so its commands are serialized).
 *
 * @module
 */

export class Semaphore {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1)) {
      throw new RangeError(`vehicle: semaphore limit must be a positive integer, got ${limit}`);
    }
    this.#limit = limit;
  }

  get active(): number {
    return this.#active;
  }

  /** Waits for a slot; resolves to the function that frees it (call it exactly once). */
  async acquire(): Promise<() => void> {
    if (this.#active < this.#limit) {
      this.#active++;
    } else {
      // The releasing holder hands its slot over directly: `#active` stays the same.
      await new Promise<void>((resolve) => this.#waiting.push(resolve));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiting.shift();
      if (next) next();
      else this.#active--;
    };
  }

  /** Runs `fn` holding a slot. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await fn();
    } finally {
      release();
    }
  }
}

/** A FIFO mutual-exclusion lock. */
export class Mutex extends Semaphore {
  constructor() {
    super(1);
  }
}
