// The daily sales summary of the team's own shops: once the owner's local day (User.timeZone, UTC when unset) is
// over, one `shop-alert` per server listing each shop's items sold that day and the total; nothing when nothing sold.
// Run by the maintenance sweep (every process, every 10 minutes): the dedupeKey per user, server and local date
// makes it one post however many processes or restarts run it. Also prunes ShopSale rows older than 8 days.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { DEFAULT_TIME_ZONE, parseTimeZone } from "../../intel/player/time-zone.ts";
import type { Notifier } from "../../notify/notifier.ts";
import { serverLabel } from "../../pairing/server-card.ts";
import { itemNamesById } from "../../tools/items/item-names.ts";
import { alertParts } from "./alert-parts.ts";
import { itemLabel, type StockLine } from "./stock.ts";

const DAY_MS = 86_400_000;
/** Sales kept this long: the summary needs the last local day (up to ~50 h back across zones), /shop mine today. */
export const SHOP_SALE_RETENTION_MS = 8 * DAY_MS;

/** ms to add to a UTC instant to read the wall clock in `timeZone` at that instant. */
function offsetMs(timeZone: string, at: number): number {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, hourCycle: "h23", year: "numeric", month: "numeric", day: "numeric", hour: "numeric", minute: "numeric", second: "numeric" }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(get("year"), get("month") - 1, get("day"), get("hour"), get("minute"), get("second")) - Math.floor(at / 1000) * 1000;
}

/** The local date ("2026-12-01") in `timeZone` at `at` (ms), and the UTC ms its local midnight starts at. */
export function localDay(timeZone: string, at: number, daysBack = 0): { date: string; start: number; end: number } {
  const wall = new Date(at + offsetMs(timeZone, at) - daysBack * DAY_MS);
  const midnight = Date.UTC(wall.getUTCFullYear(), wall.getUTCMonth(), wall.getUTCDate());
  const toUtc = (localMidnight: number) => {
    const guess = localMidnight - offsetMs(timeZone, localMidnight);
    const at = localMidnight - offsetMs(timeZone, guess);
    // A zone whose clocks jump at midnight (Chile, Cuba: 00:00 → 01:00) has no local midnight that day: `at` then
    // reads as the evening before, and the day starts at the jump (midnight at the offset before it).
    return at + offsetMs(timeZone, at) < localMidnight ? localMidnight - offsetMs(timeZone, at) : at;
  };
  return { date: new Date(midnight).toISOString().slice(0, 10), start: toUtc(midnight), end: toUtc(midnight + DAY_MS) };
}

/** A stored User.timeZone as a zone to read days in: checked as /player info checks it (parseTimeZone), else UTC. */
export const zoneOf = (zone: string | null): string => {
  if (!zone) return DEFAULT_TIME_ZONE;
  try {
    return parseTimeZone(zone);
  } catch {
    return DEFAULT_TIME_ZONE;
  }
};

/** Per shop (device) the items sold within [from, to), added up per (item, blueprint), largest first. */
export async function salesByShop(prisma: PrismaClient, deviceIds: readonly string[], from: Date, to: Date): Promise<Map<string, StockLine[]>> {
  const rows = await prisma.shopSale.groupBy({
    by: ["deviceId", "itemId", "itemIsBlueprint"],
    where: { deviceId: { in: [...deviceIds] }, at: { gte: from, lt: to } },
    _sum: { quantity: true },
  });
  const out = new Map<string, StockLine[]>();
  for (const row of rows) {
    const lines = out.get(row.deviceId) ?? [];
    lines.push({ itemId: row.itemId, itemIsBlueprint: row.itemIsBlueprint, quantity: row._sum.quantity ?? 0 });
    out.set(row.deviceId, lines);
  }
  for (const lines of out.values()) lines.sort((a, b) => b.quantity - a.quantity || a.itemId - b.itemId);
  return out;
}

/** Deletes sales older than SHOP_SALE_RETENTION_MS before `now`; returns how many. */
export async function pruneShopSales(prisma: PrismaClient, now: Date): Promise<number> {
  const { count } = await prisma.shopSale.deleteMany({ where: { at: { lt: new Date(now.getTime() - SHOP_SALE_RETENTION_MS) } } });
  return count;
}

/**
 * Posts the summary of each owner's last finished local day that had sales and is not posted yet; prunes old sales.
 * `now`: the clock (tests pass a later one). Returns how many summaries were queued and sale rows pruned.
 */
export async function postDailySummaries(prisma: PrismaClient, notifier: Pick<Notifier, "notify">, now = new Date()): Promise<{ summaries: number; pruned: number }> {
  const pruned = await pruneShopSales(prisma, now);
  // Devices with sales in the window any zone's "yesterday" can reach (UTC−12 … UTC+14).
  const devices = await prisma.smartDevice.findMany({
    where: { shopSales: { some: { at: { gte: new Date(now.getTime() - 3 * DAY_MS) } } } },
    include: { pairedServer: { include: { user: { select: { id: true, timeZone: true } } } } },
    orderBy: { name: "asc" },
  });
  const byServer = new Map<string, typeof devices>();
  for (const device of devices) byServer.set(device.pairedServerId, [...(byServer.get(device.pairedServerId) ?? []), device]);
  let summaries = 0;
  for (const shops of byServer.values()) {
    const server = shops[0]!.pairedServer;
    const day = localDay(zoneOf(server.user.timeZone), now.getTime(), 1);
    const dedupeKey = `shop-summary:${server.userId}:${server.id}:${day.date}`;
    if (await prisma.notificationOutbox.findUnique({ where: { dedupeKey: `${dedupeKey}:0` }, select: { id: true } })) continue;
    const sold = await salesByShop(prisma, shops.map((s) => s.id), new Date(day.start), new Date(day.end));
    if (!sold.size) continue;
    const names = await itemNamesById(prisma, [...sold.values()].flat().map((l) => l.itemId));
    const lines: string[] = [];
    for (const shop of shops) {
      const items = sold.get(shop.id);
      if (!items) continue;
      const total = items.reduce((sum, l) => sum + l.quantity, 0);
      lines.push(`${shop.name}: ${total.toLocaleString("en-US")} item${total === 1 ? "" : "s"} sold`);
      for (const item of items) lines.push(`· ${item.quantity.toLocaleString("en-US")} × ${itemLabel(item, names)}`);
    }
    for (const [i, part] of alertParts(`Sales on ${day.date}`, lines).entries()) {
      const outcome = await notifier.notify({ userId: server.userId, dedupeKey: `${dedupeKey}:${i}`, event: { kind: "shop-alert", serverName: serverLabel(server), at: new Date(day.end).toISOString(), ...part } });
      if (outcome === "queued" && i === 0) summaries++;
    }
  }
  return { summaries, pruned };
}
