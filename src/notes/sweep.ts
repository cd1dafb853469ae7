// Expired notes deleted by the periodic sweep (maintenance/sweep.ts). Reads already hide them at their expiry;
// this keeps the table small. Driven by expiresAt in the database, so it works the same after a restart.
import type { PrismaClient } from "../generated/prisma/client.ts";

/** Deletes notes whose expiry is at or before `now`; returns how many. */
export async function sweepExpiredNotes(prisma: PrismaClient, now = new Date()): Promise<number> {
  const { count } = await prisma.mapNote.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
