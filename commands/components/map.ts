// map:<pairedServerId>:<layer flags> — a layer button under a /map image: the same map drawn again with the layers
// the id names. Access is checked again at every press (a share may have been revoked since).
import type { ComponentHandler } from "../../src/bot/types.ts";
import { Prefix } from "../../src/bot/custom-ids.ts";
import { plain } from "../../src/bot/plain-text.ts";
import { UserError } from "../../src/errors.ts";
import { requireLinkedUser } from "../../src/identity/linked-user.ts";
import { decodeLayers } from "../../src/map/layers.ts";
import { mapReply } from "../../src/map/map-reply.ts";
import { serverLabel } from "../../src/pairing/server-card.ts";
import { findServerAccess } from "../../src/sharing/server-access.ts";

export const mapButton: ComponentHandler = {
  prefix: Prefix.map,
  async execute(interaction, args, ctx) {
    const [serverId = "", flags = ""] = args;
    const layers = decodeLayers(flags);
    if (!interaction.isButton() || !layers || !/^[a-z0-9]{1,40}$/.test(serverId)) throw new UserError("This button is not valid any more.");
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const access = await findServerAccess(ctx.prisma, user, serverId);
    if (!access) throw new UserError("This map's server is not shared with you (or was removed), so its buttons do nothing for you. Ask the player who paired it to share it: `/share add`.");
    const name = plain(serverLabel(access.server));
    return { update: mapReply(serverId, name, layers, await ctx.maps.render(serverId, name, layers)) };
  },
};
