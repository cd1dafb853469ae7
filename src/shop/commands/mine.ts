// /shop mine [server] [shop]: the user's own shops (storage monitors on vending machines) on servers they own or are
// a guest on: stock per item, what sold today (the viewer's time zone, UTC until chosen), and — where the server
// reports vending markers — the machine it is linked to and whether another shop undercuts it.
import type { ApplicationCommandOptionChoiceData, ChatInputCommandInteraction } from "discord.js";
import { z } from "zod";
import { listContent } from "../../bot/list-reply.ts";
import { parseOptions } from "../../bot/options.ts";
import { plain } from "../../bot/plain-text.ts";
import { fitText } from "../../bot/fit-text.ts";
import { LIMITS } from "../../bot/fit-payload.ts";
import type { BotContext, CommandResult } from "../../bot/types.ts";
import { PAIR_A_DEVICE } from "../../devices/device-access.ts";
import { gridLabel } from "../../events/grid.ts";
import type { PrismaClient, User } from "../../generated/prisma/client.ts";
import { UserError } from "../../errors.ts";
import { requireLinkedUser } from "../../identity/linked-user.ts";
import { serverLabel } from "../../pairing/server-card.ts";
import { serverAccess } from "../../sharing/server-access.ts";
import { itemNamesById } from "../../tools/items/item-names.ts";
import type { Listing } from "../market-service.ts";
import { localDay, salesByShop, zoneOf } from "../own/daily-summary.ts";
import { accessibleShops, type OwnShop } from "../own/shops.ts";
import { itemLabel, stockOf, type StockLine } from "../own/stock.ts";
import { teamMarkerIds, undercutLine, undercutsOf } from "../own/undercut.ts";

const pick = (what: string) => z.string().regex(/^[a-z0-9]{1,40}$/, `Pick a ${what} from the suggestions.`);
const options = z.object({ server: pick("server").optional(), shop: pick("shop").optional() });

const HOW = `A shop is a storage monitor on one of your vending machines. ${PAIR_A_DEVICE}`;

export async function shopMine(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<CommandResult> {
  const opts = parseOptions(interaction, options);
  const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
  const only = opts.server ? (await serverAccess(ctx.prisma, user, opts.server)).server : undefined;
  let shops = await accessibleShops(ctx.prisma, user, { ...(only && { serverId: only.id }), take: 25 });
  if (opts.shop) {
    shops = shops.filter((s) => s.id === opts.shop);
    if (!shops.length) throw new UserError("That is not one of your shops (or it was removed). Pick one from the suggestions as you type in `shop:`.");
  }
  if (!shops.length) throw new UserError(only ? `No shops on **${plain(serverLabel(only))}** yet. ${HOW}` : `No shops yet. ${HOW}`);

  const today = localDay(zoneOf(user.timeZone), Date.now());
  const sold = await salesByShop(ctx.prisma, shops.map((s) => s.id), new Date(today.start), new Date(today.end));
  const stocks = new Map(shops.map((s) => [s.id, stockOf(s.stock)]));
  const names = await itemNamesById(ctx.prisma, [...[...stocks.values()].flat(), ...[...sold.values()].flat()].map((l) => l.itemId));
  const listings = new Map<string, Listing | null>();
  const team = new Map<string, Set<number>>();
  for (const serverId of new Set(shops.map((s) => s.pairedServerId))) {
    listings.set(serverId, await ctx.shops.listing(serverId));
    team.set(serverId, await teamMarkerIds(ctx.prisma, serverId));
  }
  const sizes = new Map((await ctx.prisma.mapImage.findMany({ where: { pairedServerId: { in: [...listings.keys()] } }, select: { pairedServerId: true, mapSize: true } })).map((m) => [m.pairedServerId, m.mapSize]));
  const marketNames = await itemNamesById(ctx.prisma, [...listings.values()].flatMap((l) => l?.machines.flatMap((m) => m.orders.flatMap((o) => [o.itemId, o.currencyId])) ?? []));

  // One shop alone uses the whole reply, most of it for its stock (a vending machine's 30 slots); several share it,
  // whole shops while they fit. Every cut list says how many items it left out.
  const single = shops.length === 1;
  const budget = single ? { stock: 1_000, sold: 300, line: 160 } : { stock: 400, sold: 400, line: 440 };
  const blocks = shops.map((shop) => {
    const lines = [
      `🛒 **${plain(shop.name)}** · ${plain(serverLabel(shop.pairedServer))}${shop.pairedServer.userId === user.id ? "" : " (shared with you)"}`,
      `Stock and takings: ${items(stocks.get(shop.id) ?? [], names, budget.stock, !single) || "empty"}`,
      `Sold today: ${items(sold.get(shop.id) ?? [], names, budget.sold, !single) || "nothing yet"}`,
      ...machineLines(shop, listings.get(shop.pairedServerId) ?? null, sizes.get(shop.pairedServerId) ?? 0, marketNames, team.get(shop.pairedServerId) ?? new Set()).map((l) => fitText(l, budget.line)),
    ];
    return lines;
  });
  // Alone, its lines are the list (the last undercut lines give way, counted); several: whole shops, counted.
  const lines = single ? blocks[0]! : blocks.map((b) => b.join("\n"));
  return { content: listContent({ lines, narrow: single ? "see them in #shop" : "narrow it with `server:` or `shop:`", max: LIMITS.content }), ephemeral: true };
}

/** "3 × Rocket, 2 × Scrap" within `max` characters: whole items, then "and N more items" (`hint`: how to see more). */
function items(lines: readonly StockLine[], names: ReadonlyMap<number, string>, max: number, hint: boolean): string {
  const parts = lines.map((l) => `${l.quantity.toLocaleString("en-US")} × ${plain(itemLabel(l, names))}`);
  let text = "";
  for (const [i, part] of parts.entries()) {
    const next = text ? `${text}, ${part}` : part;
    const left = parts.length - i - 1;
    // Room kept for the count of what is left out, so a cut list always says how much is missing.
    if (next.length > max - (left ? 45 : 0)) return `${text}, and ${parts.length - i} more items${hint ? " (pick `shop:` to see more)" : ""}`;
    text = next;
  }
  return text;
}

/** Which vending machine the shop is, and its undercuts now (from the stored listing). */
function machineLines(shop: OwnShop, listing: Listing | null, mapSize: number, names: ReadonlyMap<number, string>, team: ReadonlySet<number>): string[] {
  if (!listing) return ["Undercut: no vending machines listed for this server yet (shown once the bot has polled it)."];
  if (!listing.reported) return ["Undercut: not watched: this server does not report vending machines through Rust+."];
  const machine = shop.vendingMarkerId === null ? undefined : listing.machines.find((m) => m.markerId === shop.vendingMarkerId);
  if (!machine) return ["Undercut: not matched: no single vending machine's offers fit this shop's stock yet."];
  const found = undercutsOf(machine, listing.machines, team);
  const head = `Vending machine at ${mapSize ? gridLabel(machine.x, machine.y, mapSize) : "an unknown grid"}: ${found.length ? `undercut ${found.length} time${found.length === 1 ? "" : "s"}` : "not undercut"}`;
  return [head, ...found.slice(0, 5).map((u) => `· ${plain(undercutLine(u, mapSize, names))}`)];
}

/** Autocomplete for `shop:`: the user's shops (own and shared servers) by name. */
export async function ownShopChoices(prisma: PrismaClient, user: Pick<User, "id" | "steamId">, query: string): Promise<ApplicationCommandOptionChoiceData[]> {
  const shops = await accessibleShops(prisma, user, { search: query.slice(0, 100) });
  return shops.map((s) => ({ name: fitText(`${s.name} · ${serverLabel(s.pairedServer)}`, LIMITS.choiceName), value: s.id }));
}
