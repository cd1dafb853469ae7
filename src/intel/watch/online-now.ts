// Who a filter matches among the players online now on a paired server's Rust server: the open PlayerSessions
// of its IntelServer, matched against the paired server's notes. Shared by /watchlist show and !online.
import type { PairedServer, PrismaClient } from "../../generated/prisma/client.ts";
import { matchesWatchlist, type CompiledWatchlist, type NoteView } from "./filter.ts";
import { noteView } from "./load.ts";

export interface OnlineMatches {
  /** False until the server has answered a poll (no list to match yet). */
  polled: boolean;
  streamerMode: boolean;
  /** Longest online first. */
  players: { name: string; since: Date }[];
}

export async function onlineMatches(prisma: PrismaClient, server: Pick<PairedServer, "id" | "ip" | "port">, watch: CompiledWatchlist): Promise<OnlineMatches> {
  const intel = await prisma.intelServer.findUnique({ where: { ip_appPort: { ip: server.ip, appPort: server.port } }, select: { id: true, lastAnsweredAt: true, streamerMode: true } });
  if (!intel?.lastAnsweredAt) return { polled: false, streamerMode: false, players: [] };
  const [sessions, notes] = await Promise.all([
    prisma.playerSession.findMany({ where: { intelServerId: intel.id, endedAt: null }, select: { playerName: true, steamId: true, startedAt: true }, orderBy: [{ startedAt: "asc" }, { playerName: "asc" }], take: 1_000 }),
    prisma.playerIntelNote.findMany({ where: { pairedServerId: server.id }, select: { id: true, steamId: true, playerName: true, tags: true, tracked: true }, take: 5_000 }),
  ]);
  const bySteam = new Map<string, NoteView>();
  const byName = new Map<string, NoteView>();
  for (const n of notes.map(noteView)) {
    if (n.steamId) bySteam.set(n.steamId, n);
    byName.set(n.playerName.toLowerCase(), n);
  }
  const namesReliable = !intel.streamerMode;
  const players = sessions.flatMap((s) => {
    // As the alerts match (match.ts): A2S sessions have no Steam id, so a note bound to one by /player
    // link-steam is found by its name, but never a name whose note is another Steam id's.
    const named = namesReliable ? byName.get(s.playerName.toLowerCase()) : undefined;
    const note = (s.steamId ? bySteam.get(s.steamId) : undefined) ?? (named && !(s.steamId && named.steamId) ? named : undefined);
    return matchesWatchlist(watch, note, s.playerName, { namesReliable }) ? [{ name: s.playerName, since: s.startedAt }] : [];
  });
  return { polled: true, streamerMode: intel.streamerMode, players };
}
