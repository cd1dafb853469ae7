// Token buckets as the Rust server keeps them: full at first, refilled continuously up to `max`.
import type { RequestKind } from "./protocol.ts";

export interface BucketRule { max: number; perSecond: number }

/** The rustplus.js README's figures. */
export const IP_BUCKET: BucketRule = { max: 50, perSecond: 15 };
export const PLAYER_BUCKET: BucketRule = { max: 25, perSecond: 3 };
export const DEFAULT_COST = 1;
export const COSTS: Partial<Record<RequestKind, number>> = { getMap: 5, sendTeamMessage: 2, cameraInput: 0.01 };

export class BucketList<K> {
  readonly #buckets = new Map<K, { tokens: number; at: number }>();

  constructor(readonly rule: BucketRule, private readonly now: () => number) {}

  /** Takes `cost` tokens if there are that many; a refused take takes nothing. */
  take(key: K, cost: number): boolean {
    const now = this.now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.rule.max, at: now };
    bucket.tokens = Math.min(this.rule.max, bucket.tokens + ((now - bucket.at) / 1000) * this.rule.perSecond);
    bucket.at = now;
    this.#buckets.set(key, bucket);
    if (bucket.tokens < cost) return false;
    bucket.tokens -= cost;
    return true;
  }

  clear(): void { this.#buckets.clear(); }
}

/** A clock that moves only when told to. */
export class ManualClock {
  #ms: number;
  constructor(start = Date.UTC(2025, 0, 1)) { this.#ms = start; }
  readonly now = (): number => this.#ms;
  advance(ms: number): void { this.#ms += ms; }
}
