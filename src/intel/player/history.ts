// A player's sessions on one Rust server: under their name and, where a Steam id links them (a session's own, or
// one bound by hand on the team's note), under every name seen for that Steam id.
import type { PlayerIntelNote, PrismaClient } from "../../generated/prisma/client.ts";
import { mergedSpans } from "./heatmap.ts";

export interface SessionRow {
  playerName: string;
  steamId: string | null;
  startedAt: Date;
  lastSeenAt: Date;
  endedAt: Date | null;
}

export interface PlayerHistory {
  /** Every name seen for the player, the one asked about first, then newest first. */
  names: string[];
  steamIds: string[];
  /** Oldest first. */
  sessions: SessionRow[];
}

const select = { playerName: true, steamId: true, startedAt: true, lastSeenAt: true, endedAt: true } as const;

export async function playerHistory(prisma: PrismaClient, intelServerId: string, name: string, note: Pick<PlayerIntelNote, "steamId" | "knownNames"> | null): Promise<PlayerHistory> {
  const byName = await prisma.playerSession.findMany({ where: { intelServerId, playerName: name }, select, orderBy: { startedAt: "asc" } });
  const steamIds = [...new Set([note?.steamId, ...byName.map((s) => s.steamId)].filter((id): id is string => !!id))];
  const sessions = steamIds.length
    ? await prisma.playerSession.findMany({ where: { intelServerId, OR: [{ playerName: name }, { steamId: { in: steamIds } }] }, select, orderBy: { startedAt: "asc" } })
    : byName;
  const newestFirst = [...sessions].reverse().map((s) => s.playerName);
  const names = [...new Set([name, ...newestFirst, ...(note?.knownNames ?? []).slice().reverse()])];
  return { names, steamIds, sessions };
}

/** Milliseconds online between `from` and `now` (sessions clipped to it; open ones run to `now`; overlaps once). */
export function timeOnline(sessions: readonly SessionRow[], from: number, now: number): number {
  return mergedSpans(sessions, from, now).reduce((sum, [a, b]) => sum + b - a, 0);
}
