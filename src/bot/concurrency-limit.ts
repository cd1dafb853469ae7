// At most `limit` pieces of work running at once; the rest wait, first come first served.

export class ConcurrencyLimit {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  /** `limit`: work allowed to run at once, at least 1. Throws RangeError otherwise. */
  constructor(readonly limit: number) {
    if (!(Number.isInteger(limit) && limit >= 1)) throw new RangeError(`limit must be a whole number of at least 1 (got ${limit})`);
  }

  /** Runs `work` once fewer than `limit` others run; settles as `work` does. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.#running >= this.limit) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    else this.#running++;
    try {
      return await work();
    } finally {
      // The slot passes straight to the next waiter, so a newcomer cannot overtake it.
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }

  /** Work waiting for a slot (tests). */
  get waiting(): number {
    return this.#waiting.length;
  }
}
