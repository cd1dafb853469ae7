// device:<on|off>:<smartDeviceId> — a smart switch's buttons on its card. The owner and guests may press.
import { Prefix } from "../../src/bot/custom-ids.ts";
import type { ComponentHandler } from "../../src/bot/types.ts";
import { setSwitch } from "../../src/devices/device-control.ts";
import { UserError } from "../../src/errors.ts";
import { requireLinkedUser } from "../../src/identity/linked-user.ts";

export const deviceButton: ComponentHandler = {
  prefix: Prefix.device,
  async execute(interaction, args, ctx) {
    const [action = "", deviceId = ""] = args;
    if (!interaction.isButton() || (action !== "on" && action !== "off") || !/^[a-z0-9]{1,40}$/.test(deviceId)) throw new UserError("This button is not valid any more.");
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const deps = { prisma: ctx.prisma, rest: interaction.client.rest, logger: ctx.logger, rust: ctx.rust, notifier: ctx.notifier };
    return { content: await setSwitch(deps, user, deviceId, action === "on"), ephemeral: true };
  },
};
