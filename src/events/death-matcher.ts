// One death of the credentials' owner on a live server reaches the bot twice: as the team state going
// alive → dead (teamChanged, with where it happened) and as a `player`/`death` push (with the game's words and
// the killer). Like AlarmMatcher: each arrival from one source cancels one unmatched arrival of the other source
// for the same server and player within a minute, so two deaths in a minute still pair up one to one. Kept in
// memory: a server's socket and its owner's push listener live in the same process (shard ownership).
//
// Why hold-then-match rather than post-then-match: the two arrive seconds apart in either order, and each
// carries what the other lacks (the team state has no words or killer, the push no place). Each source queues
// its post held (notify/held.ts) and, once committed, matches: the first is released at once, so no death
// waits on the other source; the second is merged into the first's post (edited in Discord if already sent)
// and never posted itself. A crash between commit and match only delays a post until its hold runs out.
import type { Notifier } from "../notify/notifier.ts";

export type DeathSource = "team" | "push";

const WINDOW_MS = 60_000;

interface Arrival {
  source: DeathSource;
  at: number;
  /** The outbox row that posts it. */
  dedupeKey: string;
}

export class DeathMatcher {
  readonly #unmatched = new Map<string, Arrival[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /**
   * Records one arrival. Returns undefined when it is the first of its death (it posts), or the dedupe key of
   * the other source's post it belongs to (it does not post again).
   */
  claim(serverId: string, steamId: string, source: DeathSource, dedupeKey: string): string | undefined {
    const now = this.now();
    // Drop every expired arrival, so players who never pair up (teammates get no push) are forgotten.
    for (const [key, list] of this.#unmatched) {
      const recent = list.filter((a) => now - a.at < WINDOW_MS);
      if (recent.length) this.#unmatched.set(key, recent);
      else this.#unmatched.delete(key);
    }
    const key = `${serverId}:${steamId}`;
    const recent = this.#unmatched.get(key) ?? [];
    const match = recent.findIndex((a) => a.source !== source);
    const other = match >= 0 ? recent.splice(match, 1)[0] : undefined;
    if (!other) recent.push({ source, at: now, dedupeKey });
    if (recent.length) this.#unmatched.set(key, recent);
    else this.#unmatched.delete(key);
    return other?.dedupeKey;
  }
}

/** After a death's post is committed held (holdUntil): it is posted now if it came first, else merged into the first. */
export function settleDeath(
  matcher: DeathMatcher,
  notifier: Pick<Notifier, "settle">,
  arrival: { serverId: string; steamId: string; source: DeathSource; dedupeKey: string },
): void {
  const into = matcher.claim(arrival.serverId, arrival.steamId, arrival.source, arrival.dedupeKey);
  notifier.settle({ dedupeKey: arrival.dedupeKey, ...(into && { into }) });
}
