// server:<action>:<pairedServerId> — the buttons on a pairing message, a server card and /server info.
// Remove asks once more before deleting anything.
import { customId, Prefix } from "../../src/bot/custom-ids.ts";
import type { ComponentHandler } from "../../src/bot/types.ts";
import { UserError } from "../../src/errors.ts";
import { requireLinkedUser } from "../../src/identity/linked-user.ts";
import { actionRow } from "../../src/notify/buttons.ts";
import { serverLabel } from "../../src/pairing/server-card.ts";
import { connectServer, disconnectServer, ownedServer, removeServer } from "../../src/pairing/server-control.ts";
import { plain } from "../../src/bot/plain-text.ts";

const ACTIONS = new Set(["connect", "disconnect", "remove", "remove-confirm"]);

export const serverButton: ComponentHandler = {
  prefix: Prefix.server,
  async execute(interaction, args, ctx) {
    const [action = "", serverId = ""] = args;
    if (!interaction.isButton() || !ACTIONS.has(action) || !/^[a-z0-9]{1,40}$/.test(serverId)) throw new UserError("This button is not valid any more.");
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    if (action === "remove") {
      const server = await ownedServer(ctx, user, serverId, "button");
      return {
        content: `Remove **${plain(serverLabel(server))}**? Its devices, notes and shares go with it.`,
        components: [actionRow([{ customId: customId(Prefix.server, "remove-confirm", server.id), label: "Yes, remove it", style: "danger" }])],
        ephemeral: true,
      };
    }
    const text =
      action === "connect"
        ? await connectServer(ctx, user, serverId, "button")
        : action === "disconnect"
          ? await disconnectServer(ctx, user, serverId, "button")
          : await removeServer({ ...ctx, rest: interaction.client.rest }, user, serverId, "button");
    return { content: text, ephemeral: true };
  },
};
