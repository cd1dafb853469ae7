// The channel a user's notifications of a family go to: the family's channel in the guild they route to
// (route.ts), or why there is none. Database only: a user who has not chosen a guild yet gets one when the
// dispatcher first resolves their route.
import type { NotificationFamily, PrismaClient } from "../generated/prisma/client.ts";
import { familyState } from "./families.ts";
import { chosenIntegration } from "./route.ts";

export type NoChannelReason = "no-setup" | "family-off" | "channel-missing";

export async function familyChannel(prisma: PrismaClient, userId: string, family: NotificationFamily): Promise<{ channelId: string } | { reason: NoChannelReason }> {
  const integration = await chosenIntegration(prisma, userId);
  if (!integration) return { reason: "no-setup" };
  const state = familyState(integration, family);
  if (!state.enabled) return { reason: "family-off" };
  return state.channelId ? { channelId: state.channelId } : { reason: "channel-missing" };
}
