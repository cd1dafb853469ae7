// Background work a component starts without awaiting it (a broadcast, a push, a redraw): a failure is
// reported, never thrown, and tests and shutdown can wait until all of it is done.
export class WorkSet {
  readonly #pending = new Set<Promise<void>>();

  constructor(private readonly onError: (err: unknown) => void) {}

  /** Tracks `work`; the returned promise settles with it and never rejects. */
  track(work: Promise<unknown>): Promise<void> {
    const tracked = work.then(
      () => undefined,
      (err: unknown) => this.onError(err),
    );
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
    return tracked;
  }

  /** Resolves when every piece of work tracked so far (and any tracked meanwhile) is done. */
  async idle(): Promise<void> {
    while (this.#pending.size) await Promise.all(this.#pending);
  }
}

/**
 * Jobs run one after another per key (a server's posts in the order they happened), each started without awaiting
 * it and tracked by `work`; a failing job is reported with its key and the next one still runs.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<void>>();

  constructor(
    private readonly work: WorkSet,
    private readonly onError: (err: unknown, key: string) => void,
  ) {}

  /** Runs `job` after the jobs already queued under `key`. */
  push(key: string, job: () => Promise<void>): void {
    const next = (this.#tails.get(key) ?? Promise.resolve()).then(job).catch((err: unknown) => this.onError(err, key));
    this.#tails.set(key, next);
    this.work.track(next);
    void next.finally(() => {
      if (this.#tails.get(key) === next) this.#tails.delete(key);
    });
  }
}
