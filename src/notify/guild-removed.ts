// The bot was removed from a guild (kicked, banned, or the guild deleted): nothing is posted there any
// more. Each integration there forgets its category and channels, so its live messages and the team chat
// bridge stop, and its notifications are held (BLOCKED "no channel: run /setup") until the owner runs
// /setup again, in that guild after inviting the bot back or in another; /setup then releases them.
// The owner is told by DM, since no channel of theirs is reachable.
import type { REST } from "@discordjs/rest";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { sendDm } from "./dm.ts";
import { channelColumn, FAMILY_LIST } from "./families.ts";

/** Returns how many integrations lived in that guild. Never throws for a failed DM (logged). */
export async function guildRemoved(deps: { prisma: PrismaClient; rest: REST; logger: Logger }, guildId: string, guildName: string | undefined): Promise<number> {
  const { prisma, logger } = deps;
  const integrations = await prisma.discordIntegration.findMany({ where: { guildId }, select: { userId: true, guildName: true } });
  if (!integrations.length) return 0;
  const noChannels = Object.fromEntries(FAMILY_LIST.map((f) => [channelColumn(f), null]));
  await prisma.discordIntegration.updateMany({ where: { guildId }, data: { categoryId: null, ...noChannels } });
  logger.warn({ guildId, integrations: integrations.length }, "removed from a guild: its notifications are held until /setup");
  for (const { userId, guildName: stored } of integrations) {
    const name = guildName || stored || "a Discord server";
    const text =
      `The bot was removed from **${name}**, so it no longer posts your notifications there. ` +
      "They are being held, not dropped: invite the bot back and run `/setup run` there, or run `/setup run` in another server, and they will be posted.";
    try {
      if (!(await sendDm(prisma, deps.rest, userId, text))) logger.warn({ userId, guildId }, "could not tell the owner the bot was removed (no DMs)");
    } catch (err) {
      logger.warn({ err, userId, guildId }, "could not tell the owner the bot was removed");
    }
  }
  return integrations.length;
}
