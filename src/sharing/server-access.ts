// Who may act on a paired server: its owner, and guests with an unrevoked grant. Checked on every
// interaction, so a revocation takes effect on the guest's next click. A refusal names what is true for the
// surface it is reached from (a command's `server:` option, or a button on a card) and the next step.
import type { PairedServer, PrismaClient, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import { serverLabel } from "../pairing/server-card.ts";
import { plain } from "../bot/plain-text.ts";
import { notOneOfYourServers } from "./access-answers.ts";

export type ServerRole = "owner" | "guest";
type Who = Pick<User, "id" | "steamId">;
/** Where the server id came from: a command's `server:` option (typed or suggested), or a button on a message. */
export type Surface = "option" | "button";

/** The server and the user's role on it; null when it is gone or neither theirs nor shared with them. */
export async function findServerAccess(prisma: PrismaClient, user: Who, serverId: string): Promise<{ server: PairedServer; role: ServerRole } | null> {
  const server = await prisma.pairedServer.findUnique({ where: { id: serverId } });
  if (!server) return null;
  if (server.userId === user.id) return { server, role: "owner" };
  const grant = await prisma.dashboardGuestAccess.findFirst({ where: { pairedServerId: serverId, guestSteamId: user.steamId, revokedAt: null } });
  return grant ? { server, role: "guest" } : null;
}

/**
 * The server named by a command's `server:` option, with the user's role.
 * @throws UserError when it is not theirs nor shared with them (the answer says whether they have any server yet).
 */
export async function serverAccess(prisma: PrismaClient, user: Who, serverId: string): Promise<{ server: PairedServer; role: ServerRole }> {
  const access = await findServerAccess(prisma, user, serverId);
  if (!access) throw new UserError(await notOneOfYourServers(prisma, user, { ownedOnly: false }));
  return access;
}

/**
 * The server, if the user paired it. `action` finishes "only the player who paired it can …" (e.g. "share it").
 * @throws UserError: from an option, the server is not theirs (or they have none yet) or was only shared with
 *   them; from a button, the server was removed or someone else paired it.
 */
export async function requireOwnedServer(prisma: PrismaClient, user: Who, serverId: string, options: { action: string; from: Surface }): Promise<PairedServer> {
  const access = await findServerAccess(prisma, user, serverId);
  if (access?.role === "owner") return access.server;
  if (options.from === "button") {
    const server = access?.server ?? (await prisma.pairedServer.findUnique({ where: { id: serverId } }));
    if (!server) throw new UserError("This server is not paired any more (it was removed), so this button does nothing now. To use it again, pair it in game: menu → Rust+ → Pair with server.");
    throw new UserError(`Only the player who paired **${plain(serverLabel(server))}** can ${options.action}. Ask them to.`);
  }
  if (!access) throw new UserError(await notOneOfYourServers(prisma, user, { ownedOnly: true }));
  throw new UserError(
    `**${plain(serverLabel(access.server))}** was shared with you, so only the player who paired it can ${options.action}. Ask them to, or pair the server yourself in game (menu → Rust+ → Pair with server) to have your own.`,
  );
}

/** Servers a user owns or is a guest on (or only owns), for autocomplete and lists. */
export function accessibleServers(prisma: PrismaClient, user: Who, search = "", options: { ownedOnly?: boolean } = {}): Promise<PairedServer[]> {
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

/** Autocomplete choices for a server option: name (search) in, paired servers out. */
export async function serverChoices(prisma: PrismaClient, user: Who, search: string, options: { ownedOnly?: boolean } = {}): Promise<{ name: string; value: string }[]> {
  const servers = await accessibleServers(prisma, user, search.slice(0, 100), options);
  return servers.map((s) => ({ name: serverLabel(s), value: s.id }));
}
