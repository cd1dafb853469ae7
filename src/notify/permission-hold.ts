// A family channel the bot may no longer post in (a moderator took Send Messages, Embed Links or View
// Channel from its role or in the channel): its notifications are held (BLOCKED, marked), not dropped; the
// owner who ran /setup is told once, by DM (else in #server-status), what is missing and where; and the
// rows are released when a role, member or channel change in that guild may have given the permission
// back (and at start).
import type { REST } from "@discordjs/rest";
import { Routes } from "discord-api-types/v10";
import { fitMessage } from "../bot/fit-payload.ts";
import type { NotificationFamily, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { describeError } from "./discord-errors.ts";
import { sendDm } from "./dm.ts";
import { FAMILIES } from "./families.ts";

/** Discord's 50001 Missing Access (no View Channel) and 50013 Missing Permissions. */
export const PERMISSION_CODES: ReadonlySet<number> = new Set([50001, 50013]);
/** lastError of a held row; kept when the row is released so a retry that fails again does not tell twice. */
export const HELD_PREFIX = "held: missing permission";

/**
 * Holds `rowIds` of this user's `family`, and tells the owner unless rows of this family were held before
 * (and not delivered since). Telling never throws: a failure to DM is logged.
 */
export async function holdForPermission(
  deps: { prisma: PrismaClient; rest: REST; logger: Logger },
  target: { userId: string; family: NotificationFamily; channelId: string },
  rowIds: string[],
  error: unknown,
): Promise<number> {
  const { prisma, logger } = deps;
  const { userId, family, channelId } = target;
  const told = (await prisma.notificationOutbox.count({ where: { userId, family, lastError: { startsWith: HELD_PREFIX } } })) > 0;
  const { count } = await prisma.notificationOutbox.updateMany({
    where: { id: { in: rowIds } },
    data: { status: "BLOCKED", lockedUntil: null, lastError: `${HELD_PREFIX} in ${channelId} (${describeError(error)})` },
  });
  logger.warn({ userId, family, channelId, held: count, told }, "no permission to post in a notification channel: holding its notifications");
  if (told) return count;
  const label = FAMILIES[family].label.toLowerCase();
  const text =
    `I can no longer post in <#${channelId}> (${label}): my role is missing **View Channel**, **Send Messages** or **Embed Links** there. ` +
    `Your ${label} notifications are being held, not dropped, and will be posted as soon as the permission is back. ` +
    "Give the bot's role those permissions in that channel, or run `/setup run` to repair it.";
  try {
    if (await sendDm(prisma, deps.rest, userId, text)) return count;
    // No DMs: the server-status channel, when it is another channel.
    const status = (await prisma.discordIntegration.findUnique({ where: { userId }, select: { statusChannelId: true } }))?.statusChannelId;
    if (status && status !== channelId) await deps.rest.post(Routes.channelMessages(status), { body: fitMessage({ content: text, allowed_mentions: { parse: [] } }) });
    else logger.warn({ userId, family }, "could not tell the owner that notifications are held (no DMs, no other channel)");
  } catch (err) {
    logger.warn({ err, userId, family }, "could not tell the owner that notifications are held");
  }
  return count;
}

/** Puts held rows back in the queue: of the integrations in `guildId`, or all of them. Returns how many. */
export async function releasePermissionHolds(prisma: PrismaClient, guildId?: string): Promise<number> {
  const users = guildId === undefined ? undefined : (await prisma.discordIntegration.findMany({ where: { guildId }, select: { userId: true } })).map((i) => i.userId);
  if (users?.length === 0) return 0;
  const { count } = await prisma.notificationOutbox.updateMany({
    where: { status: "BLOCKED", lastError: { startsWith: HELD_PREFIX }, ...(users && { userId: { in: users } }) },
    data: { status: "PENDING", batchId: null, nextAttemptAt: new Date() },
  });
  return count;
}
