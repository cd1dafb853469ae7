// The team as getTeamInfo and teamChanged report it, checked member by member: a server can send anything,
// and one bad entry must not hide the others.
import { z } from "zod";

const coordinate = z.number().finite().min(-100_000).max(200_000);

/** uint64 ids arrive as protobufjs Long objects (toString() is the decimal id), or as strings. */
export const steamIdOf = z
  .union([z.string(), z.number(), z.custom<{ toString(): string }>((v) => typeof v === "object" && v !== null && "low" in v && "high" in v)])
  .transform((v) => String(v))
  .pipe(z.string().regex(/^\d{1,20}$/));

export const teamMember = z.object({
  steamId: steamIdOf,
  name: z.string().max(200),
  x: coordinate,
  y: coordinate,
  isOnline: z.boolean(),
  isAlive: z.boolean(),
  /** Unix seconds. */
  spawnTime: z.number().int().min(0),
  /** Unix seconds, 0 if never. */
  deathTime: z.number().int().min(0),
});
export type TeamMember = z.infer<typeof teamMember>;

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
  return member.name.trim().slice(0, 32) || member.steamId;
}
