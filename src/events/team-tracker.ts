// Deaths and logins from successive team states of one server (getTeamInfo answers and teamChanged
// broadcasts). Pure: members in, changes out. Members seen for the first time (the first state, someone
// joining the team) are only remembered.
import type { TeamMember } from "./schemas.ts";

export type TeamChange =
  | { kind: "death"; member: TeamMember }
  | { kind: "login"; member: TeamMember; online: boolean };

export class TeamTracker {
  readonly #members = new Map<string, TeamMember>();

  update(members: readonly TeamMember[]): TeamChange[] {
    const changes: TeamChange[] = [];
    const present = new Set<string>();
    for (const member of members) {
      present.add(member.steamId);
      const before = this.#members.get(member.steamId);
      this.#members.set(member.steamId, member);
      if (!before) continue;
      // A death is alive → dead, or a new death time (died again between two states we saw).
      const died = (before.isAlive && !member.isAlive) || (member.deathTime > 0 && member.deathTime !== before.deathTime);
      if (died) changes.push({ kind: "death", member });
      if (before.isOnline !== member.isOnline) changes.push({ kind: "login", member, online: member.isOnline });
    }
    for (const id of [...this.#members.keys()]) if (!present.has(id)) this.#members.delete(id);
    return changes;
  }
}
