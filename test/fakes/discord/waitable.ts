/** An append-only list whose entries can be awaited: past ones from an index on, or only future ones. */
export class Log<T> {
  readonly items: T[] = [];
  readonly #waiters = new Set<{ match: (item: T) => boolean; resolve: (item: T) => void }>();

  push(item: T): void {
    this.items.push(item);
    for (const waiter of this.#waiters) {
      if (!waiter.match(item)) continue;
      this.#waiters.delete(waiter);
      waiter.resolve(item);
    }
  }

  /** The first entry at index >= `from` that matches, waiting for it if needed. */
  waitFor(match: (item: T) => boolean = () => true, from = 0): Promise<T> {
    const past = this.items.slice(from).find(match);
    if (past !== undefined) return Promise.resolve(past);
    return new Promise((resolve) => this.#waiters.add({ match, resolve }));
  }

  next(match: (item: T) => boolean = () => true): Promise<T> {
    return this.waitFor(match, this.items.length);
  }
}

/** Reads entries of a Log one by one, in order, waiting when none is left. */
export function cursor<T>(log: Log<T>): () => Promise<T> {
  let index = 0;
  return async () => {
    const item = await log.waitFor(() => true, index);
    index = log.items.indexOf(item, index) + 1;
    return item;
  };
}
