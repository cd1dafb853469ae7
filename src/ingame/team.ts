// The team as getTeamInfo and teamChanged report it, checked member by member: a server can send anything,
// and one bad entry must not hide the others.
import { steamIdOf, teamMember, type TeamMember } from "../rustplus/responses.ts";
import { fitText } from "../bot/fit-text.ts";

export { steamIdOf, teamMember, type TeamMember };

export interface Team {
  leaderSteamId: string;
  members: TeamMember[];
}

/** The valid part of a teamInfo; null when it is not a team at all. */
export function parseTeam(raw: unknown): Team | null {
  if (typeof raw !== "object" || raw === null) return null;
  const { leaderSteamId, members } = raw as { leaderSteamId?: unknown; members?: unknown };
  const leader = steamIdOf.safeParse(leaderSteamId);
  if (!leader.success || !Array.isArray(members)) return null;
  const valid = members.flatMap((m) => {
    const parsed = teamMember.safeParse(m);
    return parsed.success ? [parsed.data] : [];
  });
  return { leaderSteamId: leader.data, members: valid };
}

/** A name to show in game or Discord: never empty, never long. */
export function displayName(member: { name: string; steamId: string }): string {
  return fitText(member.name.trim(), 32) || member.steamId;
}
