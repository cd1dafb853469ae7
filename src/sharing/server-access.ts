// Who may act on a paired server: its owner, and guests with an unrevoked grant. Checked on every
// interaction, so a revocation takes effect on the guest's next click.
import type { PairedServer, PrismaClient, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";

export type ServerRole = "owner" | "guest";

export async function serverAccess(prisma: PrismaClient, user: Pick<User, "id" | "steamId">, serverId: string): Promise<{ server: PairedServer; role: ServerRole }> {
  const server = await prisma.pairedServer.findUnique({ where: { id: serverId } });
  if (server?.userId === user.id) return { server, role: "owner" };
  if (server) {
    const grant = await prisma.dashboardGuestAccess.findFirst({ where: { pairedServerId: serverId, guestSteamId: user.steamId, revokedAt: null } });
    if (grant) return { server, role: "guest" };
  }
  throw new UserError("You don't have access to that server. Its owner can share it with `/share add`.");
}

/** Servers a user owns or is a guest on, for autocomplete and lists. */
export function accessibleServers(prisma: PrismaClient, user: Pick<User, "id" | "steamId">, search = ""): Promise<PairedServer[]> {
  return prisma.pairedServer.findMany({
    where: {
      serverName: { contains: search, mode: "insensitive" },
      OR: [{ userId: user.id }, { guestAccesses: { some: { guestSteamId: user.steamId, revokedAt: null } } }],
    },
    orderBy: { serverName: "asc" },
    take: 25,
  });
}

export async function requireOwnedServer(prisma: PrismaClient, user: Pick<User, "id" | "steamId">, serverId: string): Promise<PairedServer> {
  const { server, role } = await serverAccess(prisma, user, serverId);
  if (role !== "owner") throw new UserError("Only the owner of this server can share it.");
  return server;
}
