// Tracked-item transitions as #shop posts: one per user and poll, split into "(1/2)" parts past
// SHOP_ALERT_MAX_LINES or the embed's size (splitShopAlertLines), each line with the item, price per item, stock, grid
// and monument.
// Pure, like match.ts, so the bench can time it and tests can read it.
import { createHash } from "node:crypto";
import { placeOf, placeText, type MonumentAt } from "../../events/monuments.ts";
import { exactAmount, itemsInStock, milliText } from "../offers.ts";
import { splitShopAlertLines } from "../own/alert-parts.ts";
import { shopNameText } from "../shop-name.ts";
import type { SellOrder } from "../types.ts";
import type { Transition } from "./match.ts";

export interface ShopAlertMessage {
  userId: string;
  /** Derived from the server, the poll's time and the lines: the same poll run twice gives the same key. */
  dedupeKey: string;
  title: string;
  lines: string[];
  /** The tracked items the message tells about (their lastNotifiedAt is set). */
  trackedIds: string[];
}

export interface AlertContext {
  serverId: string;
  /** The poll's time (ms). */
  now: number;
  mapSize: number;
  monuments: readonly MonumentAt[];
  /** Item id → its name; an id the catalog does not know reads as "item <id>". */
  itemName: (itemId: number) => string;
}

/**
 * costPerItem / quantity: exact when it has at most three decimals ("0.5"), else rounded to three and marked "≈0.333"
 * (display only: comparisons use compareUnitPrice); "<0.001" when smaller.
 */
export function unitPriceText(order: Pick<SellOrder, "costPerItem" | "quantity">): string {
  if (order.quantity <= 0) return "?";
  const exact = exactAmount(order.costPerItem, order.quantity);
  if (exact !== null) return exact;
  const milli = Math.round((order.costPerItem * 1000) / order.quantity);
  return milli === 0 && order.costPerItem > 0 ? "<0.001" : `≈${milliText(milli)}`;
}

/** "25 Scrap each" or "100 for 2 Scrap (0.02 each)". */
export function offerPriceText(order: SellOrder, currency: string): string {
  const bp = order.currencyIsBlueprint ? " blueprint" : "";
  if (order.quantity === 1) return `${order.costPerItem.toLocaleString("en-US")} ${currency}${bp} each`;
  return `${order.quantity.toLocaleString("en-US")} for ${order.costPerItem.toLocaleString("en-US")} ${currency}${bp} (${unitPriceText(order)} each)`;
}

const ICON = { appeared: "🆕", dropped: "📉", "back-in-stock": "🔄", gone: "❌" } as const;
const GONE = { "machine-gone": "gone: the machine was removed", removed: "gone: no longer offered", "sold-out": "gone: sold out", "price-rose": "gone: now over your limit" } as const;

/** One message per user (or several parts), lines ordered appeared, dropped, back in stock, then gone. */
export function alertMessages(transitions: readonly Transition[], ctx: AlertContext): ShopAlertMessage[] {
  const byUser = new Map<string, Transition[]>();
  for (const t of transitions) {
    let list = byUser.get(t.tracked.userId);
    if (!list) byUser.set(t.tracked.userId, (list = []));
    list.push(t);
  }
  const order = { appeared: 0, dropped: 1, "back-in-stock": 2, gone: 3 } as const;
  const out: ShopAlertMessage[] = [];
  for (const [userId, list] of byUser) {
    list.sort((a, b) => order[a.kind] - order[b.kind] || ctx.itemName(a.tracked.itemId).localeCompare(ctx.itemName(b.tracked.itemId)) || a.offer.key.localeCompare(b.offer.key));
    const lines = list.map((t) => line(t, ctx));
    const offered = list.filter((t) => t.kind !== "gone").length;
    const gone = list.length - offered;
    const title = `Tracked items: ${[offered && `${offered} offered`, gone && `${gone} gone`].filter(Boolean).join(", ")}`;
    const parts = splitShopAlertLines(lines);
    const digest = createHash("sha256").update(`${ctx.serverId}\n${ctx.now}\n${lines.join("\n")}`).digest("hex").slice(0, 32);
    const trackedIds = [...new Set(list.map((t) => t.tracked.id))];
    parts.forEach((part, i) =>
      out.push({
        userId,
        dedupeKey: parts.length === 1 ? `shop-alert:${userId}:${digest}` : `shop-alert:${userId}:${digest}:${i + 1}`,
        title: parts.length === 1 ? title : `${title} (${i + 1}/${parts.length})`,
        lines: part,
        trackedIds,
      }),
    );
  }
  return out;
}

/** "🆕 Rocket: 25 Scrap each · 3 in stock · G12 near Outpost · Bob's shop". */
function line(t: Transition, ctx: AlertContext): string {
  const { order, machine } = t.offer;
  const price = offerPriceText(order, ctx.itemName(order.currencyId));
  const limit = t.tracked.maxUnitPriceMilli === null ? "" : ` (limit ${milliText(t.tracked.maxUnitPriceMilli)})`;
  const lead = t.kind === "dropped" ? "now " : t.kind === "back-in-stock" ? "back in stock, " : "";
  const what = t.kind === "gone" ? `${GONE[t.reason ?? "removed"]} (${t.reason === "price-rose" ? `now ${price}${limit}` : `was ${price}`})` : `${lead}${price}${t.kind === "dropped" ? limit : ""} · ${itemsInStock(order).toLocaleString("en-US")} in stock`;
  const where = placeText(placeOf(machine.x, machine.y, ctx.mapSize, ctx.monuments));
  const shop = machine.npc ? "NPC shop" : shopNameText(machine.name);
  return [`${ICON[t.kind]} ${ctx.itemName(order.itemId)}: ${what}`, where, shop].filter(Boolean).join(" · ");
}
