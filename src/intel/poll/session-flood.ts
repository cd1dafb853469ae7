// A bound on how fast one server may open PlayerSession rows. Anyone can pair their own (modded) server, and
// one whose query port lists 255 different names every poll would otherwise add ~367,000 rows a day, kept
// 30 days. A server whose list brings more new players within a rolling hour than its slots make plausible
// stops opening sessions (sessions already open are still touched and closed) until the rate falls again.

/** Minutes in the rolling window; the window is counted in one-minute buckets (60 numbers per server). */
const WINDOW_MINUTES = 60;
const MINUTE_MS = 60_000;
/** The bound for a server of any size: new sessions within the rolling hour. */
export const FLOOD_FLOOR = 500;
/** No server is allowed more than this, whatever slots it claims (A2S `max` is the server's own word). */
export const FLOOD_CEILING = 2000;

/**
 * New sessions a server may open within a rolling hour: max(4 × slots, FLOOD_FLOOR), at most FLOOD_CEILING.
 * A wipe-day 200-slot server (200 at once, then a few hundred comings and goings in the hour) stays well under
 * 800. `maxPlayers`: the slots the server reports (A2S_INFO `max`, or Rust's `mp` keyword); null when unknown.
 */
export function floodBound(maxPlayers: number | null): number {
  const slots = maxPlayers !== null && Number.isFinite(maxPlayers) && maxPlayers > 0 ? maxPlayers : 0;
  return Math.min(FLOOD_CEILING, Math.max(4 * slots, FLOOD_FLOOR));
}

interface ServerRate {
  /** Arrivals per minute, indexed by minute % WINDOW_MINUTES; `minutes` says which minute each bucket holds. */
  counts: number[];
  minutes: number[];
  /** Since when new sessions are refused; undefined while recording. */
  since?: Date;
  /** The names of the last list while refusing: who is listed again is not new (at most one list per server). */
  lastNames?: Set<string>;
}

/** What one poll may do, from SessionFlood.admit. */
export interface FloodDecision {
  /** How many of the poll's new sessions (longest connected first) may be opened. */
  allow: number;
  /** The server starts refusing at this poll (log it once). */
  started: boolean;
  /** The server stops refusing at this poll: its unrecorded players are opened but not told as comings. */
  ended: boolean;
  /** When it ended: the names the last refused poll listed (they came while unrecorded, not now). */
  unrecorded?: ReadonlySet<string>;
}

/** The per-server rates, in memory (a restart starts them afresh). Memory: 120 numbers and, while refusing, one list per server. */
export class SessionFlood {
  readonly #rates = new Map<string, ServerRate>();

  /**
   * Counts a poll's arrivals and says how many sessions it may open. `wanted`: the names the diff would open,
   * longest connected first; `reconnects`: how many of those are reconnections (always arrivals); `listed`: every
   * name the poll listed; `bound`: floodBound of the server; `now` in ms.
   */
  admit(serverId: string, wanted: readonly string[], reconnects: number, listed: readonly string[], bound: number, now: number): FloodDecision {
    let rate = this.#rates.get(serverId);
    if (!rate) this.#rates.set(serverId, (rate = { counts: new Array<number>(WINDOW_MINUTES).fill(0), minutes: new Array<number>(WINDOW_MINUTES).fill(-1) }));
    // While refusing, the unrecorded players are wanted again at every poll: only names not in the last list count.
    const last = rate.lastNames;
    const arrivals = last ? reconnects + wanted.filter((n) => !last.has(n)).length : wanted.length;
    const minute = Math.floor(now / MINUTE_MS);
    const before = this.#sum(rate, minute);
    const i = ((minute % WINDOW_MINUTES) + WINDOW_MINUTES) % WINDOW_MINUTES;
    if (rate.minutes[i] !== minute) {
      rate.minutes[i] = minute;
      rate.counts[i] = 0;
    }
    rate.counts[i]! += arrivals;
    const total = before + arrivals;
    if (rate.since) {
      // Recording again once the hour's arrivals are back under half the bound, so a server near it does not flap.
      if (total > bound / 2) {
        rate.lastNames = new Set(listed);
        return { allow: 0, started: false, ended: false };
      }
      this.#rates.set(serverId, { counts: rate.counts, minutes: rate.minutes });
      return { allow: wanted.length, started: false, ended: true, ...(last && { unrecorded: last }) };
    }
    if (total <= bound) return { allow: wanted.length, started: false, ended: false };
    rate.since = new Date(now);
    rate.lastNames = new Set(listed);
    return { allow: Math.max(0, bound - before), started: true, ended: false };
  }

  /** Since when a server's list changes too fast to record (new sessions refused); undefined when it does not. */
  since(serverId: string): Date | undefined {
    return this.#rates.get(serverId)?.since;
  }

  /** Forgets a server (no longer followed). */
  forget(serverId: string): void {
    this.#rates.delete(serverId);
  }

  #sum(rate: ServerRate, minute: number): number {
    let sum = 0;
    for (let k = 0; k < WINDOW_MINUTES; k++) if (rate.minutes[k]! > minute - WINDOW_MINUTES) sum += rate.counts[k]!;
    return sum;
  }
}
