// Writing a notification to the outbox. Pass a transaction client to commit it with the state change
// that caused it.
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { enabledColumn } from "./families.ts";
import { familyOf, notificationEvent, type NotificationEvent } from "./events.ts";

export type EnqueueOutcome = "queued" | "duplicate" | "family-off" | "no-setup";

export async function enqueueNotification(
  db: PrismaClient | Prisma.TransactionClient,
  input: { userId: string; event: NotificationEvent; dedupeKey: string },
): Promise<EnqueueOutcome> {
  const event = notificationEvent.parse(input.event);
  const family = familyOf(event);
  const integration = await db.discordIntegration.findUnique({ where: { userId: input.userId } });
  if (!integration) return "no-setup";
  if (!integration[enabledColumn(family)]) return "family-off";
  const { count } = await db.notificationOutbox.createMany({
    data: [{ userId: input.userId, family, dedupeKey: input.dedupeKey, payload: event }],
    skipDuplicates: true,
  });
  return count === 1 ? "queued" : "duplicate";
}
