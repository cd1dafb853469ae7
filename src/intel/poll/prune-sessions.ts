// Player sessions are history for the heatmaps and "last seen": kept 30 days after they end, then deleted.
import type { PrismaClient } from "../../generated/prisma/client.ts";

export const SESSION_RETENTION_MS = 30 * 86_400_000;

/** Deletes sessions that ended more than 30 days before `now`; open sessions are never touched. Returns how many. */
export async function pruneEndedSessions(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.playerSession.deleteMany({ where: { endedAt: { lt: new Date(now.getTime() - SESSION_RETENTION_MS) } } });
  return count;
}
