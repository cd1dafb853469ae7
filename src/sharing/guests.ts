// Granting, listing and revoking guests on a paired server, within the owner's tier.
import type { DashboardGuestAccess, PrismaClient, User } from "../generated/prisma/client.ts";
import { withinLimit, type LimitsConfig } from "../billing/entitlements.ts";
import { UserError } from "../errors.ts";
import { requireOwnedServer } from "./server-access.ts";

export async function grantGuest(
  prisma: PrismaClient,
  config: LimitsConfig,
  owner: User,
  serverId: string,
  guestSteamId: string,
): Promise<DashboardGuestAccess> {
  const server = await requireOwnedServer(prisma, owner, serverId, { action: "share it", from: "option" });
  if (guestSteamId === owner.steamId) throw new UserError("That is you: you already own this server.");
  const existing = await prisma.dashboardGuestAccess.findUnique({ where: { pairedServerId_guestSteamId: { pairedServerId: server.id, guestSteamId } } });
  if (existing && !existing.revokedAt) throw new UserError("That player already has access to this server.");
  const guestUser = await prisma.user.findUnique({ where: { steamId: guestSteamId } });
  return withinLimit(
    prisma,
    config,
    owner,
    "guestsPerServer",
    (tx) =>
      tx.dashboardGuestAccess.upsert({
        where: { pairedServerId_guestSteamId: { pairedServerId: server.id, guestSteamId } },
        create: { ownerUserId: owner.id, pairedServerId: server.id, guestSteamId, guestUserId: guestUser?.id ?? null },
        update: { revokedAt: null, createdAt: new Date(), guestUserId: guestUser?.id ?? null },
      }),
    server.id,
  );
}

export async function listGuests(prisma: PrismaClient, owner: User, serverId: string) {
  const server = await requireOwnedServer(prisma, owner, serverId, { action: "see who it is shared with", from: "option" });
  const grants = await prisma.dashboardGuestAccess.findMany({
    where: { pairedServerId: server.id, revokedAt: null },
    include: { guest: { include: { accounts: true } } },
    orderBy: { createdAt: "asc" },
  });
  return { server, grants };
}

export async function revokeGuest(prisma: PrismaClient, owner: User, serverId: string, guestSteamId: string): Promise<void> {
  const server = await requireOwnedServer(prisma, owner, serverId, { action: "take access away", from: "option" });
  const { count } = await prisma.dashboardGuestAccess.updateMany({
    where: { pairedServerId: server.id, guestSteamId, revokedAt: null },
    data: { revokedAt: new Date() },
  });
  if (count === 0) throw new UserError("That player has no access to this server.");
}
