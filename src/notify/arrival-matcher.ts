// One occurrence that reaches the bot from two sources (an alarm: the socket's entityChanged and the FCM push;
// a death: the team state and the push) is posted once. Each arrival from one source cancels one unmatched
// arrival of the other source under the same key within the window, so two occurrences close together still
// pair up one to one. Kept in memory: a server's socket and its owner's push listener live in the same process
// (shard ownership); a restart can at worst let one occurrence through twice.

const WINDOW_MS = 60_000;

interface Arrival<S, P> {
  source: S;
  /** ms, from `now`. */
  at: number;
  payload: P;
}

export class ArrivalMatcher<S extends string, P = undefined> {
  readonly #unmatched = new Map<string, Arrival<S, P>[]>();
  #sweptAt: number;

  constructor(private readonly now: () => number = Date.now) {
    this.#sweptAt = now();
  }

  /**
   * Records one arrival from `source` under `key`. Null when it is the first of its occurrence (post it);
   * otherwise the matched arrival of the other source (already posted), which it cancels.
   */
  claim(key: string, source: S, payload: P): { payload: P } | null {
    const now = this.now();
    this.#sweep(now);
    const recent = this.#recent(key, now);
    const match = recent.findIndex((a) => a.source !== source);
    const other = match >= 0 ? recent.splice(match, 1)[0] : undefined;
    if (!other) recent.push({ source, at: now, payload });
    if (recent.length) this.#unmatched.set(key, recent);
    else this.#unmatched.delete(key);
    return other ? { payload: other.payload } : null;
  }

  #recent(key: string, now: number): Arrival<S, P>[] {
    return (this.#unmatched.get(key) ?? []).filter((a) => now - a.at < WINDOW_MS);
  }

  /** Once a window, forgets keys whose arrivals all expired (e.g. teammates' deaths, which get no push). */
  #sweep(now: number): void {
    if (now - this.#sweptAt < WINDOW_MS) return;
    this.#sweptAt = now;
    for (const key of [...this.#unmatched.keys()]) {
      const recent = this.#recent(key, now);
      if (recent.length) this.#unmatched.set(key, recent);
      else this.#unmatched.delete(key);
    }
  }
}
