// Discord's global rate limit as Discord applies it: at most `perSecond` requests (default 50) per bot token
// (per IP address without one) in each one-second window; the request over it is answered 429 with
// `"global": true` in the body and the headers X-RateLimit-Global: true, X-RateLimit-Scope: global and
// Retry-After (seconds). Interaction callbacks and webhooks are exempt ("Interaction endpoints are not bound to
// the bot's Global Rate Limit"). Source: https://discord.com/developers/docs/topics/rate-limits#global-rate-limit
// and the 429 response structure on the same page. Windows here are fixed, aligned to the clock's seconds.

export interface GlobalLimitAnswer {
  status: 429;
  body: { message: string; retry_after: number; global: true };
  headers: Record<string, string>;
}

export class GlobalLimit {
  /** Counted requests (answered or refused) per window start (ms since the epoch), per key. */
  readonly #windows = new Map<string, Map<number, number>>();
  #refused = 0;

  /** `perSecond`: null switches the limit off (requests are still counted). */
  constructor(readonly perSecond: number | null, private readonly now: () => number = Date.now) {}

  /** Counts the request; an answer when it is over the limit, undefined when it may go on. `key`: its token or address. */
  check(key: string, exempt: boolean): GlobalLimitAnswer | undefined {
    if (exempt) return undefined;
    const now = this.now();
    const window = Math.floor(now / 1000) * 1000;
    let windows = this.#windows.get(key);
    if (!windows) this.#windows.set(key, (windows = new Map()));
    const count = (windows.get(window) ?? 0) + 1;
    windows.set(window, count);
    if (this.perSecond === null || count <= this.perSecond) return undefined;
    this.#refused++;
    const retryAfter = (window + 1000 - now) / 1000;
    return {
      status: 429,
      body: { message: "You are being rate limited.", retry_after: Number(retryAfter.toFixed(3)), global: true },
      headers: { "retry-after": String(Math.max(1, Math.ceil(retryAfter))), "x-ratelimit-global": "true", "x-ratelimit-scope": "global" },
    };
  }

  /** Global 429s answered so far. */
  get refused(): number {
    return this.#refused;
  }

  /** The most requests counted in one window for one key (including refused ones). */
  get maxPerSecond(): number {
    let max = 0;
    for (const windows of this.#windows.values()) for (const n of windows.values()) max = Math.max(max, n);
    return max;
  }

  /** Counted requests per window (ms since the epoch, oldest first), all keys together. */
  perWindow(): [windowStart: number, requests: number][] {
    const all = new Map<number, number>();
    for (const windows of this.#windows.values()) for (const [w, n] of windows) all.set(w, (all.get(w) ?? 0) + n);
    return [...all].sort((a, b) => a[0] - b[0]);
  }
}
