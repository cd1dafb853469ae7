// One request budget for the whole process, so every caller together stays inside BattleMetrics' limits. The
// figures are the community's (research/integrations.md: ~300/min and 45/s with a token; BattleMetrics' docs page
// is not in our sources), kept a little under. Two token buckets, both must pay. Callers that may wait queue in
// order; background work asks `tryAcquire` and skips when nothing is free. A 429 pauses the whole queue until
// its Retry-After.
import { realTimers, type Timers } from "../../rustplus/timers.ts";

export interface BucketRule {
  /** Requests the bucket holds (the burst). */
  max: number;
  /** The window it refills over, ms (max per window). */
  perMs: number;
}

export interface LimiterRules {
  perSecond: BucketRule;
  perMinute: BucketRule;
}

/** With a token: 45/s and 300/min, each kept 10 % under. */
export const TOKEN_LIMITS: LimiterRules = { perSecond: { max: 40, perMs: 1_000 }, perMinute: { max: 270, perMs: 60_000 } };

interface Bucket {
  rule: BucketRule;
  tokens: number;
  at: number;
}

export class RequestLimiter {
  readonly #buckets: Bucket[];
  readonly #queue: (() => void)[] = [];
  #pausedUntil = 0;
  #timer: unknown;
  /** Requests sent through the limiter (for tests and logs). */
  granted = 0;

  constructor(
    private readonly timers: Timers = realTimers,
    rules: LimiterRules = TOKEN_LIMITS,
  ) {
    const now = timers.now();
    this.#buckets = [rules.perSecond, rules.perMinute].map((rule) => ({ rule, tokens: rule.max, at: now }));
  }

  /** Resolves when a request may be sent (its tokens are taken by then). Never rejects. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.#queue.push(resolve);
      this.#pump();
    });
  }

  /**
   * Takes a request's tokens now if nobody is queued, the queue is not paused and both buckets can pay while
   * leaving `reserve` requests for others; else false (never waits).
   */
  tryAcquire(reserve = 0): boolean {
    if (this.#queue.length > 0 || !this.#canPay() || this.headroom() < 1 + reserve) return false;
    this.#take();
    return true;
  }

  /** Requests that could be sent right now without waiting (0 while paused or while others wait). */
  headroom(): number {
    if (this.#queue.length > 0 || this.timers.now() < this.#pausedUntil) return 0;
    this.#refill();
    return Math.floor(Math.min(...this.#buckets.map((b) => b.tokens)));
  }

  /** BattleMetrics said 429: nothing is sent before `untilMs` (epoch ms), and the buckets start again from empty. */
  pauseUntil(untilMs: number): void {
    this.#pausedUntil = Math.max(this.#pausedUntil, untilMs);
    for (const b of this.#buckets) b.tokens = 0;
    this.#schedule();
  }

  pausedUntil(): number | undefined {
    return this.timers.now() < this.#pausedUntil ? this.#pausedUntil : undefined;
  }

  queued(): number {
    return this.#queue.length;
  }

  #refill(): void {
    const now = this.timers.now();
    for (const b of this.#buckets) {
      // While paused the buckets stay empty: the pause is BattleMetrics' word on where we stand.
      const from = Math.max(b.at, Math.min(now, this.#pausedUntil));
      if (now > from) b.tokens = Math.min(b.rule.max, b.tokens + ((now - from) * b.rule.max) / b.rule.perMs);
      b.at = now;
    }
  }

  #canPay(): boolean {
    if (this.timers.now() < this.#pausedUntil) return false;
    this.#refill();
    return this.#buckets.every((b) => b.tokens >= 1);
  }

  #take(): void {
    for (const b of this.#buckets) b.tokens -= 1;
    this.granted++;
  }

  #pump(): void {
    while (this.#queue.length > 0 && this.#canPay()) {
      this.#take();
      this.#queue.shift()?.();
    }
    if (this.#queue.length > 0) this.#schedule();
  }

  /** One timer for when the next queued request can go: the pause's end or the slowest bucket's next token. */
  #schedule(): void {
    if (this.#queue.length === 0) return;
    this.timers.clearTimeout(this.#timer);
    const now = this.timers.now();
    let wait = Math.max(0, this.#pausedUntil - now);
    if (wait === 0) {
      this.#refill();
      for (const b of this.#buckets) if (b.tokens < 1) wait = Math.max(wait, Math.ceil(((1 - b.tokens) * b.rule.perMs) / b.rule.max));
    }
    this.#timer = this.timers.setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, Math.max(1, wait));
  }
}

let shared: RequestLimiter | undefined;

/** The process's one limiter (BattleMetrics counts per token, and a process has one token). */
export function sharedLimiter(): RequestLimiter {
  shared ??= new RequestLimiter();
  return shared;
}
