// The client-side mirror of the Rust server's token buckets (research/rustplus.md): one per game server for
// our IP, one per game server and player. A request waits here until both buckets could pay for it, so the
// server never has reason to answer `rate_limit`. User actions are served first, and background polling may
// not dip into a reserve kept for them.
import type { Timers } from "./timers.ts";

export interface BucketRule {
  max: number;
  perSecond: number;
}

export interface RateLimits {
  ip: BucketRule;
  player: BucketRule;
}

/** The server's figures (rustplus.js README). */
export const SERVER_LIMITS: RateLimits = { ip: { max: 50, perSecond: 15 }, player: { max: 25, perSecond: 3 } };

export type Priority = "user" | "background";

const COSTS: Record<string, number> = { getMap: 5, sendTeamMessage: 2, cameraInput: 0.01 };

/** What a request costs, by its operation field. */
export function requestCost(data: Record<string, unknown>): number {
  for (const key of Object.keys(data)) {
    const cost = COSTS[key];
    if (cost !== undefined) return cost;
  }
  return 1;
}

interface Bucket {
  tokens: number;
  at: number;
}

interface Waiter {
  playerKey: string;
  cost: number;
  priority: Priority;
  resolve: () => void;
  counted?: boolean;
}

interface Lane {
  ip: Bucket;
  user: Waiter[];
  background: Waiter[];
  timer: unknown;
}

export interface BudgetOptions {
  limits?: RateLimits;
  /** Our refill runs this much slower than the server's, so clock skew and arrival delay only ever favour us. */
  safety?: number;
  /** Tokens background requests leave for user actions (at least the dearest request, getMap = 5). */
  reserve?: { ip: number; player: number };
}

export class RateBudget {
  readonly #lanes = new Map<string, Lane>();
  readonly #players = new Map<string, Bucket>();
  readonly #limits: RateLimits;
  readonly #safety: number;
  readonly #reserve: { ip: number; player: number };
  /** Requests that had to wait for tokens (a figure for benchmarks and logs). */
  waited = 0;

  constructor(
    private readonly timers: Timers,
    options: BudgetOptions = {},
  ) {
    this.#limits = options.limits ?? SERVER_LIMITS;
    this.#safety = options.safety ?? 0.9;
    this.#reserve = options.reserve ?? { ip: 10, player: 5 };
  }

  /** Resolves when the request may be sent; the tokens are taken by then. */
  acquire(ipKey: string, playerKey: string, cost: number, priority: Priority): Promise<void> {
    const lane = this.#lane(ipKey);
    return new Promise<void>((resolve) => {
      lane[priority].push({ playerKey, cost, priority, resolve });
      this.#pump(lane);
    });
  }

  /**
   * The server said `rate_limit` anyway: something else spent from its buckets (the player's own Rust+ app
   * uses the same player bucket). Start again from empty, which is where the server says we are.
   */
  drain(ipKey: string, playerKey: string): void {
    const now = this.timers.now();
    const lane = this.#lane(ipKey);
    lane.ip = { tokens: 0, at: now };
    this.#players.set(playerKey, { tokens: 0, at: now });
  }

  /** Requests waiting for tokens, for one game server (or all). */
  queued(ipKey?: string): number {
    const lanes = ipKey ? [this.#lanes.get(ipKey)] : [...this.#lanes.values()];
    return lanes.reduce((n, lane) => n + (lane ? lane.user.length + lane.background.length : 0), 0);
  }

  #lane(ipKey: string): Lane {
    let lane = this.#lanes.get(ipKey);
    if (!lane) {
      lane = { ip: { tokens: this.#limits.ip.max, at: this.timers.now() }, user: [], background: [], timer: undefined };
      this.#lanes.set(ipKey, lane);
    }
    return lane;
  }

  #player(key: string): Bucket {
    let bucket = this.#players.get(key);
    if (!bucket) {
      bucket = { tokens: this.#limits.player.max, at: this.timers.now() };
      this.#players.set(key, bucket);
    }
    return bucket;
  }

  #refill(bucket: Bucket, rule: BucketRule, now: number): void {
    bucket.tokens = Math.min(rule.max, bucket.tokens + ((now - bucket.at) / 1000) * rule.perSecond * this.#safety);
    bucket.at = now;
  }

  /** Grants what can be granted now, in priority order (first come first served per player), and sets a
   * timer for when the first blocked request could go. */
  #pump(lane: Lane): void {
    const now = this.timers.now();
    this.#refill(lane.ip, this.#limits.ip, now);
    let waitMs = Infinity;
    const blockedPlayers = new Set<string>();
    lanes: for (const queue of [lane.user, lane.background]) {
      for (let i = 0; i < queue.length; ) {
        const w = queue[i]!;
        if (blockedPlayers.has(w.playerKey)) {
          i++;
          continue;
        }
        const player = this.#player(w.playerKey);
        this.#refill(player, this.#limits.player, now);
        const ipNeed = w.cost + (w.priority === "background" ? this.#reserve.ip : 0);
        const playerNeed = w.cost + (w.priority === "background" ? this.#reserve.player : 0);
        const ipShort = Math.min(ipNeed, this.#limits.ip.max) - lane.ip.tokens;
        const playerShort = Math.min(playerNeed, this.#limits.player.max) - player.tokens;
        if (ipShort <= 0 && playerShort <= 0) {
          lane.ip.tokens -= w.cost;
          player.tokens -= w.cost;
          queue.splice(i, 1);
          w.resolve();
          continue;
        }
        if (!w.counted) this.waited++;
        w.counted = true;
        const wait = Math.max(this.#msFor(ipShort, this.#limits.ip), this.#msFor(playerShort, this.#limits.player));
        waitMs = Math.min(waitMs, wait);
        // Everyone behind shares this IP bucket: keep strict order rather than let cheap requests starve it.
        if (ipShort > 0) break lanes;
        blockedPlayers.add(w.playerKey);
        i++;
      }
    }
    this.#schedule(lane, waitMs);
  }

  #msFor(short: number, rule: BucketRule): number {
    return short <= 0 ? 0 : Math.ceil((short / (rule.perSecond * this.#safety)) * 1000);
  }

  #schedule(lane: Lane, waitMs: number): void {
    if (lane.timer !== undefined) this.timers.clearTimeout(lane.timer);
    lane.timer = undefined;
    if (!Number.isFinite(waitMs)) return;
    lane.timer = this.timers.setTimeout(() => {
      lane.timer = undefined;
      this.#pump(lane);
    }, Math.max(1, waitMs));
  }
}
