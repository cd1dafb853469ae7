// Direct messages: where STATUS notifications go for a user whose notifications have no set-up guild yet (a
// server went down, a payment failed), so the news still reaches them. Other families need a team channel:
// they wait for one, and the user is told once by DM what to do (dispatcher.ts, route.ts).
import type { REST } from "@discordjs/rest";
import { Routes, type APIActionRowComponent, type APIComponentInMessageActionRow, type APIDMChannel } from "discord-api-types/v10";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { DISCORD_PROVIDER } from "../identity/linked-user.ts";
import { fitMessage } from "../bot/fit-payload.ts";
import { CANNOT_DM_USER, discordCode } from "./discord-errors.ts";
import { NotificationFamily } from "./families.ts";
import type { Lane } from "../fleet/lanes.ts";
import { laneHeaders } from "./lane.ts";

export const DM_FAMILIES: ReadonlySet<NotificationFamily> = new Set([NotificationFamily.STATUS]);

export async function discordUserIdOf(db: PrismaClient | Prisma.TransactionClient, userId: string): Promise<string | undefined> {
  const account = await db.account.findUnique({ where: { userId_provider: { userId, provider: DISCORD_PROVIDER } }, select: { providerAccountId: true } });
  return account?.providerAccountId;
}

/** The DM channel with a Discord user (Discord returns the existing one when there is one); `lane`: of the post it is for. */
export async function openDmChannel(rest: REST, discordUserId: string, lane: Lane = "routine"): Promise<string> {
  const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: discordUserId }, headers: laneHeaders(lane) })) as APIDMChannel;
  return channel.id;
}

export interface DirectMessage {
  content: string;
  components?: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/**
 * Sends a Discord user (by Discord id) a direct message, components included: false when they do not accept
 * DMs from the bot (50007). Other failures throw.
 */
export async function sendDirectMessage(rest: REST, discordUserId: string, body: DirectMessage): Promise<boolean> {
  try {
    const channelId = await openDmChannel(rest, discordUserId);
    await rest.post(Routes.channelMessages(channelId), { body: fitMessage({ allowed_mentions: { parse: [] }, ...body }) });
    return true;
  } catch (error) {
    if (discordCode(error) === CANNOT_DM_USER) return false;
    throw error;
  }
}

/**
 * Sends the user (by our user id) a direct message; false when they have no Discord account linked or do
 * not accept DMs from the bot (50007). Other failures throw. `content` is cut to Discord's 2,000.
 */
export async function sendDm(db: PrismaClient, rest: REST, userId: string, content: string): Promise<boolean> {
  const discordUserId = await discordUserIdOf(db, userId);
  if (!discordUserId) return false;
  try {
    const channelId = await openDmChannel(rest, discordUserId);
    await rest.post(Routes.channelMessages(channelId), { body: fitMessage({ content, allowed_mentions: { parse: [] } }) });
    return true;
  } catch (error) {
    if (discordCode(error) === CANNOT_DM_USER) return false;
    throw error;
  }
}
