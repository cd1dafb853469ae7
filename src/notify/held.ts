// Settling a notification queued with a hold (`holdUntil`): when one happening reaches the bot from two sources
// (a death from the team state and from a push), each source queues its post held, commits, and then asks a
// matcher whether it came first. The first is released at once; the second is merged into the first — the
// fields the first lacks are added to it, and if it is already in Discord its message is edited — and is never
// posted itself. Queueing before matching means neither post can be lost: a crash between the commit and the
// match only delays a post until its hold runs out. Holding until matched means neither can be posted twice.
import type { REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import type { NotificationOutbox, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { describeError } from "./discord-errors.ts";
import { notificationEvent } from "./events.ts";
import { formatEvent } from "./format.ts";
import { fitEmbeds } from "../bot/fit-payload.ts";

/** How long a held post waits for its match at most (ms): only reached when the process dies in between. */
export const HOLD_MS = 60_000;

export interface HeldSettlement {
  dedupeKey: string;
  /** The dedupe key of the post this one duplicates; absent: post this one now. */
  into?: string;
}

/** A row no dispatcher is posting right now (PENDING rows are claimed by a lease). */
const unclaimed = () => ({ OR: [{ lockedUntil: null }, { lockedUntil: { lt: new Date() } }] });

/**
 * Settles one held row. "busy" when the row to merge into is being posted by a dispatcher at this moment (try
 * again after it settles). Never throws for Discord's sake: a failed edit is logged, the post itself stands.
 */
export async function settleHeld(prisma: PrismaClient, rest: REST, logger: Logger, held: HeldSettlement): Promise<"done" | "busy"> {
  const release = (db: Pick<PrismaClient, "notificationOutbox">) =>
    db.notificationOutbox.updateMany({ where: { dedupeKey: held.dedupeKey, status: "PENDING", nextAttemptAt: { gt: new Date() } }, data: { nextAttemptAt: new Date() } });
  const into = held.into;
  if (!into) return (await release(prisma), "done");

  const result = await prisma.$transaction(async (tx) => {
    const [target, source] = await Promise.all([tx.notificationOutbox.findUnique({ where: { dedupeKey: into } }), tx.notificationOutbox.findUnique({ where: { dedupeKey: held.dedupeKey } })]);
    if (!source) return "done" as const;
    // The first post is gone (swept) or unreadable: this one is the only record of the happening, so it posts.
    const merged = target && notificationEvent.safeParse({ ...objectOf(source.payload), ...objectOf(target.payload) });
    if (!target || !merged?.success) return (await release(tx), "done" as const);
    // Locks the first post's row until commit, so no dispatcher posts its old payload meanwhile.
    const { count } = await tx.notificationOutbox.updateMany({ where: { id: target.id, OR: [{ status: { not: "PENDING" } }, unclaimed()] }, data: { payload: merged.data } });
    if (count === 0) return "busy" as const;
    // A hold that ran out (the process was stopped for a minute) has posted this one already: leave it.
    await tx.notificationOutbox.updateMany({ where: { id: source.id, status: "PENDING", ...unclaimed() }, data: { status: "SKIPPED", lastError: `merged into ${target.id}` } });
    return target.status === "SENT" && target.channelId && target.messageId ? target : ("done" as const);
  });
  if (typeof result === "string") return result;
  await editPosted(prisma, rest, logger, result);
  return "done";
}

/** Draws a posted message again from its rows (a message can carry several notifications), with the merged one. */
async function editPosted(prisma: PrismaClient, rest: REST, logger: Logger, row: NotificationOutbox): Promise<void> {
  const rows = await prisma.notificationOutbox.findMany({ where: { channelId: row.channelId, messageId: row.messageId, status: "SENT" }, orderBy: { seq: "asc" } });
  const events = rows.map((r) => notificationEvent.safeParse(r.payload));
  if (events.some((e) => !e.success)) return;
  try {
    await rest.patch(Routes.channelMessage(row.channelId!, row.messageId!), { body: { embeds: fitEmbeds(events.map((e) => formatEvent(e.data!))) } });
  } catch (error) {
    // Deleted, or the channel is gone: the post had been made; only the added detail is not shown.
    logger.warn({ userId: row.userId, messageId: row.messageId, error: describeError(error) }, "could not add detail to a posted notification");
  }
}

const objectOf = (value: unknown): Record<string, unknown> => (value && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {});
