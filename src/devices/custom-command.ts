// Setting or clearing a device's custom in-game command.
import type { PrismaClient, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import { COMMAND_NAME } from "../ingame/registry.ts";
import { ownedDevice } from "./device-access.ts";
import { plain } from "../bot/plain-text.ts";


/** `reserved`: the names every server already answers (a device cannot shadow !help). */
export async function setCustomCommand(prisma: PrismaClient, user: Pick<User, "id" | "steamId">, deviceId: string, name: string | undefined, reserved: ReadonlySet<string>): Promise<string> {
  const device = await ownedDevice(prisma, user, deviceId, "give it an in-game command");
  if (!name) {
    await prisma.smartDevice.update({ where: { id: device.id }, data: { customCommand: null } });
    return `${plain(device.name)} has no in-game command now.`;
  }
  const command = name.replace(/^[^a-z0-9]+/i, "").toLowerCase();
  if (!COMMAND_NAME.test(command)) throw new UserError("A command is one word of letters, digits, - or _ (up to 24), like `door`.");
  if (reserved.has(command)) throw new UserError(`\`${command}\` is one of the bot's own in-game commands. Pick another name.`);
  const taken = await prisma.smartDevice.findFirst({ where: { pairedServerId: device.pairedServerId, customCommand: command, NOT: { id: device.id } } });
  if (taken) throw new UserError(`\`${command}\` already belongs to ${plain(taken.name)} on this server.`);
  await prisma.smartDevice.update({ where: { id: device.id }, data: { customCommand: command } });
  const prefix = device.pairedServer.commandPrefix;
  return device.kind === "SWITCH"
    ? `In team chat, \`${prefix}${command}\` now toggles ${plain(device.name)} (\`${prefix}${command} on\` / \`off\` to set it).`
    : `In team chat, \`${prefix}${command}\` now tells the state of ${plain(device.name)}.`;
}
