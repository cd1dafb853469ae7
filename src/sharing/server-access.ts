// Who may act on a paired server: its owner, and guests with an unrevoked grant. Checked on every
// interaction, so a revocation takes effect on the guest's next click.
import type { PairedServer, PrismaClient, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import { serverLabel } from "../pairing/server-card.ts";

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

/** Servers a user owns or is a guest on (or only owns), for autocomplete and lists. */
export function accessibleServers(prisma: PrismaClient, user: Pick<User, "id" | "steamId">, search = "", options: { ownedOnly?: boolean } = {}): Promise<PairedServer[]> {
  return prisma.pairedServer.findMany({
    where: {
      serverName: { contains: search, mode: "insensitive" },
      ...(options.ownedOnly
        ? { userId: user.id }
        : { OR: [{ userId: user.id }, { guestAccesses: { some: { guestSteamId: user.steamId, revokedAt: null } } }] }),
    },
    orderBy: { serverName: "asc" },
    take: 25,
  });
}

/** The server, if the user owns it; a guest gets `refusal`, a stranger the usual no-access answer. */
export async function requireOwnedServer(
  prisma: PrismaClient,
  user: Pick<User, "id" | "steamId">,
  serverId: string,
  refusal = "Only the owner of this server can share it.",
): Promise<PairedServer> {
  const { server, role } = await serverAccess(prisma, user, serverId);
  if (role !== "owner") throw new UserError(refusal);
  return server;
}

/** Autocomplete choices for a server option: name (search) in, paired servers out. */
export async function serverChoices(
  prisma: PrismaClient,
  user: Pick<User, "id" | "steamId">,
  search: string,
  options: { ownedOnly?: boolean } = {},
): Promise<{ name: string; value: string }[]> {
  const servers = await accessibleServers(prisma, user, search.slice(0, 100), options);
  return servers.map((s) => ({ name: serverLabel(s), value: s.id }));
}
