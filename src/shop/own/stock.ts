// An own shop's stock: a vending machine's items added up per (item, blueprint), and what one change of its contents
// means. Pure, so the card, /shop mine, the alerts and the tests agree.
//
// Why a decrease is a sale only when something else went up: a vending machine keeps the stock it sells AND the
// currency buyers pay in one inventory (the owner collects the payment from it), and a storage monitor reports that
// whole inventory. A purchase therefore takes stock out and puts currency in within one change. A decrease with
// nothing going up is the owner taking stock (or collected currency) out: not a sale. Only increases is a restock or
// a payment without a matching decrease (not possible in game). What this cannot tell apart: an owner who takes one
// item out and puts another in within one inventory change reads as a sale (rare: the game reports each slot move as
// its own change).
import type { StorageContents } from "../../devices/entity-payload.ts";

export interface StockLine {
  itemId: number;
  itemIsBlueprint: boolean;
  quantity: number;
}

/** What tells one stock line from another: the item and whether it is its blueprint. */
export const stockKey = (itemId: number, blueprint: boolean): string => `${itemId}:${blueprint ? "bp" : "item"}`;

/** The items of `contents` added up per (itemId, blueprint), largest first. */
export function stockOf(contents: Pick<StorageContents, "items"> | null): StockLine[] {
  const totals = new Map<string, StockLine>();
  for (const item of contents?.items ?? []) {
    const key = stockKey(item.itemId, item.itemIsBlueprint);
    const line = totals.get(key) ?? { itemId: item.itemId, itemIsBlueprint: item.itemIsBlueprint, quantity: 0 };
    line.quantity += item.quantity;
    totals.set(key, line);
  }
  return [...totals.values()].sort((a, b) => b.quantity - a.quantity || a.itemId - b.itemId);
}

export type StockChange =
  /** Items went down while another went up (the payment): `sold` per item, `soldOut` those now at 0. */
  | { kind: "sale"; sold: StockLine[]; soldOut: StockLine[] }
  /** Only decreases: the owner took stock or collected currency out. */
  | { kind: "taken-out"; taken: StockLine[] }
  /** Only increases: restocked (or currency put in). */
  | { kind: "restocked" }
  | { kind: "none" };

/** What a change of a shop's contents from `before` to `after` was (see the file header for the rule). */
export function classifyChange(before: Pick<StorageContents, "items">, after: Pick<StorageContents, "items">): StockChange {
  const was = new Map(stockOf(before).map((l) => [stockKey(l.itemId, l.itemIsBlueprint), l]));
  const now = new Map(stockOf(after).map((l) => [stockKey(l.itemId, l.itemIsBlueprint), l]));
  const down: StockLine[] = [];
  const soldOut: StockLine[] = [];
  let up = false;
  for (const [key, line] of was) {
    const left = now.get(key)?.quantity ?? 0;
    if (left < line.quantity) {
      down.push({ ...line, quantity: line.quantity - left });
      if (left === 0) soldOut.push({ ...line, quantity: 0 });
    }
  }
  for (const [key, line] of now) if (line.quantity > (was.get(key)?.quantity ?? 0)) up = true;
  if (down.length && up) return { kind: "sale", sold: down, soldOut };
  if (down.length) return { kind: "taken-out", taken: down };
  return up ? { kind: "restocked" } : { kind: "none" };
}

/** "Rocket" or "Rocket (blueprint)"; "item <Rust item id>" when the catalog lacks it. Plain text (escape to show). */
export function itemLabel(line: Pick<StockLine, "itemId" | "itemIsBlueprint">, names: ReadonlyMap<number, string>): string {
  return `${names.get(line.itemId) ?? `item ${line.itemId}`}${line.itemIsBlueprint ? " (blueprint)" : ""}`;
}
