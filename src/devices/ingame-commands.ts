// A device's custom in-game command (`/device command`): `!door` toggles a switch (`!door on|off` sets it);
// for an alarm or a storage monitor it tells the device's state. Resolved per server from the database.
import type { PrismaClient, SmartDevice } from "../generated/prisma/client.ts";
import type { CommandResolver, InGameCommand } from "../ingame/registry.ts";
import { RustPlusError } from "../rustplus/rust-errors.ts";
import { deviceState, KIND_LABELS } from "./device-card.ts";

export function deviceCommands(prisma: PrismaClient): CommandResolver {
  return async (serverId, name) => {
    const device = await prisma.smartDevice.findFirst({ where: { pairedServerId: serverId, customCommand: name } });
    return device ? commandFor(prisma, device) : undefined;
  };
}

function commandFor(prisma: PrismaClient, found: SmartDevice): InGameCommand {
  return {
    name: found.customCommand!,
    ...(found.kind === "SWITCH" && { usage: "[on|off]" }),
    summary: `${KIND_LABELS[found.kind].toLowerCase()} ${found.name}`,
    async run(ctx) {
      const device = await prisma.smartDevice.findUnique({ where: { id: found.id } });
      if (!device) return "That device was removed.";
      if (device.unreachableSince || device.entityId === null) return `${device.name} cannot be reached any more: pair it again in game.`;
      if (device.kind !== "SWITCH") return `${device.name}: ${deviceState(device)}`;
      const arg = ctx.args.toLowerCase();
      if (arg && arg !== "on" && arg !== "off") return `Use ${ctx.server.prefix}${device.customCommand} to switch it, or add on or off.`;
      const on = arg ? arg === "on" : !device.isOn;
      try {
        await ctx.request({ entityId: Number(device.entityId), setEntityValue: { value: on } });
      } catch (err) {
        if (err instanceof RustPlusError && err.code === "not_found") return `${device.name} is gone from the game: pair it again.`;
        throw err;
      }
      // The entityChanged broadcast that follows records the state and edits the card.
      return `${device.name} is ${on ? "on" : "off"}.`;
    },
  };
}
