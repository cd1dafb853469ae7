// Claiming due outbox rows. SKIP LOCKED plus a lease lets any number of dispatchers (in any process) share
// the outbox without posting a row twice at the same time; a crashed dispatcher's lease simply expires.
import type { NotificationFamily, PrismaClient } from "../generated/prisma/client.ts";
import { ALARM_FAMILIES } from "./lane.ts";

export interface ClaimedRow {
  id: string;
  userId: string;
  family: NotificationFamily;
  payload: unknown;
  batchId: string | null;
  attempts: number;
  seq: bigint;
  /** When it was enqueued (the notification latency metric). */
  createdAt: Date;
}

export const LEASE_SECONDS = 120;

/**
 * Claims up to `limit` due rows for LEASE_SECONDS: alarm and raid rows first (a backlog of routine rows never
 * keeps them out of a claim), then oldest first. Returned in that order; within a family, in `seq` order.
 */
export async function claimDue(prisma: PrismaClient, limit: number): Promise<ClaimedRow[]> {
  const alarms = [...ALARM_FAMILIES].map((f) => String(f));
  const rows = await prisma.$queryRaw<ClaimedRow[]>`
    UPDATE "NotificationOutbox" SET "lockedUntil" = now() + make_interval(secs => ${LEASE_SECONDS})
    WHERE id IN (
      SELECT id FROM "NotificationOutbox"
      WHERE status = 'PENDING' AND "nextAttemptAt" <= now() AND ("lockedUntil" IS NULL OR "lockedUntil" < now())
      ORDER BY (family::text = ANY(${alarms})) DESC, seq
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, "userId", family, payload, "batchId", attempts, seq, "createdAt"`;
  // RETURNING does not keep the subquery's order.
  const first = (row: ClaimedRow) => (ALARM_FAMILIES.has(row.family) ? 0 : 1);
  return rows.sort((a, b) => first(a) - first(b) || (a.seq < b.seq ? -1 : a.seq > b.seq ? 1 : 0));
}

/**
 * Drops every claim. Only for the embedded database, where this process is the only one that can exist:
 * claims left by a crash of this same installation are released at once instead of waiting out the lease.
 */
export async function releaseAllClaims(prisma: PrismaClient): Promise<number> {
  const { count } = await prisma.notificationOutbox.updateMany({ where: { status: "PENDING", lockedUntil: { not: null } }, data: { lockedUntil: null } });
  return count;
}
