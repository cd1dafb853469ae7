// What to tell a user whose command named a server or device they cannot use: whether they have any at all
// (then how to pair one), or which of theirs to pick. One place, so /server, /share, /alarm, /device and
// /events answer alike.
import type { PrismaClient, User } from "../generated/prisma/client.ts";

type Who = Pick<User, "id" | "steamId">;

/** How a server gets paired: the push credentials first, then the in-game pairing. */
export const PAIR_A_SERVER = "add your push credentials with `/credentials add`, then in game: menu → Rust+ → Pair with server";

/** How many servers the user paired, and how many are shared with them. */
export async function serverCounts(prisma: PrismaClient, user: Who): Promise<{ owned: number; shared: number }> {
  const [owned, shared] = await Promise.all([
    prisma.pairedServer.count({ where: { userId: user.id } }),
    prisma.pairedServer.count({ where: { userId: { not: user.id }, guestAccesses: { some: { guestSteamId: user.steamId, revokedAt: null } } } }),
  ]);
  return { owned, shared };
}

/**
 * The answer to a `server:` option that is not one of the user's servers (`ownedOnly`: not one they paired):
 * with none yet, how to pair one; else to pick from the option's suggestions.
 */
export async function notOneOfYourServers(prisma: PrismaClient, user: Who, options: { ownedOnly: boolean }): Promise<string> {
  const { owned, shared } = await serverCounts(prisma, user);
  if (owned === 0 && (options.ownedOnly || shared === 0)) {
    return shared === 0
      ? `You have no paired server yet. Pair one first: ${PAIR_A_SERVER}. A teammate's server can be shared with you instead: ask them to run \`/share add\`.`
      : `You have not paired a server of your own: the servers shared with you are managed by the players who paired them. To pair one yourself: ${PAIR_A_SERVER}.`;
  }
  return options.ownedOnly
    ? "That is not a server you paired (or it was removed). Pick one of yours from the suggestions as you type in `server:`."
    : "That is not one of your servers or one shared with you (or it was removed). Pick one from the suggestions as you type in `server:`; for a teammate's server, ask them to share it with you (`/share add`).";
}
