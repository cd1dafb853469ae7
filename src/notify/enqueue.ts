// Writing a notification to the outbox. Pass a transaction client to commit it with the state change
// that caused it; `holdUntil` keeps it from being posted before then unless released (see held.ts). A
// notification that fails validation even after its text is fitted is reported as "invalid", never thrown:
// the change it reports must commit without it.
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { DM_FAMILIES, discordUserIdOf } from "./dm.ts";
import { enabledColumn } from "./families.ts";
import { familyOf, notificationEvent, type NotificationEvent } from "./events.ts";

export type EnqueueOutcome = "queued" | "duplicate" | "family-off" | "no-setup" | "invalid";

export async function enqueueNotification(
  db: PrismaClient | Prisma.TransactionClient,
  input: { userId: string; event: NotificationEvent; dedupeKey: string; holdUntil?: Date },
  onInvalid: (issues: string) => void = () => undefined,
): Promise<EnqueueOutcome> {
  const parsed = notificationEvent.safeParse(input.event);
  if (!parsed.success) {
    onInvalid(parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    return "invalid";
  }
  const event = parsed.data;
  const family = familyOf(event);
  const integration = await db.discordIntegration.findUnique({ where: { userId: input.userId } });
  if (integration && !integration[enabledColumn(family)]) return "family-off";
  // Without /setup, STATUS news still goes out by DM (the dispatcher decides where when it posts).
  if (!integration && !(DM_FAMILIES.has(family) && (await discordUserIdOf(db, input.userId)))) return "no-setup";
  const { count } = await db.notificationOutbox.createMany({
    data: [{ userId: input.userId, family, dedupeKey: input.dedupeKey, payload: event, ...(input.holdUntil && { nextAttemptAt: input.holdUntil }) }],
    skipDuplicates: true,
  });
  return count === 1 ? "queued" : "duplicate";
}
