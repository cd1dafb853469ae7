// One alarm trigger usually reaches the bot twice: as an entityChanged broadcast on the live socket and as an
// FCM push (which carries no entity id). Matched per server by the shared ArrivalMatcher (notify/arrival-matcher.ts).
import { ArrivalMatcher } from "../notify/arrival-matcher.ts";

export type AlarmSource = "broadcast" | "push";

export class AlarmMatcher {
  readonly #arrivals: ArrivalMatcher<AlarmSource>;

  constructor(now: () => number = Date.now) {
    this.#arrivals = new ArrivalMatcher(now);
  }

  /** True when this trigger should be posted; false when the other source already posted it. */
  claim(serverId: string, source: AlarmSource): boolean {
    return this.#arrivals.claim(serverId, source, undefined) === null;
  }
}
