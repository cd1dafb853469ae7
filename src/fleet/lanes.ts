// Discord's global limit (50 requests/s per bot token, https://discord.com/developers/docs/topics/rate-limits#global-rate-limit)
// with two lanes. Used by the bot's REST client (one process) and by the REST proxy (the whole fleet).
//
// Every grant is logged; no window of (1000 + SAFETY_MS) ms ever holds more than `perSecond` grants, so no
// one-second window of Discord's does either, and the margin absorbs event-loop and network jitter between our
// clock and Discord's (the same reason @discordjs/rest adds a 50 ms offset to every reset).
// - Routine requests (card edits, chat relays, event posts) start evenly spaced, and only while the window
//   holds fewer than `perSecond − reserve` grants of any lane: however many routine requests wait, `reserve`
//   places of every window stay free for alarms, and alarms in the window count against routine's share.
// - Alarm requests may use every free place at once. So an alarm during a flood goes out at once (up to
//   `reserve` of them a window) instead of waiting for the next token of an evenly spaced schedule, which
//   measured as a 2.2–2.5× higher alarm p99 under a card-edit flood (npm run bench -- fleet). When places run
//   short, every waiting alarm is served before any waiting routine request; within a lane, first come first
//   served.

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

/** Share of each window's places routine requests leave free for alarms (at least one, when perSecond allows). */
export const ALARM_RESERVE_SHARE = 0.2;

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
  readonly #perSecond: number;
  readonly #windowMs = 1000 + SAFETY_MS;
  readonly #reserve: number;
  readonly #routineIntervalMs: number;
  readonly #now: () => number;
  readonly #setTimer: (fn: () => void, ms: number) => unknown;
  readonly #clearTimer: (timer: unknown) => void;
  readonly #queues: Record<Lane, Waiter[]> = { alarm: [], routine: [] };
  /** Grant times (ms on `now`) within the last window, oldest first. */
  readonly #log: number[] = [];
  /** When routine's next evenly spaced start is due; at or before now: due. */
  #routineNextAt = -Infinity;
  #timer: unknown;
  #granted: Record<Lane, number> = { alarm: 0, routine: 0 };

  constructor(options: LaneLimiterOptions) {
    if (!(options.perSecond >= 1)) throw new RangeError(`perSecond must be at least 1 (got ${options.perSecond})`);
    this.#perSecond = Math.floor(options.perSecond);
    this.#reserve = Math.min(this.#perSecond - 1, Math.max(1, Math.floor(this.#perSecond * ALARM_RESERVE_SHARE)));
    this.#routineIntervalMs = this.#windowMs / (this.#perSecond - this.#reserve);
    this.#now = options.now ?? (() => performance.now());
    this.#setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.#clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as NodeJS.Timeout));
  }

  /** Time between two routine requests when they queue (ms). */
  get intervalMs(): number {
    return this.#routineIntervalMs;
  }

  /** Places of each window routine requests leave to alarms. */
  get reserve(): number {
    return this.#reserve;
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
   * Resolves when this request may be sent (at once when its lane has a place and nobody waits ahead of it).
   * Rejects with `signal.reason` if the signal aborts first; the request then uses no place.
   */
  take(lane: Lane, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const ahead = lane === "alarm" ? this.#queues.alarm.length : this.#queues.alarm.length + this.#queues.routine.length;
    if (ahead === 0 && this.#tryGrant(lane)) return Promise.resolve();
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

  /** Grants a place to `lane` now if it has one (and logs it). */
  #tryGrant(lane: Lane): boolean {
    const now = this.#now();
    while (this.#log.length > 0 && this.#log[0]! <= now - this.#windowMs) this.#log.shift();
    if (this.#log.length >= this.#perSecond) return false;
    if (lane === "routine") {
      if (now < this.#routineNextAt || this.#log.length >= this.#perSecond - this.#reserve) return false;
      // No banking through a quiet spell; a timer that fired late by less than an interval keeps the nominal
      // schedule, so the routine rate holds.
      this.#routineNextAt = (now - this.#routineNextAt < this.#routineIntervalMs ? this.#routineNextAt : now) + this.#routineIntervalMs;
    }
    this.#log.push(now);
    this.#granted[lane]++;
    return true;
  }

  /** When a waiting request of `lane` could next be granted (ms on `now`). */
  #nextChance(lane: Lane): number {
    const limit = lane === "alarm" ? this.#perSecond : this.#perSecond - this.#reserve;
    // The log's entry whose expiry brings the count under the lane's limit.
    const expiring = this.#log.length >= limit ? this.#log[this.#log.length - limit]! + this.#windowMs : -Infinity;
    return lane === "alarm" ? expiring : Math.max(expiring, this.#routineNextAt);
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    const lane = this.#queues.alarm.length > 0 ? "alarm" : this.#queues.routine.length > 0 ? "routine" : undefined;
    if (lane === undefined) return;
    const delay = Math.max(0, this.#nextChance(lane) - this.#now());
    this.#timer = this.#setTimer(() => {
      this.#timer = undefined;
      this.#drain();
    }, delay);
  }

  #drain(): void {
    for (;;) {
      const lane = this.#queues.alarm.length > 0 ? "alarm" : this.#queues.routine.length > 0 ? "routine" : undefined;
      if (lane === undefined || !this.#tryGrant(lane)) break;
      const waiter = this.#queues[lane].shift()!;
      if (waiter.onAbort) waiter.signal?.removeEventListener("abort", waiter.onAbort);
      waiter.resolve();
    }
    this.#schedule();
  }
}
