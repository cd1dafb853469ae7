// !shop <item> in team chat: the best three offers for an item on this server, from the vending machine listing the
// market service keeps (the same order as /shop search: scrap first, then cheapest per currency). The answer is
// short lines packed into 128-character team messages by the command runner.
import type { InGameCommand } from "../ingame/registry.ts";
import { UserError } from "../errors.ts";
import { placeOf, placeText } from "../events/monuments.ts";
import { resolveItem } from "../tools/items/find-item.ts";
import type { ShopMarkets } from "./market-service.ts";
import { itemsInStock, offersFor, unitPriceText } from "./offers.ts";
import { itemNamesById } from "../tools/items/item-names.ts";
import { isFrozen, notReported } from "./search-page.ts";

/** How many offers !shop names. */
export const INGAME_OFFERS = 3;

/** Team chat has no formatting: our Discord markup and backticks are dropped from shared answers. */
const unmarked = (text: string) => text.replace(/\*\*|`/g, "").replace(/<t:\d+:[a-zA-Z]>/g, "then");

export function shopInGameCommand(shops: Pick<ShopMarkets, "listing">): InGameCommand {
  return {
    name: "shop",
    usage: "<item>",
    summary: "the three cheapest vending offers of an item",
    async run(ctx) {
      if (!ctx.args) return `Usage: ${ctx.server.prefix}shop <item>, e.g. ${ctx.server.prefix}shop rocket`;
      let item;
      try {
        item = await resolveItem(ctx.prisma, ctx.args.slice(0, 100));
      } catch (err) {
        if (err instanceof UserError) return unmarked(err.message);
        throw err;
      }
      const [listing, server] = await Promise.all([
        shops.listing(ctx.server.id),
        ctx.prisma.pairedServer.findUnique({ where: { id: ctx.server.id }, select: { unreportedMarkers: true } }),
      ]);
      const refusal = notReported(server ?? { unreportedMarkers: [] }, listing, ctx.server.serverName);
      if (refusal || !listing) return unmarked(refusal ?? "").replace(/ Your own shops.*$/, " Own shops: /shop mine in Discord.");
      const offers = offersFor(listing.machines, item.id, "sell");
      const age = ctx.now() - listing.observedAt.getTime();
      const asOf = isFrozen(listing, ctx.now()) ? ` (as of ${Math.max(0, Math.round(age / 60_000))} min ago)` : "";
      if (!offers.length) return `No vending machine sells ${item.name} in stock${asOf}.`;
      const names = await itemNamesById(ctx.prisma, offers.slice(0, INGAME_OFFERS).map((o) => o.order.currencyId));
      const lines = offers.slice(0, INGAME_OFFERS).map(({ machine, order, price }) => {
        const currency = (names.get(order.currencyId) ?? `item ${order.currencyId}`) + (order.currencyIsBlueprint ? " BP" : "");
        const where = placeText(placeOf(machine.x, machine.y, ctx.server.mapSize, ctx.server.monuments)) || "?";
        return `${unitPriceText(price, currency)} at ${where}${machine.npc ? " (NPC)" : ""}, ${itemsInStock(order)} left${order.itemIsBlueprint ? ", BP" : ""}`;
      });
      return [`${item.name}: ${offers.length} offer${offers.length === 1 ? "" : "s"}${asOf}`, ...lines];
    },
  };
}
