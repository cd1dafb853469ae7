// Reading what the watch needs from the database: the paired servers that follow a Rust server, their notes
// and their owners' watchlists (compiled once per version of the row; a bad stored row is logged and skipped).
import type { PairedServer, PrismaClient } from "../../generated/prisma/client.ts";
import type { Logger } from "../../logger.ts";
import { serverLabel } from "../../pairing/server-card.ts";
import { compileWatchlist, type CompiledWatchlist, type NoteView } from "./filter.ts";
import type { FollowerView } from "./match.ts";

export type Follower = Pick<PairedServer, "id" | "userId" | "serverName" | "ip" | "port">;

/** Live paired servers pointing at the Rust server (ip + Rust+ port): whose owners are told about it. */
export function followersOf(prisma: PrismaClient, server: { ip: string; appPort: number }): Promise<Follower[]> {
  return prisma.pairedServer.findMany({ where: { ip: server.ip, port: server.appPort, live: true }, select: { id: true, userId: true, serverName: true, ip: true, port: true } });
}

export const noteView = (n: { id: string; steamId: string | null; playerName: string; tags: string[]; tracked: boolean }): NoteView => ({
  id: n.id,
  steamId: n.steamId,
  playerName: n.playerName,
  tags: n.tags.map((t) => t.toLowerCase()),
  tracked: n.tracked,
});

/** Compiles stored watchlists, caching by id and updatedAt; invalid rows are logged once and left out. */
export class WatchlistCache {
  readonly #compiled = new Map<string, { updatedAt: number; result: CompiledWatchlist | null }>();

  constructor(private readonly logger: Logger) {}

  compile(rows: readonly { id: string; name: string; userId: string; pairedServerId: string | null; filter: unknown; updatedAt: Date }[]): (CompiledWatchlist & { userId: string })[] {
    const out: (CompiledWatchlist & { userId: string })[] = [];
    for (const row of rows) {
      let cached = this.#compiled.get(row.id);
      if (!cached || cached.updatedAt !== row.updatedAt.getTime()) {
        const result = compileWatchlist(row);
        if ("invalid" in result) this.logger.warn({ watchlistId: row.id, userId: row.userId, reason: result.invalid }, "a stored watchlist is invalid: skipped");
        cached = { updatedAt: row.updatedAt.getTime(), result: "invalid" in result ? null : result };
        this.#compiled.set(row.id, cached);
      }
      if (cached.result) out.push({ ...cached.result, userId: row.userId });
    }
    return out;
  }
}

/** Each follower with its notes (tracked or tagged) and its owner's watchlists that apply to it. */
export async function followerViews(prisma: PrismaClient, cache: WatchlistCache, followers: readonly Follower[]): Promise<FollowerView[]> {
  const ids = followers.map((f) => f.id);
  const [notes, rows] = await Promise.all([
    prisma.playerIntelNote.findMany({
      where: { pairedServerId: { in: ids }, OR: [{ tracked: true }, { NOT: { tags: { isEmpty: true } } }] },
      select: { id: true, pairedServerId: true, steamId: true, playerName: true, tags: true, tracked: true },
    }),
    prisma.watchlist.findMany({
      where: { userId: { in: [...new Set(followers.map((f) => f.userId))] }, OR: [{ pairedServerId: null }, { pairedServerId: { in: ids } }] },
      select: { id: true, name: true, userId: true, pairedServerId: true, filter: true, updatedAt: true },
    }),
  ]);
  const watchlists = cache.compile(rows);
  return followers.map((f) => ({
    userId: f.userId,
    pairedServerId: f.id,
    serverName: serverLabel(f),
    notes: notes.filter((n) => n.pairedServerId === f.id).map(noteView),
    watchlists: watchlists.filter((w) => w.userId === f.userId && (w.pairedServerId === null || w.pairedServerId === f.id)),
  }));
}
