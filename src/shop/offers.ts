// The offers of a server's vending machines for one item, as /shop search and !shop show them: sold for a
// currency ("sell") or wanted as the currency ("buy"), cheapest first within each currency, and the words for
// exact unit prices ("0.5 scrap each", "1 scrap per 3"). Game facts: src/shop/types.ts (AppMarker.SellOrder).
import { plain } from "../bot/plain-text.ts";
import { UserError } from "../errors.ts";
import type { SellOrder, VendingMachine } from "./types.ts";
import { compareUnitPrice, type Price } from "./unit-price.ts";

/** Scrap's item id (gamedata/items.json): the usual currency, shown first. */
export const SCRAP_ITEM_ID = -932201673;

/**
 * Refuses an item asked for in itself as the currency (/shop track, /shop price): almost surely the item typed twice,
 * and an offer of an item for itself is nothing anyone buys. Throws UserError; returns nothing otherwise.
 */
export function refuseOwnCurrency(item: { id: number; name: string }, currency: { id: number } | null): void {
  if (currency?.id === item.id) throw new UserError(`**${plain(item.name)}** paid for in ${plain(item.name)} is not an offer to track: pick another \`currency\`, or leave it empty for any.`);
}

export type SearchMode = "sell" | "buy";

export interface Offer {
  machine: VendingMachine;
  order: SellOrder;
  /** Unit price: costPerItem currency for `quantity` items. */
  price: Price;
}

/**
 * The in-stock offers for `itemId`: "sell", offers selling it (any currency); "buy", offers taking it as currency.
 * Sorted by currency ("sell": scrap first, then by currency id; "buy": by the item sold) and within it by unit price,
 * cheapest first, ties by more stock first. Different currencies are not compared: there is no exchange rate.
 */
export function offersFor(machines: readonly VendingMachine[], itemId: number, mode: SearchMode): Offer[] {
  const offers: Offer[] = [];
  for (const machine of machines) {
    for (const order of machine.orders) {
      if (order.amountInStock <= 0 || order.quantity <= 0) continue;
      if (mode === "sell" ? order.itemId !== itemId : order.currencyId !== itemId) continue;
      offers.push({ machine, order, price: { cost: order.costPerItem, quantity: order.quantity } });
    }
  }
  const groupOf = (o: Offer) => (mode === "sell" ? o.order.currencyId : o.order.itemId);
  const rank = (id: number) => (mode === "sell" && id === SCRAP_ITEM_ID ? -Infinity : id);
  return offers.sort(
    (a, b) => rank(groupOf(a)) - rank(groupOf(b)) || compareUnitPrice(a.price, b.price) || b.order.amountInStock - a.order.amountInStock || a.machine.markerId - b.machine.markerId,
  );
}

/** The items an order has left: amountInStock counts purchases of `quantity` items each (src/shop/vending-schema.ts). */
export const itemsInStock = (order: Pick<SellOrder, "amountInStock" | "quantity">): number => order.amountInStock * order.quantity;

const gcd = (a: number, b: number): number => (b === 0 ? a : gcd(b, a % b));
const grouped = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 3 });

/**
 * An exact amount `cost / quantity` in words: "25", "0.5", "1,000" when it has at most three decimals, else null.
 * Computed from integers (the decimals are exact, never a float's rounding).
 */
export function exactAmount(cost: number, quantity: number): string | null {
  if (cost % quantity === 0) return grouped(cost / quantity);
  if ((cost * 1000) % quantity !== 0 || !Number.isSafeInteger(cost * 1000)) return null;
  return milliText((cost * 1000) / quantity);
}

/** A non-negative whole number of thousandths as a decimal: 25000 → "25", 500 → "0.5", 1250 → "1.25". */
export function milliText(milli: number): string {
  const whole = Math.floor(milli / 1000);
  const frac = String(milli % 1000).padStart(3, "0").replace(/0+$/, "");
  return frac ? `${grouped(whole)}.${frac}` : grouped(whole);
}

/** "25 scrap each", "0.5 scrap each" or, when no short decimal is exact, "1 scrap per 3" (reduced). */
export function unitPriceText(price: Price, currency: string): string {
  const exact = exactAmount(price.cost, price.quantity);
  if (exact !== null) return `${exact} ${currency} each`;
  const d = gcd(price.cost, price.quantity);
  return `${grouped(price.cost / d)} ${currency} per ${grouped(price.quantity / d)}`;
}

/** A stack's price (unit price × stackSize): "2,500 a stack", or "≈333.3 a stack" when not a short exact decimal. */
export function stackPriceText(price: Price, stackSize: number): string {
  const cost = price.cost * stackSize;
  const exact = Number.isSafeInteger(cost) ? exactAmount(cost, price.quantity) : null;
  return exact !== null ? `${exact} a stack` : `≈${grouped(Math.round((cost / price.quantity) * 10) / 10)} a stack`;
}
