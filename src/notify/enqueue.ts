// Writing a notification to the outbox. Pass a transaction client to commit it with the state change
// that caused it; `holdUntil` keeps it from being posted before then unless released (see held.ts). A
// notification that fails validation even after its text is fitted is reported as "invalid", never thrown:
// the change it reports must commit without it. U+0000 is dropped from its strings (PostgreSQL cannot store it).
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { storableJson } from "../bot/control-chars.ts";
import { discordUserIdOf } from "./dm.ts";
import { enabledColumn } from "./families.ts";
import { familyOf, notificationEvent, type NotificationEvent } from "./events.ts";
import { chosenIntegration } from "./route.ts";

export type EnqueueOutcome = "queued" | "duplicate" | "family-off" | "no-setup" | "invalid";

export async function enqueueNotification(
  db: PrismaClient | Prisma.TransactionClient,
  input: { userId: string; event: NotificationEvent; dedupeKey: string; holdUntil?: Date },
  onInvalid: (issues: string) => void = () => undefined,
): Promise<EnqueueOutcome> {
  // The one place every notification is written: no outside string can make the jsonb insert fail.
  const parsed = notificationEvent.safeParse(storableJson(input.event));
  if (!parsed.success) {
    onInvalid(parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`).join("; "));
    return "invalid";
  }
  const event = parsed.data;
  const family = familyOf(event);
  const integration = await chosenIntegration(db, input.userId);
  if (integration && !integration[enabledColumn(family)]) return "family-off";
  // Without a set-up guild the row is still queued: the dispatcher finds the user's guild (or DMs STATUS news)
  // or holds it until one is set up or chosen, telling the user once. Only a user with no Discord account
  // at all has nowhere it could ever go.
  if (!integration && !(await discordUserIdOf(db, input.userId))) return "no-setup";
  const { count } = await db.notificationOutbox.createMany({
    data: [{ userId: input.userId, family, dedupeKey: input.dedupeKey, payload: event, ...(input.holdUntil && { nextAttemptAt: input.holdUntil }) }],
    skipDuplicates: true,
  });
  return count === 1 ? "queued" : "duplicate";
}
