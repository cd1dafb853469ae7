// A verified Steam login for a Discord user: find or create the User by Steam id, point the Discord account
// at it, and fill in guest grants made to this Steam id before the player ever linked.
import type { PrismaClient, User } from "../generated/prisma/client.ts";
import { DISCORD_PROVIDER } from "./linked-user.ts";

export async function linkDiscordToSteam(
  prisma: PrismaClient,
  input: { steamId: string; discordUserId: string; displayName?: string },
): Promise<{ user: User; created: boolean; previousSteamId: string | null }> {
  return prisma.$transaction(async (tx) => {
    const existing = await tx.user.findUnique({ where: { steamId: input.steamId } });
    const user =
      existing ??
      (await tx.user.create({ data: { steamId: input.steamId, displayName: input.displayName ?? `Steam ${input.steamId.slice(-4)}` } }));
    const previous = await tx.account.findUnique({
      where: { provider_providerAccountId: { provider: DISCORD_PROVIDER, providerAccountId: input.discordUserId } },
      include: { user: true },
    });
    if (previous && previous.userId !== user.id) await tx.account.delete({ where: { id: previous.id } });
    // The Steam user may have had another Discord account linked: one Discord account per user.
    await tx.account.deleteMany({ where: { userId: user.id, provider: DISCORD_PROVIDER, NOT: { providerAccountId: input.discordUserId } } });
    await tx.account.upsert({
      where: { provider_providerAccountId: { provider: DISCORD_PROVIDER, providerAccountId: input.discordUserId } },
      create: { userId: user.id, provider: DISCORD_PROVIDER, providerAccountId: input.discordUserId },
      update: {},
    });
    await tx.dashboardGuestAccess.updateMany({ where: { guestSteamId: input.steamId, guestUserId: null }, data: { guestUserId: user.id } });
    await tx.user.update({ where: { id: user.id }, data: { lastSeenAt: new Date() } });
    return { user, created: !existing, previousSteamId: previous && previous.userId !== user.id ? previous.user.steamId : null };
  });
}

export async function unlinkDiscord(prisma: PrismaClient, discordUserId: string): Promise<boolean> {
  const { count } = await prisma.account.deleteMany({ where: { provider: DISCORD_PROVIDER, providerAccountId: discordUserId } });
  return count > 0;
}
