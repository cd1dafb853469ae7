// Discord's global limit (50 requests/s per bot token, https://discord.com/developers/docs/topics/rate-limits#global-rate-limit)
// as a token bucket with two lanes: when tokens are the bottleneck, every waiting "alarm" request is served
// before any waiting "routine" one; within a lane, first come first served. Used by the bot's REST client
// (one process) and by the REST proxy (the whole fleet).
//
// The bucket holds one token and refills `perSecond` tokens per (1000 + SAFETY_MS) ms: requests start evenly
// spaced, never in bursts. A fuller bucket would let `capacity + perSecond` requests into one second, which
// Discord answers with a global 429; with one token no window of one second ever sees more than `perSecond`,
// and the margin absorbs event-loop and network jitter between our clock and Discord's (the same reason
// @discordjs/rest adds a 50 ms offset to every reset). Evenly spaced also means an alarm arriving during a
// flood waits at most one interval (about 21 ms at 50/s), not until the next second.

export type Lane = "alarm" | "routine";
export const LANES: readonly Lane[] = ["alarm", "routine"];

/** The request header that carries the lane from the caller to the limiter; never sent on to Discord. */
export const LANE_HEADER = "x-rustplus-lane";

/** Added to the one-second window (ms). */
export const SAFETY_MS = 50;

export function isLane(value: unknown): value is Lane {
  return value === "alarm" || value === "routine";
}

/**
 * Requests Discord does not count against the bot's global limit: interaction callbacks and follow-ups
 * (webhooks with the interaction token). "Interaction endpoints are not bound to the bot's Global Rate
 * Limit" (Discord docs, Rate Limits). `path`: the API path without /api/vN, e.g. "/interactions/1/tok/callback".
 */
export function isExemptPath(path: string): boolean {
  return path.startsWith("/interactions/") || path.startsWith("/webhooks/");
}

export interface LaneLimiterOptions {
  /** Requests a second (DISCORD_GLOBAL_REQUESTS_PER_SECOND); at least 1. */
  perSecond: number;
  /** Monotonic clock in ms; tests inject a manual one. */
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
}

export class LaneLimiter {
  readonly #intervalMs: number;
  readonly #now: () => number;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;
  readonly #queues: Record<Lane, Waiter[]> = { alarm: [], routine: [] };
  /** When the next token is available (ms on `now`); at or before now: one is available. */
  #nextAt = -Infinity;
  #timer: unknown;
  #granted: Record<Lane, number> = { alarm: 0, routine: 0 };

  constructor(options: LaneLimiterOptions) {
    if (!(options.perSecond >= 1)) throw new RangeError(`perSecond must be at least 1 (got ${options.perSecond})`);
    this.#intervalMs = (1000 + SAFETY_MS) / options.perSecond;
    this.#now = options.now ?? (() => performance.now());
    this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.#clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  }

  /** Time between two requests (ms). */
  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** Requests waiting in `lane`. */
  waiting(lane: Lane): number {
    return this.#queues[lane].length;
  }

  /** Requests let through so far in `lane`. */
  granted(lane: Lane): number {
    return this.#granted[lane];
  }

  /**
   * Resolves when this request may be sent (at once when a token is there and nobody waits). Rejects with
   * `signal.reason` if the signal aborts first; the request then uses no token.
   */
  take(lane: Lane, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    if (this.#queues.alarm.length === 0 && this.#queues.routine.length === 0 && this.#tryToken()) {
      this.#granted[lane]++;
      return Promise.resolve();
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, signal, onAbort: undefined };
      if (signal) {
        waiter.onAbort = () => {
          const queue = this.#queues[lane];
          const at = queue.indexOf(waiter);
          if (at >= 0) queue.splice(at, 1);
          reject(signal.reason);
        };
        signal.addEventListener("abort", waiter.onAbort, { once: true });
      }
      this.#queues[lane].push(waiter);
      this.#schedule();
    });
  }

  /** Rejects every waiting request with `error` and stops the timer (shutdown). */
  close(error: unknown = new Error("the rate limiter was closed")): void {
    if (this.#timer !== undefined) this.#clearTimer(this.#timer);
    this.#timer = undefined;
    for (const lane of LANES) {
      for (const waiter of this.#queues[lane].splice(0)) {
        if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
        waiter.reject(error);
      }
    }
  }

  #tryToken(): boolean {
    const now = this.#now();
    if (now < this.#nextAt) return false;
    // One token at most: a quiet spell does not bank a burst. A timer that fired late by less than an
    // interval keeps the nominal schedule, so the rate holds; grants then lag their nominal times by under
    // one interval, which still leaves any second at most perSecond × 1000 / (1000 + SAFETY_MS) + 1 requests.
    this.#nextAt = (now - this.#nextAt < this.#intervalMs ? this.#nextAt : now) + this.#intervalMs;
    return true;
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    const delay = Math.max(0, this.#nextAt - this.#now());
    this.#timer = this.#setTimer(() => {
      this.#timer = undefined;
      this.#drain();
    }, delay);
  }

  #drain(): void {
    for (;;) {
      const lane = this.#queues.alarm.length > 0 ? "alarm" : this.#queues.routine.length > 0 ? "routine" : undefined;
      if (lane === undefined) return;
      if (!this.#tryToken()) break;
      const waiter = this.#queues[lane].shift()!;
      if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
      this.#granted[lane]++;
      waiter.resolve();
    }
    this.#schedule();
  }
}
