// Who has not moved for a while, from team positions seen over time (getTeamInfo answers, teamChanged
// broadcasts and a slow background poll). Only online, alive members can be AFK; a death, a logout or a
// step of more than a few metres starts their clock again. Memory only: after a restart the bot watches anew.
import type { TeamMember } from "./team.ts";

/** Smaller moves are the game's position jitter, not a player moving. */
const MOVE_METRES = 3;
export const AFK_AFTER_MS = 5 * 60_000;

interface Seen {
  x: number;
  y: number;
  /** When the member was first seen at this spot (online and alive). */
  since: number;
}

export class AfkTracker {
  readonly #servers = new Map<string, Map<string, Seen>>();

  constructor(private readonly now: () => number) {}

  observe(serverId: string, members: readonly TeamMember[]): void {
    const now = this.now();
    const before = this.#servers.get(serverId) ?? new Map<string, Seen>();
    const next = new Map<string, Seen>();
    for (const m of members) {
      if (!m.isOnline || !m.isAlive) continue;
      const seen = before.get(m.steamId);
      const still = seen && Math.hypot(m.x - seen.x, m.y - seen.y) <= MOVE_METRES;
      next.set(m.steamId, still ? seen : { x: m.x, y: m.y, since: now });
    }
    this.#servers.set(serverId, next);
  }

  /** How long each still member has stood still, at least `afterMs`, longest first. */
  idle(serverId: string, afterMs = AFK_AFTER_MS): { steamId: string; forMs: number }[] {
    const now = this.now();
    return [...(this.#servers.get(serverId) ?? new Map<string, Seen>())]
      .map(([steamId, seen]) => ({ steamId, forMs: now - seen.since }))
      .filter((e) => e.forMs >= afterMs)
      .sort((a, b) => b.forMs - a.forMs);
  }

  forget(serverId: string): void {
    this.#servers.delete(serverId);
  }
}
