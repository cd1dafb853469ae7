// Prices over a wipe: per server, item and currency, the lowest in-stock unit price listed in each UTC hour
// (ShopPriceHour), kept as the exact fraction cost/quantity of the cheapest offer. Fed by every market update that
// was believed (a frozen listing is the old one again and records nothing; a seeding answer is a real listing and
// counts). Rows of earlier wipes are deleted when a server's new wipe is first seen.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { MarketListener, MarketUpdate, VendingMachine } from "./types.ts";
import { compareUnitPrice, type Price } from "./unit-price.ts";

export const HOUR_MS = 3_600_000;

/** The start of the UTC hour holding `ms` (ms since the epoch). */
export const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;

const keyOf = (itemId: number, currencyId: number) => `${itemId}:${currencyId}`;

/**
 * The lowest unit price per (item, currency) among in-stock offers. Blueprint offers (a blueprint sold, or paid in
 * blueprints) are not the item's price and are left out.
 */
export function lowestPrices(machines: Iterable<VendingMachine>): Map<string, { itemId: number; currencyId: number; price: Price }> {
  const lowest = new Map<string, { itemId: number; currencyId: number; price: Price }>();
  for (const machine of machines) {
    for (const order of machine.orders) {
      if (order.amountInStock <= 0 || order.quantity <= 0 || order.itemIsBlueprint || order.currencyIsBlueprint) continue;
      const key = keyOf(order.itemId, order.currencyId);
      const price = { cost: order.costPerItem, quantity: order.quantity };
      const seen = lowest.get(key);
      if (!seen || compareUnitPrice(price, seen.price) < 0) lowest.set(key, { itemId: order.itemId, currencyId: order.currencyId, price });
    }
  }
  return lowest;
}

interface ServerHour {
  wipeAt: number;
  hour: number;
  /** What is stored for this hour, by item:currency. */
  stored: Map<string, Price>;
}

/**
 * Records lowest prices per hour. Updates of one server arrive one after another (the market service's order), so the
 * per-server cache of the current hour's rows stays true; it is read from the database when a process first sees the
 * server or a new hour starts, so a restart never overwrites a lower price with a higher one.
 */
export class PriceHistory {
  readonly #servers = new Map<string, ServerHour>();

  constructor(private readonly deps: { prisma: PrismaClient; logger: Logger }) {}

  /** The listener for ShopMarkets.onUpdate. */
  readonly listener: MarketListener = (update) => this.record(update);

  /** One poll's listing: upserts, in one transaction, the (item, currency) pairs that are new this hour or cheaper. */
  async record(update: MarketUpdate): Promise<void> {
    if (update.frozen || !(update.wipeAt > 0)) return;
    const { prisma } = this.deps;
    const hour = hourOf(update.now);
    let cached = this.#servers.get(update.serverId);
    if (!cached || cached.wipeAt !== update.wipeAt) {
      // A wipe seen for the first time by this process: the old wipe's hours go.
      const { count } = await prisma.shopPriceHour.deleteMany({ where: { pairedServerId: update.serverId, wipeAt: { lt: new Date(update.wipeAt) } } });
      if (count) this.deps.logger.info({ serverId: update.serverId, count }, "pruned the price history of an earlier wipe");
    }
    if (!cached || cached.wipeAt !== update.wipeAt || cached.hour !== hour) {
      const rows = await prisma.shopPriceHour.findMany({ where: { pairedServerId: update.serverId, hour: new Date(hour) } });
      cached = { wipeAt: update.wipeAt, hour, stored: new Map(rows.map((r) => [keyOf(r.itemId, r.currencyId), { cost: r.cost, quantity: r.quantity }])) };
      this.#servers.set(update.serverId, cached);
    }
    const writes = [];
    const written = new Map<string, Price>();
    for (const [key, { itemId, currencyId, price }] of lowestPrices(update.machines.values())) {
      const stored = cached.stored.get(key);
      if (stored && compareUnitPrice(price, stored) >= 0) continue;
      // Stored as given: costs and quantities are Int32 in the game (C# int), so they fit the Int columns.
      if (price.cost > 2_147_483_647 || price.quantity > 2_147_483_647) continue;
      const data = { wipeAt: new Date(update.wipeAt), cost: price.cost, quantity: price.quantity };
      writes.push(
        prisma.shopPriceHour.upsert({
          where: { pairedServerId_itemId_currencyId_hour: { pairedServerId: update.serverId, itemId, currencyId, hour: new Date(hour) } },
          create: { pairedServerId: update.serverId, itemId, currencyId, hour: new Date(hour), ...data },
          update: data,
        }),
      );
      written.set(key, price);
    }
    if (!writes.length) return;
    await prisma.$transaction(writes);
    // Only once stored: a failed batch is tried again at the next poll.
    for (const [key, price] of written) cached.stored.set(key, price);
  }

  /** Forget a server's cache (removed, or its rows deleted elsewhere). */
  forget(serverId: string): void {
    this.#servers.delete(serverId);
  }
}
