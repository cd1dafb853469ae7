// A Discord user is a User once they have linked their Steam account (the Account row, provider "discord").
import type { PrismaClient, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";

export const DISCORD_PROVIDER = "discord";

export function findLinkedUser(prisma: PrismaClient, discordUserId: string): Promise<User | null> {
  return prisma.user.findFirst({ where: { accounts: { some: { provider: DISCORD_PROVIDER, providerAccountId: discordUserId } } } });
}

export async function requireLinkedUser(prisma: PrismaClient, discordUserId: string): Promise<User> {
  const user = await findLinkedUser(prisma, discordUserId);
  if (!user) {
    throw new UserError("This needs your Steam account linked to your Discord account first. Run `/link`, sign in with Steam, then try again.");
  }
  return user;
}
