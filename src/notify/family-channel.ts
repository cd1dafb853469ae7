// The channel a user's notifications of a family go to: the family's channel in the guild they route to
// (route.ts), or why there is none.
import type { REST } from "@discordjs/rest";
import type { NotificationFamily, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { discordUserIdOf, sendDm } from "./dm.ts";
import { familyState } from "./families.ts";
import { chosenIntegration, resolveRoute, routeLine } from "./route.ts";

export type NoChannelReason = "no-setup" | "family-off" | "channel-missing";

/**
 * With `discord`, a user who has not chosen a guild gets the one set-up guild they share with the bot (and is
 * told by DM), as the dispatcher does; without it, only a chosen guild counts (database only).
 */
export async function familyChannel(
  prisma: PrismaClient,
  userId: string,
  family: NotificationFamily,
  discord?: { rest: REST; logger: Logger },
): Promise<{ channelId: string } | { reason: NoChannelReason }> {
  let integration = await chosenIntegration(prisma, userId);
  if (!integration && discord) {
    const route = await resolveRoute(prisma, discord.rest, userId, await discordUserIdOf(prisma, userId));
    if (route.kind === "guild") {
      integration = route.integration;
      if (route.defaulted) await sendDm(prisma, discord.rest, userId, routeLine(route)).catch((err: unknown) => discord.logger.warn({ err, userId }, "could not tell the user where their notifications go"));
    }
  }
  if (!integration) return { reason: "no-setup" };
  const state = familyState(integration, family);
  if (!state.enabled) return { reason: "family-off" };
  return state.channelId ? { channelId: state.channelId } : { reason: "channel-missing" };
}
