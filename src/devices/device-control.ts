// What a user can do with a device: switch it (owner or guest), rename or remove it (owner), in one place for
// /device and the buttons on the cards.
import { UserError } from "../errors.ts";
import type { User } from "../generated/prisma/client.ts";
import type { Notifier } from "../notify/notifier.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import { RustPlusError, RustPlusUnavailable } from "../rustplus/rust-errors.ts";
import { serverLabel } from "../pairing/server-card.ts";
import { deviceFromButton, ownedDevice } from "./device-access.ts";
import { removeDeviceCard, updateDevice, type CardDeps } from "./draw-device.ts";
import { markUnreachable } from "./mark-unreachable.ts";
import { plain } from "../bot/plain-text.ts";

type Who = Pick<User, "id" | "steamId">;

/** From the On / Off buttons on the device's card: setEntityValue at user priority; the card shows the new state once the server accepted it. */
export async function setSwitch(deps: CardDeps & { rust: ConnectionManager; notifier: Notifier }, user: Who, deviceId: string, on: boolean): Promise<string> {
  const { device } = await deviceFromButton(deps.prisma, user, deviceId);
  const name = plain(device.name);
  if (device.kind !== "SWITCH" || device.entityId === null) throw new UserError(`${name} is not a smart switch.`);
  if (device.unreachableSince) throw new UserError(`${name} was not found in game (destroyed, or the server was wiped). Pair it again in game to use it.`);
  try {
    await deps.rust.request(device.pairedServerId, { entityId: Number(device.entityId), setEntityValue: { value: on } }, "user");
  } catch (err) {
    if (err instanceof RustPlusUnavailable) throw new UserError(`The bot is not connected to ${plain(serverLabel(device.pairedServer))} right now, so ${name} cannot be switched. Try again once its card shows it connected.`);
    if (err instanceof RustPlusError && err.code === "not_found") {
      await markUnreachable(deps.prisma, deps.notifier, device);
      await updateDevice(deps, device.id);
      throw new UserError(`${name} was not found in game (destroyed, or the server was wiped). Pair it again in game to use it.`);
    }
    if (err instanceof RustPlusError) throw new UserError(`The Rust server refused (${err.code}). Try again in a moment.`);
    throw err;
  }
  await updateDevice(deps, device.id, { isOn: on });
  return `Switched ${name} ${on ? "on" : "off"}.`;
}

export async function renameDevice(deps: CardDeps, user: Who, deviceId: string, name: string): Promise<string> {
  const device = await ownedDevice(deps.prisma, user, deviceId, "rename it");
  await deps.prisma.smartDevice.update({ where: { id: device.id }, data: { name } });
  await updateDevice(deps, device.id);
  return `Renamed ${plain(device.name)} to ${plain(name)}.`;
}

export async function removeDevice(deps: CardDeps, user: Who, deviceId: string): Promise<string> {
  const device = await ownedDevice(deps.prisma, user, deviceId, "remove it");
  await deps.prisma.smartDevice.deleteMany({ where: { id: device.id } });
  await removeDeviceCard(deps, device.pairedServer.userId, device.id);
  return `Removed ${plain(device.name)}. Pair it again in game to bring it back.`;
}
