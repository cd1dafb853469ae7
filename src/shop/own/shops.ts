// Which storage monitors are the user's own shops: those on vending machines (isVendingMachine, from their last
// contents) on servers the user owns or is a guest on. Guests see the shops of servers shared with them (as they see
// the devices in /device list); alerts and summaries go to the owner only.
import type { PrismaClient, User } from "../../generated/prisma/client.ts";
import { accessibleDevices, type DeviceWithServer } from "../../devices/device-access.ts";
import { isVendingMachine, readContents, type StorageContents } from "../../devices/entity-payload.ts";

export type OwnShop = DeviceWithServer & { stock: StorageContents };

/** Shops the user may see, by name; `search` matches the device name, `serverId` narrows. At most `take`. */
export async function accessibleShops(
  prisma: PrismaClient,
  user: Pick<User, "id" | "steamId">,
  options: { search?: string; serverId?: string; take?: number } = {},
): Promise<OwnShop[]> {
  // Monitors are few per team; the vending rule (capacity) lives in one place, so it is applied here, not in SQL.
  const monitors = await accessibleDevices(prisma, user, { ...options, take: 200 });
  const shops: OwnShop[] = [];
  for (const device of monitors) {
    const stock = device.kind === "STORAGE_MONITOR" && !device.unreachableSince ? readContents(device.contents) : null;
    if (stock && isVendingMachine(stock)) shops.push({ ...device, stock });
  }
  return shops.slice(0, options.take ?? 25);
}
