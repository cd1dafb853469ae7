// /shop search <item> [mode] [server]: where an item is sold now (or taken as payment), from the server's vending
// machine listing (ShopMarket, kept by the market service from the map markers). Owners and guests may search.
import type { ChatInputCommandInteraction } from "discord.js";
import type { Item, PairedServer } from "../../generated/prisma/client.ts";
import type { BotContext, CommandResult } from "../../bot/types.ts";
import { requireLinkedUser } from "../../identity/linked-user.ts";
import { noteServer } from "../../notes/note-access.ts";
import { resolveItem } from "../../tools/items/find-item.ts";
import type { SearchMode } from "../offers.ts";
import { searchPage, storedPlaces, type SearchPage } from "../search-page.ts";

export async function shopSearch(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<CommandResult> {
  const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
  const item = await resolveItem(ctx.prisma, interaction.options.getString("item") ?? "");
  const mode: SearchMode = interaction.options.getString("mode") === "buy" ? "buy" : "sell";
  const { server } = await noteServer(ctx.prisma, user, interaction.options.getString("server") ?? undefined);
  return { ...(await searchReply(ctx, server, item, mode, 0)), ephemeral: true };
}

/** The page of a search as a reply (the command's first page, or a button's). */
export async function searchReply(ctx: BotContext, server: PairedServer, item: Item, mode: SearchMode, page: number): Promise<SearchPage> {
  const listing = await ctx.shops.listing(server.id);
  const places = await storedPlaces(ctx.prisma, server.id, ctx.rust.status(server.id)?.snapshot?.info.mapSize);
  return searchPage(ctx.prisma, { server, item, mode, page, listing, places });
}
