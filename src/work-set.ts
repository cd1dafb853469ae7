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
