// Direct messages: where STATUS notifications go for a user who has no /setup (a server went down, a
// payment failed), so the news still reaches them. Other families need a team channel and are skipped.
import type { REST } from "@discordjs/rest";
import { Routes, type APIDMChannel } from "discord-api-types/v10";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { DISCORD_PROVIDER } from "../identity/linked-user.ts";
import { NotificationFamily } from "./families.ts";

export const DM_FAMILIES: ReadonlySet<NotificationFamily> = new Set([NotificationFamily.STATUS]);

export async function discordUserIdOf(db: PrismaClient | Prisma.TransactionClient, userId: string): Promise<string | undefined> {
  const account = await db.account.findUnique({ where: { userId_provider: { userId, provider: DISCORD_PROVIDER } }, select: { providerAccountId: true } });
  return account?.providerAccountId;
}

/** The DM channel with a Discord user (Discord returns the existing one when there is one). */
export async function openDmChannel(rest: REST, discordUserId: string): Promise<string> {
  const channel = (await rest.post(Routes.userChannels(), { body: { recipient_id: discordUserId } })) as APIDMChannel;
  return channel.id;
}
