// Records a device's new state and redraws its card, one device at a time: broadcasts, button presses and
// reconnect readings for one device apply in the order they arrive, and the card always shows the last one.
import type { REST } from "@discordjs/rest";
import { serialize } from "../bot/serialize.ts";
import type { PairedServer, PrismaClient, SmartDevice } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { removeLiveMessage, upsertLiveMessage, type LiveMessageResult } from "../notify/live-message.ts";
import { serverLabel } from "../pairing/server-card.ts";
import { itemNamesById } from "../tools/items/item-names.ts";
import { deviceButtons, deviceCard, deviceFamily, deviceKey } from "./device-card.ts";
import { readContents, type DeviceUpdate } from "./entity-payload.ts";

export interface CardDeps {
  prisma: PrismaClient;
  rest: REST;
  logger: Logger;
}

export interface Drawn {
  device: SmartDevice & { pairedServer: PairedServer };
  /** The row before `update` was applied (what changed is how alarms and decay are noticed). */
  previous: SmartDevice;
  result: LiveMessageResult;
}

/** Applies `update` (if any) and posts or edits the card. Null when the device is gone. */
export function updateDevice(deps: CardDeps, deviceId: string, update: DeviceUpdate | null = null): Promise<Drawn | null> {
  return serialize(`device:${deviceId}`, async () => {
    const { prisma, rest, logger } = deps;
    const previous = await prisma.smartDevice.findUnique({ where: { id: deviceId } });
    if (!previous) return null;
    if (update && Object.keys(update).length) await prisma.smartDevice.updateMany({ where: { id: deviceId }, data: update });
    const device = await prisma.smartDevice.findUnique({ where: { id: deviceId }, include: { pairedServer: true } });
    if (!device) return null;
    const buttons = deviceButtons(device);
    const names = await itemNamesById(prisma, readContents(device.contents)?.items.map((item) => item.itemId) ?? []);
    const result = await upsertLiveMessage(prisma, rest, logger, {
      userId: device.pairedServer.userId,
      key: deviceKey(device.id),
      family: deviceFamily(device.kind),
      embed: deviceCard(device, serverLabel(device.pairedServer), names),
      ...(buttons && { buttons }),
    });
    if (result.outcome === "failed") logger.warn({ deviceId, error: result.error }, "could not update a device card");
    if ("messageId" in result && (device.messageId !== result.messageId || device.messageChannelId !== result.channelId)) {
      await prisma.smartDevice.updateMany({ where: { id: deviceId }, data: { messageChannelId: result.channelId, messageId: result.messageId } });
    }
    return { device, previous, result };
  });
}

/** Takes the card away (the device was removed). */
export async function removeDeviceCard(deps: CardDeps, userId: string, deviceId: string): Promise<void> {
  const result = await serialize(`device:${deviceId}`, () => removeLiveMessage(deps.prisma, deps.rest, deps.logger, { userId, key: deviceKey(deviceId) }));
  if (result.outcome === "failed") deps.logger.warn({ deviceId, error: result.error }, "could not remove a device card");
}
