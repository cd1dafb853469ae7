// Who may act on a device: whoever may act on its server (the owner, or a guest with an unrevoked grant).
// Renaming, removing and in-game commands stay with the owner. Refusals are worded for where the device id
// came from: a button on its card (no list to pick from there) or a command's `device:` option.
import type { PairedServer, PrismaClient, SmartDevice, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import { serverLabel } from "../pairing/server-card.ts";
import { plain } from "../bot/plain-text.ts";
import { PAIR_A_SERVER, serverCounts } from "../sharing/access-answers.ts";
import { findServerAccess, type ServerRole } from "../sharing/server-access.ts";

export type DeviceWithServer = SmartDevice & { pairedServer: PairedServer };
type Who = Pick<User, "id" | "steamId">;

/** How a device gets paired, once its server is. */
export const PAIR_A_DEVICE = "In game, look at a smart switch, alarm or storage monitor, hold E and choose Pair; it then shows up here.";

/**
 * A device pressed on its card, with the user's role on its server.
 * @throws UserError when the device was removed (the button is stale) or its server is not shared with the user.
 */
export async function deviceFromButton(prisma: PrismaClient, user: Who, deviceId: string): Promise<{ device: DeviceWithServer; role: ServerRole }> {
  const device = await prisma.smartDevice.findUnique({ where: { id: deviceId }, include: { pairedServer: true } });
  if (!device) {
    throw new UserError("This device is not paired any more (it or its server was removed), so this button does nothing now. Pair the device again in game to get a new card.");
  }
  const access = await findServerAccess(prisma, user, device.pairedServerId);
  if (!access) {
    throw new UserError(
      `**${plain(device.name)}** is on **${plain(serverLabel(device.pairedServer))}**, which is not shared with you, so you cannot switch it. Ask the player who paired that server to share it with you: \`/share add\`.`,
    );
  }
  return { device, role: access.role };
}

/**
 * The device named by a command's `device:` option, if the user paired its server. `action` finishes "only the
 * player who paired its server can …" (e.g. "rename it").
 * @throws UserError when it is not one of theirs (with none yet: how to pair), or it is on a server shared with them.
 */
export async function ownedDevice(prisma: PrismaClient, user: Who, deviceId: string, action: string): Promise<DeviceWithServer> {
  const device = await prisma.smartDevice.findUnique({ where: { id: deviceId }, include: { pairedServer: true } });
  const access = device && (await findServerAccess(prisma, user, device.pairedServerId));
  if (device && access?.role === "owner") return device;
  if (device && access) throw new UserError(`**${plain(device.name)}** is on a server shared with you: only the player who paired it can ${action}. Ask them to.`);
  throw new UserError(await notOneOfYourDevices(prisma, user));
}

/** The answer to a `device:` option that names none of the user's devices: how to get one, or to pick from the suggestions. */
async function notOneOfYourDevices(prisma: PrismaClient, user: Who): Promise<string> {
  const { owned } = await serverCounts(prisma, user);
  if (owned === 0) return `You have not paired a server yet, and devices pair through one. First ${PAIR_A_SERVER}; then pair devices in game.`;
  const devices = await prisma.smartDevice.count({ where: { pairedServer: { userId: user.id } } });
  if (devices === 0) return `You have no smart devices yet. ${PAIR_A_DEVICE}`;
  return "That is not one of your devices (or it was removed). Pick one from the suggestions as you type in `device:`.";
}

/** Devices on servers the user owns or is a guest on, by name, for autocomplete and lists. */
export function accessibleDevices(
  prisma: PrismaClient,
  user: Who,
  options: { search?: string; serverId?: string; ownedOnly?: boolean; take?: number } = {},
): Promise<DeviceWithServer[]> {
  const mine = { userId: user.id };
  const shared = { guestAccesses: { some: { guestSteamId: user.steamId, revokedAt: null } } };
  return prisma.smartDevice.findMany({
    where: {
      name: { contains: options.search ?? "", mode: "insensitive" },
      ...(options.serverId && { pairedServerId: options.serverId }),
      pairedServer: options.ownedOnly ? mine : { OR: [mine, shared] },
    },
    include: { pairedServer: true },
    orderBy: [{ name: "asc" }, { createdAt: "asc" }],
    take: options.take ?? 25,
  });
}
