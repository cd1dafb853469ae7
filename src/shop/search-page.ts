// One page of /shop search: the offers for an item on a server, cheapest first per currency, with where each
// machine stands, and buttons to the other pages. Rebuilt from the database on every press (the ids carry server,
// item, mode and page), so buttons keep working after a restart and show the listing as it is then.
import { ButtonStyle, ComponentType, type APIActionRowComponent, type APIComponentInMessageActionRow } from "discord.js";
import { z } from "zod";
import type { Item, PairedServer, PrismaClient } from "../generated/prisma/client.ts";
import { customId, Prefix } from "../bot/custom-ids.ts";
import { listContent } from "../bot/list-reply.ts";
import { plain } from "../bot/plain-text.ts";
import { serverLabel } from "../pairing/server-card.ts";
import { placeOf, placeText, type MonumentAt } from "../events/monuments.ts";
import { monument } from "../events/schemas.ts";
import type { Listing as MarketListing } from "./market-service.ts";
import { shopNameText } from "./shop-name.ts";
import { itemsInStock, offersFor, stackPriceText, unitPriceText, type Offer, type SearchMode } from "./offers.ts";

/** Offers per page: ten lines of about 150 characters stay well inside a message. */
export const OFFERS_PER_PAGE = 10;

/** The map a listing's positions are read on: its size (metres) and monuments. */
export interface MapPlaces {
  mapSize: number;
  monuments: readonly MonumentAt[];
}

/** The stored map's size and monuments (MapImage, read from the server once per wipe), or an empty map. */
export async function storedPlaces(prisma: PrismaClient, serverId: string, liveMapSize?: number): Promise<MapPlaces> {
  const row = await prisma.mapImage.findUnique({ where: { pairedServerId: serverId }, select: { mapSize: true, monuments: true } });
  const monuments = z.array(monument).safeParse(row?.monuments);
  return { mapSize: liveMapSize || row?.mapSize || 0, monuments: monuments.success ? monuments.data : [] };
}

/** Catalog items by id (currencies and items sold: names, stack sizes); ids the catalog lacks are absent. */
export async function itemsById(prisma: PrismaClient, ids: Iterable<number>): Promise<Map<number, Item>> {
  const items = await prisma.item.findMany({ where: { id: { in: [...new Set(ids)] } } });
  return new Map(items.map((i) => [i.id, i]));
}

const nameOf = (items: Map<number, Item>, id: number) => items.get(id)?.name ?? `item ${id}`;

/**
 * Why nothing can be listed, or null when the listing can be read: the server never had a listing stored (not live
 * yet), or it sends no vending machines (ShopMarket.reported false, or marker watch found "vending" unreported).
 */
export function notReported(server: Pick<PairedServer, "unreportedMarkers">, listing: MarketListing | null, name: string): string | null {
  const own = "Your own shops still work through storage monitors on them: `/shop mine`.";
  if (!listing) {
    if (server.unreportedMarkers.includes("vending")) return noVending(name, own);
    return `The bot has no vending machine listing for **${name}** yet: it is read from the map markers while the server is live (\`/server\`). ${own}`;
  }
  if (!listing.reported || server.unreportedMarkers.includes("vending")) return noVending(name, own);
  return null;
}

const noVending = (name: string, own: string) =>
  `**${name}** does not report vending machines through Rust+ (official servers stopped sending them in the August 2026 update), so shops there cannot be searched. ${own}`;

/**
 * A listing older than this (ms) reads as "as of" even while a session polls (the market service confirms a live
 * listing every 5 minutes, REFRESH_OBSERVED_EVERY_MS).
 */
export const STALE_LISTING_MS = 10 * 60_000;

/** Whether the listing is frozen (no session polls the server now) or not confirmed lately. `now` in ms. */
export const isFrozen = (listing: MarketListing, now: number) => !listing.live || now - listing.observedAt.getTime() > STALE_LISTING_MS;

/** " (as of <time>, …)" when the listing is frozen or old. */
export const asOf = (listing: MarketListing, now = Date.now()) =>
  isFrozen(listing, now) ? ` (as of <t:${Math.floor(listing.observedAt.getTime() / 1000)}:f>${listing.live ? "" : ", the server is not connected now"})` : "";

/** One offer as a line. */
export function offerLine(offer: Offer, mode: SearchMode, items: Map<number, Item>, places: MapPlaces, item: Item): string {
  const { order, machine } = offer;
  const currency = nameOf(items, order.currencyId) + (order.currencyIsBlueprint ? " blueprint" : "");
  const sold = mode === "sell" ? item : items.get(order.itemId);
  const where = placeText(placeOf(machine.x, machine.y, places.mapSize, places.monuments)) || "position unknown";
  const stock = itemsInStock(order);
  const parts = [`**${unitPriceText(offer.price, currency)}**`];
  if (sold && sold.stackSize > 1) parts.push(stackPriceText(offer.price, sold.stackSize));
  const what = mode === "sell" ? "" : `${nameOf(items, order.itemId)}: `;
  parts.push(`${stock.toLocaleString("en-US")} in stock`);
  if (order.itemIsBlueprint) parts.push("blueprint");
  parts.push(where);
  const name = plain(shopNameText(machine.name));
  const shop = machine.npc ? "NPC shop" : name ? `“${name}”` : "unnamed shop";
  return `${what}${parts.join(" · ")} · ${shop}`;
}

export interface SearchPage {
  content: string;
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
}

/**
 * The page `page` (0-based, clamped) of the search for `item` on `server`. In "buy" mode the price is how much of the
 * item one unit of what the machine sells costs.
 */
export async function searchPage(
  prisma: PrismaClient,
  input: { server: PairedServer; item: Item; mode: SearchMode; page: number; listing: MarketListing | null; places: MapPlaces },
): Promise<SearchPage> {
  const { server, item, mode, listing } = input;
  const name = plain(serverLabel(server));
  const refusal = notReported(server, listing, name);
  if (refusal || !listing) return { content: refusal ?? "", components: [] };
  const offers = offersFor(listing.machines, item.id, mode);
  const what = mode === "sell" ? `**${item.name}** for sale` : `Offers taking **${item.name}** as payment`;
  if (!offers.length) {
    const none = mode === "sell" ? `No vending machine on **${name}** sells ${item.name} in stock right now` : `No vending machine on **${name}** takes ${item.name} as payment right now`;
    return { content: `${none}${asOf(listing)}. ${listing.machines.length} machine${listing.machines.length === 1 ? "" : "s"} listed.`, components: [] };
  }
  const pages = Math.ceil(offers.length / OFFERS_PER_PAGE);
  const page = Math.min(Math.max(0, input.page), pages - 1);
  const shown = offers.slice(page * OFFERS_PER_PAGE, (page + 1) * OFFERS_PER_PAGE);
  const items = await itemsById(prisma, offers.flatMap((o) => [o.order.currencyId, o.order.itemId]));
  const lines = shown.map((o, i) => `${page * OFFERS_PER_PAGE + i + 1}. ${offerLine(o, mode, items, input.places, item)}`);
  const head = `${what} on **${name}**${asOf(listing)}: ${offers.length} offer${offers.length === 1 ? "" : "s"}, cheapest first per currency${pages > 1 ? ` (page ${page + 1}/${pages})` : ""}`;
  const content = listContent({ head, lines });
  if (pages <= 1) return { content, components: [] };
  // First and Last carry a marker after the page ("f", "l"; the handler reads the first four parts) so their ids never
  // equal Previous's or Next's: Discord refuses a message whose buttons repeat a custom id.
  const id = (p: number, end?: "f" | "l") => customId(Prefix.shopSearch, server.id, item.id, mode === "sell" ? "s" : "b", p, ...(end ? [end] : []));
  const button = (label: string, custom_id: string, disabled: boolean) => ({ type: ComponentType.Button as const, style: ButtonStyle.Secondary as const, label, custom_id, disabled });
  // Beyond two pages (a busy server lists hundreds of offers for scrap or wood) the ends are one press away.
  const ends = pages > 2;
  return {
    content,
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          ...(ends ? [button("First", id(0, "f"), page === 0)] : []),
          button("Previous", id(page - 1), page === 0),
          button("Next", id(page + 1), page >= pages - 1),
          ...(ends ? [button(`Last (${pages})`, id(pages - 1, "l"), page >= pages - 1)] : []),
        ],
      },
    ],
  };
}
