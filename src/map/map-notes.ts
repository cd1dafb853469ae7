// The map notes a map image draws: a server's notes that have not expired. Read here in one small function so the
// notes feature's own query can replace it.
import type { MapNote, PrismaClient } from "../generated/prisma/client.ts";

/** Notes without an expiry or expiring after `now`, oldest first, at most `limit`. */
export function unexpiredNotes(prisma: PrismaClient, serverId: string, now: Date, limit = 500): Promise<MapNote[]> {
  return prisma.mapNote.findMany({
    where: { pairedServerId: serverId, OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
    orderBy: { createdAt: "asc" },
    take: limit,
  });
}
