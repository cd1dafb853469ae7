// A verified Steam login for a Discord user: find or create the User by Steam id, point the Discord account
// at it, and fill in guest grants made to this Steam id before the player ever linked. A Steam account
// linked to another Discord account is moved only with that account's consent (link-confirm.ts): the
// caller names it in `movingFrom`, and the check is made inside the transaction that moves it. A User
// created here gets the initial credits in the same transaction: exactly once per Steam id, since only the
// insert that actually creates the row grants them.
import { addCredits, CREDIT_REASONS } from "../billing/credits.ts";
import type { PrismaClient, User } from "../generated/prisma/client.ts";
import { DISCORD_PROVIDER } from "./linked-user.ts";

/** The Steam account is linked to another Discord account, which has not agreed to give it up. Nothing changed. */
export class SteamAccountOwned extends Error {
  constructor(readonly ownerDiscordUserId: string) {
    super("this Steam account is linked to another Discord account");
    this.name = "SteamAccountOwned";
  }
}

/**
 * Links `discordUserId` to the Steam id, creating the User when the Steam id is new; a created User gets
 * `initialCredits` (INITIAL_CREDITS_FOR_NEW; 0 = none) with a ledger row "initial". `previousSteamId`: the
 * Steam id this Discord account was linked to before (replaced); `movedFromDiscordUserId`: the Discord
 * account the Steam account was taken from.
 * @throws SteamAccountOwned when another Discord account than `movingFrom` holds the Steam account.
 */
export async function linkDiscordToSteam(
  prisma: PrismaClient,
  input: { steamId: string; discordUserId: string; displayName?: string; movingFrom?: string; initialCredits: number },
): Promise<{ user: User; created: boolean; previousSteamId: string | null; movedFromDiscordUserId: string | null }> {
  return prisma.$transaction(async (tx) => {
    // INSERT … ON CONFLICT DO NOTHING: of concurrent first links of one Steam id, one inserts and the others
    // wait for it and insert nothing (instead of failing on the unique key), then read the row it made.
    const { count } = await tx.user.createMany({
      data: [{ steamId: input.steamId, displayName: input.displayName ?? `Steam ${input.steamId.slice(-4)}` }],
      skipDuplicates: true,
    });
    const created = count === 1;
    const user = await tx.user.findUniqueOrThrow({ where: { steamId: input.steamId } });
    const owner = created ? null : await tx.account.findUnique({ where: { userId_provider: { userId: user.id, provider: DISCORD_PROVIDER } } });
    const ownerId = owner && owner.providerAccountId !== input.discordUserId ? owner.providerAccountId : null;
    if (ownerId !== null && ownerId !== input.movingFrom) throw new SteamAccountOwned(ownerId);
    if (created && input.initialCredits > 0) await addCredits(tx, user.id, input.initialCredits, CREDIT_REASONS.initial);
    const previous = await tx.account.findUnique({
      where: { provider_providerAccountId: { provider: DISCORD_PROVIDER, providerAccountId: input.discordUserId } },
      include: { user: true },
    });
    if (previous && previous.userId !== user.id) await tx.account.delete({ where: { id: previous.id } });
    // One Discord account per user: the consenting previous owner's is removed.
    await tx.account.deleteMany({ where: { userId: user.id, provider: DISCORD_PROVIDER, NOT: { providerAccountId: input.discordUserId } } });
    await tx.account.upsert({
      where: { provider_providerAccountId: { provider: DISCORD_PROVIDER, providerAccountId: input.discordUserId } },
      create: { userId: user.id, provider: DISCORD_PROVIDER, providerAccountId: input.discordUserId },
      update: {},
    });
    await tx.dashboardGuestAccess.updateMany({ where: { guestSteamId: input.steamId, guestUserId: null }, data: { guestUserId: user.id } });
    await tx.user.update({ where: { id: user.id }, data: { lastSeenAt: new Date() } });
    return {
      user,
      created,
      previousSteamId: previous && previous.userId !== user.id ? previous.user.steamId : null,
      movedFromDiscordUserId: ownerId,
    };
  });
}

/** The Discord account the Steam account is linked to, if any. */
export async function discordAccountOfSteam(prisma: PrismaClient, steamId: string): Promise<string | null> {
  const account = await prisma.account.findFirst({ where: { provider: DISCORD_PROVIDER, user: { steamId } }, select: { providerAccountId: true } });
  return account?.providerAccountId ?? null;
}

export async function unlinkDiscord(prisma: PrismaClient, discordUserId: string): Promise<boolean> {
  const { count } = await prisma.account.deleteMany({ where: { provider: DISCORD_PROVIDER, providerAccountId: discordUserId } });
  return count > 0;
}
