// One request budget for the whole process, so every caller together stays inside BattleMetrics' limits. The
// figures are the community's (research/integrations.md: ~300/min and 45/s with a token; BattleMetrics' docs page
// is not in our sources), kept a little under. Two sliding windows, both must have room. Callers that may wait queue in
// order; background work asks `tryAcquire` and skips when nothing is free. A 429 pauses the whole queue until
// its Retry-After.
import { realTimers, type Timers } from "../../rustplus/timers.ts";

export interface WindowRule {
  /** Requests allowed in any window of `perMs`. */
  max: number;
  perMs: number;
}

export interface LimiterRules {
  perSecond: WindowRule;
  perMinute: WindowRule;
}

/** With a token: 45/s and 300/min, each kept 10 % under. */
export const TOKEN_LIMITS: LimiterRules = { perSecond: { max: 40, perMs: 1_000 }, perMinute: { max: 270, perMs: 60_000 } };

/** A sliding window: when each request in the last `perMs` went (a token bucket would allow twice `max` in some windows). */
interface Window {
  rule: WindowRule;
  sent: number[];
}

export class RequestLimiter {
  readonly #windows: Window[];
  readonly #queue: (() => void)[] = [];
  #pausedUntil = 0;
  #timer: unknown;
  /** Requests let through (for tests and logs). */
  granted = 0;

  constructor(
    private readonly timers: Timers = realTimers,
    rules: LimiterRules = TOKEN_LIMITS,
  ) {
    this.#windows = [rules.perSecond, rules.perMinute].map((rule) => ({ rule, sent: [] }));
  }

  /** Resolves when a request may be sent (it is counted by then). Queued in order; never rejects. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.#queue.push(resolve);
      this.#pump();
    });
  }

  /**
   * Counts a request now if nobody is queued, the queue is not paused and both windows have room while leaving
   * `reserve` requests for others; else false (never waits).
   */
  tryAcquire(reserve = 0): boolean {
    if (this.headroom() < 1 + reserve) return false;
    this.#take();
    return true;
  }

  /** Requests that could be sent right now without waiting (0 while paused or while others wait). */
  headroom(): number {
    if (this.#queue.length > 0 || this.timers.now() < this.#pausedUntil) return 0;
    this.#expire();
    return Math.min(...this.#windows.map((w) => w.rule.max - w.sent.length));
  }

  /** BattleMetrics said 429: nothing is sent before `untilMs` (epoch ms). */
  pauseUntil(untilMs: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, untilMs);
    this.#schedule();
  }

  pausedUntil(): number | undefined {
    return this.timers.now() < this.#pausedUntil ? this.#pausedUntil : undefined;
  }

  queued(): number {
    return this.#queue.length;
  }

  #expire(): void {
    const now = this.timers.now();
    for (const w of this.#windows) while (w.sent.length > 0 && (w.sent[0] ?? 0) <= now - w.rule.perMs) w.sent.shift();
  }

  #canSend(): boolean {
    if (this.timers.now() < this.#pausedUntil) return false;
    this.#expire();
    return this.#windows.every((w) => w.sent.length < w.rule.max);
  }

  #take(): void {
    const now = this.timers.now();
    for (const w of this.#windows) w.sent.push(now);
    this.granted++;
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#canSend()) {
      this.#take();
      this.#queue.shift()?.();
    }
    this.#schedule();
  }

  /** One timer for when the next queued request can go: the pause's end, or when the fullest window frees a place. */
  #schedule(): void {
    this.timers.clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#queue.length === 0) return;
    const now = this.timers.now();
    let at = this.#pausedUntil;
    for (const w of this.#windows) if (w.sent.length >= w.rule.max) at = Math.max(at, (w.sent[0] ?? now) + w.rule.perMs);
    this.#timer = this.timers.setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, Math.max(1, at - now));
  }
}

let shared: RequestLimiter | undefined;

/** The process's one limiter (BattleMetrics counts per token, and a process has one token). */
export function sharedLimiter(): RequestLimiter {
  shared ??= new RequestLimiter();
  return shared;
}
