// One alarm trigger usually reaches the bot twice: as an entityChanged broadcast on the live socket and as an
// FCM push (which carries no entity id). Each trigger from one source cancels one unmatched trigger of the
// other source on the same server within a minute, so each trigger is posted once — and two alarms going off
// together still post twice. Kept in memory: a server's socket and its owner's push listener live in the same
// process (shard ownership); a restart can at worst let one trigger through twice.
export type AlarmSource = "broadcast" | "push";

const WINDOW_MS = 60_000;

export class AlarmMatcher {
  readonly #unmatched = new Map<string, { source: AlarmSource; at: number }[]>();

  constructor(private readonly now: () => number = Date.now) {}

  /** True when this trigger should be posted; false when the other source already posted it. */
  claim(serverId: string, source: AlarmSource): boolean {
    const now = this.now();
    const recent = (this.#unmatched.get(serverId) ?? []).filter((t) => now - t.at < WINDOW_MS);
    const match = recent.findIndex((t) => t.source !== source);
    if (match >= 0) recent.splice(match, 1);
    else recent.push({ source, at: now });
    if (recent.length) this.#unmatched.set(serverId, recent);
    else this.#unmatched.delete(serverId);
    return match < 0;
  }
}
