// The channel /setup made for a family, or why there is none.
import type { NotificationFamily, PrismaClient } from "../generated/prisma/client.ts";
import { familyState } from "./families.ts";

export type NoChannelReason = "no-setup" | "family-off" | "channel-missing";

export async function familyChannel(prisma: PrismaClient, userId: string, family: NotificationFamily): Promise<{ channelId: string } | { reason: NoChannelReason }> {
  const integration = await prisma.discordIntegration.findUnique({ where: { userId } });
  if (!integration) return { reason: "no-setup" };
  const state = familyState(integration, family);
  if (!state.enabled) return { reason: "family-off" };
  return state.channelId ? { channelId: state.channelId } : { reason: "channel-missing" };
}
