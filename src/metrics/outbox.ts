// Notification outbox metrics: depth and age of PENDING rows per family (queried at scrape time: the outbox is in
// the database, shared by every process), and the latency from enqueue to posted, observed by the dispatcher
// of the process that posted.
import { Gauge, Histogram } from "prom-client";
import type { NotificationFamily, PrismaClient } from "../generated/prisma/client.ts";
import { PREFIX, registry, Sources } from "./registry.ts";

interface FamilyRow {
  family: NotificationFamily;
  pending: number;
  oldestSeconds: number;
}

const outboxSources = new Sources<() => Promise<FamilyRow[]>>();

/** The same clock as the claim (src/notify/claim.ts): the database's now() against createdAt. */
async function pendingByFamily(prisma: PrismaClient): Promise<FamilyRow[]> {
  const rows = await prisma.$queryRaw<{ family: NotificationFamily; pending: number; oldest: number }[]>`
    SELECT family, count(*)::int AS pending, EXTRACT(EPOCH FROM (now() - min("createdAt")))::float8 AS oldest
    FROM "NotificationOutbox" WHERE status = 'PENDING' GROUP BY family`;
  return rows.map((r) => ({ family: r.family, pending: Number(r.pending), oldestSeconds: Math.max(0, Number(r.oldest)) }));
}

/** Reports `prisma`'s outbox at every scrape until the returned function is called. */
export const watchOutbox = (prisma: PrismaClient): (() => void) => outboxSources.add(() => pendingByFamily(prisma));

/** Per scrape, ms: a database that does not answer leaves the outbox out rather than holding the scrape. */
const READ_TIMEOUT_MS = 2_000;

interface Reading {
  rows: FamilyRow[];
  /** Every watched outbox answered. */
  ok: boolean;
}

/** prom-client starts every metric's collect() at once per scrape, so the read in flight is shared: one query
 *  per scrape for all three gauges. */
let inFlight: Promise<Reading> | undefined;
function readOutbox(): Promise<Reading> {
  inFlight ??= Promise.all(outboxSources.all().map(readWithin))
    .then((all) => ({ rows: all.flatMap((r) => r ?? []), ok: all.every((r) => r !== undefined) }))
    .finally(() => (inFlight = undefined));
  return inFlight;
}

/** undefined when the database failed or did not answer in time. */
async function readWithin(read: () => Promise<FamilyRow[]>): Promise<FamilyRow[] | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error("timed out")), READ_TIMEOUT_MS)));
  try {
    return await Promise.race([read(), timedOut]);
  } catch {
    return undefined;
  } finally {
    clearTimeout(timer);
  }
}

new Gauge({
  name: `${PREFIX}outbox_readable`,
  help: "1 when the outbox could be read for this scrape; 0 when the database failed or was slow (the outbox gauges are then absent).",
  registers: [registry],
  async collect() {
    this.reset();
    if (outboxSources.all().length) this.set((await readOutbox()).ok ? 1 : 0);
  },
});

new Gauge({
  name: `${PREFIX}outbox_pending`,
  help: "Notifications waiting in the outbox (PENDING), per family.",
  labelNames: ["family"] as const,
  registers: [registry],
  async collect() {
    this.reset();
    for (const row of (await readOutbox()).rows) this.inc({ family: row.family }, row.pending);
  },
});

new Gauge({
  name: `${PREFIX}outbox_oldest_pending_age_seconds`,
  help: "Age of the oldest PENDING notification per family (since it was enqueued), in seconds.",
  labelNames: ["family"] as const,
  registers: [registry],
  async collect() {
    this.reset();
    const oldest = new Map<string, number>();
    for (const row of (await readOutbox()).rows) oldest.set(row.family, Math.max(oldest.get(row.family) ?? 0, row.oldestSeconds));
    for (const [family, seconds] of oldest) this.set({ family }, seconds);
  },
});

const latency = new Histogram({
  name: `${PREFIX}notification_latency_seconds`,
  help: "From enqueue to posted in Discord, per family, in seconds.",
  labelNames: ["family"] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
  registers: [registry],
});

/** Called for rows just posted; `createdAt` is when each was enqueued. Never throws (it runs in the posting path). */
export function observeSent(rows: readonly { family: NotificationFamily; createdAt: Date }[], now = Date.now()): void {
  for (const row of rows) {
    const enqueued = new Date(row.createdAt).getTime();
    if (Number.isFinite(enqueued)) latency.observe({ family: row.family }, Math.max(0, now - enqueued) / 1000);
  }
}
