// shop-search:<pairedServerId>:<itemId>:<s|b>:<page>[:f|l] — the First/Previous/Next/Last buttons of /shop search. Access is
// checked again on the press (a guest's grant may be gone), and the page is read from the listing as it is now.
import { Prefix } from "../../src/bot/custom-ids.ts";
import type { ComponentHandler } from "../../src/bot/types.ts";
import { UserError } from "../../src/errors.ts";
import { requireLinkedUser } from "../../src/identity/linked-user.ts";
import { findServerAccess } from "../../src/sharing/server-access.ts";
import { findItemById } from "../../src/tools/items/find-item.ts";
import { searchReply } from "../../src/shop/commands/search.ts";

export const shopSearchButton: ComponentHandler = {
  prefix: Prefix.shopSearch,
  async execute(interaction, args, ctx) {
    const [serverId = "", itemId = "", mode = "", page = ""] = args;
    if (!interaction.isButton() || !/^[a-z0-9]{1,40}$/.test(serverId) || !/^-?\d{1,11}$/.test(itemId) || !/^[sb]$/.test(mode) || !/^-?\d{1,6}$/.test(page)) {
      throw new UserError("This button is not valid any more.");
    }
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const access = await findServerAccess(ctx.prisma, user, serverId);
    if (!access) throw new UserError("This server is not yours or shared with you any more (or it was removed), so this button does nothing now.");
    const { server } = access;
    const item = await findItemById(ctx.prisma, Number(itemId));
    if (!item) throw new UserError("This item is not in the catalog any more: search again with `/shop search`.");
    const reply = await searchReply(ctx, server, item, mode === "b" ? "buy" : "sell", Number(page));
    return { update: reply };
  },
};
