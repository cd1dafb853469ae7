// Who may act on a device: whoever may act on its server (the owner, or a guest with an unrevoked grant).
// Renaming and removing stay with the owner.
import type { PairedServer, PrismaClient, SmartDevice, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import { serverAccess, type ServerRole } from "../sharing/server-access.ts";

export type DeviceWithServer = SmartDevice & { pairedServer: PairedServer };

const NO_ACCESS = "That device does not exist any more, or you don't have access to it. Pick one from the list.";

export async function deviceAccess(prisma: PrismaClient, user: Pick<User, "id" | "steamId">, deviceId: string): Promise<{ device: DeviceWithServer; role: ServerRole }> {
  const device = await prisma.smartDevice.findUnique({ where: { id: deviceId }, include: { pairedServer: true } });
  if (!device) throw new UserError(NO_ACCESS);
  try {
    const { role } = await serverAccess(prisma, user, device.pairedServerId);
    return { device, role };
  } catch (err) {
    if (err instanceof UserError) throw new UserError(NO_ACCESS);
    throw err;
  }
}

export async function ownedDevice(prisma: PrismaClient, user: Pick<User, "id" | "steamId">, deviceId: string): Promise<DeviceWithServer> {
  const { device, role } = await deviceAccess(prisma, user, deviceId);
  if (role !== "owner") throw new UserError("Only the player who paired this device's server can rename or remove it.");
  return device;
}

/** Devices on servers the user owns or is a guest on, by name, for autocomplete and lists. */
export function accessibleDevices(
  prisma: PrismaClient,
  user: Pick<User, "id" | "steamId">,
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
