// One death of the credentials' owner on a live server reaches the bot twice: as the team state going
// alive → dead (teamChanged, with where it happened) and as a `player`/`death` push (with the game's words and
// the killer), matched like alarms (notify/arrival-matcher.ts) per server and player.
//
// Why hold-then-match rather than post-then-match: the two arrive seconds apart in either order, and each
// carries what the other lacks (the team state has no words or killer, the push no place). Each source queues
// its post held (notify/held.ts) and, once committed, matches: the first is released at once, so no death
// waits on the other source; the second is merged into the first's post (edited in Discord if already sent)
// and never posted itself. A crash between commit and match only delays a post until its hold runs out.
import { ArrivalMatcher } from "../notify/arrival-matcher.ts";
import type { Notifier } from "../notify/notifier.ts";

export type DeathSource = "team" | "push";

/** Matched per server and player by the shared ArrivalMatcher; each arrival carries its post's dedupe key. */
export class DeathMatcher {
  readonly #arrivals: ArrivalMatcher<DeathSource, string>;

  constructor(now: () => number = Date.now) {
    this.#arrivals = new ArrivalMatcher(now);
  }

  /**
   * Records one arrival. Returns undefined when it is the first of its death (it posts), or the dedupe key of
   * the other source's post it belongs to (it does not post again).
   */
  claim(serverId: string, steamId: string, source: DeathSource, dedupeKey: string): string | undefined {
    return this.#arrivals.claim(`${serverId}:${steamId}`, source, dedupeKey)?.payload;
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
