// Vending machines from a getMapMarkers answer (AppMarker type 3), checked entry by entry like the other markers
// (src/events/schemas.ts): a bad sell order is logged and left out, a bad marker too; nothing here throws.
//
// Lenient like real servers: since the game's March 2025 update they leave every field at its default off the wire
// (0, false, "", an empty list — rustplus.js #76, rustplusplus #409 `missing required 'currencyIsBlueprint'`), and
// the bot's shared proto reads `required` as optional (src/rustplus/shared-proto.ts). So an absent number reads as 0,
// an absent boolean as false, an absent name as "", absent sellOrders as none.
//
// What the game fills in (decompiled server, iraizo/rustpseudo: VendingMachineMapMarker.GetAppMarkerData,
// VendingMachine.UpdateMapMarker / RefreshSellOrderStockLevel, NPCVendingMachine; facts only):
// - Every broadcasting vending machine has a map marker, the NPC ones at monuments included (NPCVendingMachine is a
//   VendingMachine); the marker's id is the marker entity's network id, stable while the machine stands.
// - name = the shop name its owner typed (at most 32 characters, RPC_UpdateShopName), "" when none.
// - sellOrders: itemId, quantity (itemToSellAmount, items per purchase), currencyId, costPerItem
//   (currencyAmountPerItem, the price of one purchase), amountInStock = the items of that kind in the machine divided
//   by quantity, i.e. PURCHASES left, not items; blueprint flags; item condition.
// - outOfStock = no order has a purchase left (the marker's Busy flag is set to VendingMachine.OutOfStock(), which
//   despite its name is true when some order has stock, and GetAppMarkerData negates it). Kept as sent; stock is
//   read per order from amountInStock.
// - A player's machine takes at most 7 sell orders (RPC_AddSellOrder), each costing 1..10000 of the currency
//   (Mathf.Clamp in AddSellOrder) for 1..a stack of items; modded servers may differ, so the bounds below are wider.
// - NPC shops restock themselves (NPCVendingMachine.Refill, up to 10 purchases per order).
import { z } from "zod";
import type { Logger } from "../logger.ts";
import { coordinate } from "../rustplus/responses.ts";
import { isNpcVendingMonument } from "../events/marker-watch.ts";
import { MONUMENTS } from "../events/monuments.ts";
import { MarkerKind } from "../events/schemas.ts";
import type { SellOrder, VendingMachine } from "./types.ts";

const INT32_MAX = 2 ** 31 - 1;
const int32 = z.number().int().min(-(2 ** 31)).max(INT32_MAX);

/**
 * Most sell orders kept per machine: the first ones. A player's machine takes at most 7 (RPC_AddSellOrder); NPC
 * machines have their own lists (NPCVendingMachine, about a dozen at most); far above for modded servers.
 */
export const MAX_ORDERS_PER_MACHINE = 50;
/** Most vending machines kept per answer: the first ones (a 6k map holds a few hundred). */
export const MAX_MACHINES = 5_000;
/**
 * Most sell orders kept per answer, all machines together (a big map lists ~3,000): machines past it are left out
 * whole rather than shown with orders missing. With the caps above it bounds the stored listing (ShopMarket.machines)
 * to a few MB however hostile the server.
 */
export const MAX_ORDERS_PER_ANSWER = 50_000;
/**
 * Longest shop name kept; a longer one is cut, not the machine dropped. The game caps names at 32 characters
 * (VendingMachine.RPC_UpdateShopName, decompiled server iraizo/rustpseudo); this leaves room for modded servers.
 */
export const MAX_SHOP_NAME = 100;

/** `name` cut to MAX_SHOP_NAME UTF-16 units, never inside a surrogate pair. */
function shopName(name: string): string {
  if (name.length <= MAX_SHOP_NAME) return name;
  const cut = name.slice(0, MAX_SHOP_NAME);
  const last = cut.charCodeAt(cut.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? cut.slice(0, -1) : cut;
}

/** A sell order as kept (SellOrder), bounds checked. Defaults are filled in before (sellOrderDefaults). */
export const sellOrderSchema = z.object({
  // int32 per rustplus.proto (AppMarker.SellOrder); 0 is no item, so an absent id drops the order.
  itemId: int32.refine((v) => v !== 0, "no item"),
  // Items per purchase: up to a stack (1..1_000_000 covers every item, modded stacks included).
  quantity: z.number().int().min(1).max(1_000_000),
  currencyId: int32.refine((v) => v !== 0, "no currency"),
  // Cost of one purchase of `quantity` items; 0 (a gift on a modded server) is still an offer.
  costPerItem: z.number().int().min(0).max(INT32_MAX),
  // Purchases left: 0 = out of stock.
  amountInStock: z.number().int().min(0).max(INT32_MAX),
  itemIsBlueprint: z.boolean(),
  currencyIsBlueprint: z.boolean(),
});

/**
 * A sell order's fields with an absent one (undefined or null) read as its default. Fields are read one by one, not
 * spread: a protobufjs message keeps defaults on its prototype. (Filling in first and checking with a plain schema is
 * ~5× faster than zod's preprocess/default over the 3,000 orders of a big map.)
 */
function sellOrderDefaults(raw: unknown): unknown {
  if (typeof raw !== "object" || raw === null) return raw;
  const o = raw as Record<string, unknown>;
  return {
    itemId: o["itemId"] ?? 0, quantity: o["quantity"] ?? 0, currencyId: o["currencyId"] ?? 0, costPerItem: o["costPerItem"] ?? 0,
    amountInStock: o["amountInStock"] ?? 0, itemIsBlueprint: o["itemIsBlueprint"] ?? false, currencyIsBlueprint: o["currencyIsBlueprint"] ?? false,
  };
}

const vendingMarkerSchema = z.object({
  id: z.number().int().min(0).max(0xffff_ffff),
  x: coordinate,
  y: coordinate,
  name: z.string().transform(shopName),
  outOfStock: z.boolean(),
  sellOrders: z.array(z.unknown()),
});

function markerDefaults(o: Record<string, unknown>): unknown {
  return { id: o["id"] ?? 0, x: o["x"] ?? 0, y: o["y"] ?? 0, name: o["name"] ?? "", outOfStock: o["outOfStock"] ?? false, sellOrders: o["sellOrders"] ?? [] };
}

/** A monument as read from getMap (src/events/schemas.ts Monument). */
export interface MonumentPoint {
  token: string;
  x: number;
  y: number;
}

/**
 * How far from an Outpost or Bandit Camp monument's position (metres) a vending machine counts as one of its NPC
 * shops: the monument's own radius (src/events/monuments.ts: Outpost 81 m, Bandit Camp 82 m, rustplusplus's figures).
 * The NPC shops stand inside the monument, and players cannot build inside a monument (it is building-blocked), so no
 * player's machine stands that close. A token without a known radius (a spelling variant) takes the larger one.
 */
export function npcVendingRadius(token: string): number {
  return Object.hasOwn(MONUMENTS, token) ? MONUMENTS[token]!.radius : NPC_VENDING_RADIUS_M;
}
export const NPC_VENDING_RADIUS_M = Math.max(MONUMENTS.outpost?.radius ?? 0, MONUMENTS.bandit_camp?.radius ?? 0);

/** The monuments whose vending machines are NPC shops (isNpcVendingMonument), with their radius. */
export const npcMonuments = (monuments: readonly MonumentPoint[]): (MonumentPoint & { radius: number })[] =>
  monuments.filter((m) => isNpcVendingMonument(m.token)).map((m) => ({ ...m, radius: npcVendingRadius(m.token) }));

/**
 * The vending machines of a getMapMarkers `markers` list (as decoded; unvalidated). Other marker types are skipped
 * silently; an invalid vending marker or sell order is logged once per answer (with a count) and left out; a
 * duplicate marker id keeps the first. A long shop name is cut (MAX_SHOP_NAME); past MAX_ORDERS_PER_MACHINE,
 * MAX_MACHINES or MAX_ORDERS_PER_ANSWER the rest is left out, logged once per answer. `monuments`: the map's, for `npc` (none: every machine is a player's).
 * `previous`: the machines of the last answer by marker id: a marker carrying exactly the values of its machine there
 * gives that same (already checked) object, unchecked again — most machines, at most polls; one whose sell orders
 * alone carry the same values keeps that orders array. Returned objects may thus be shared with `previous`: never
 * mutate them.
 */
export function parseVendingMachines(markers: unknown, monuments: readonly MonumentPoint[], logger: Logger, previous?: ReadonlyMap<number, VendingMachine>): VendingMachine[] {
  if (markers === undefined || markers === null) return [];
  if (!Array.isArray(markers)) {
    logger.warn("the server sent map markers that are not a list; no vending machines read");
    return [];
  }
  const npcAt = npcMonuments(monuments);
  const machines: VendingMachine[] = [];
  const seen = new Set<number>();
  let badMarkers = 0;
  let badOrders = 0;
  let firstIssue: string | undefined;
  // Left out for the caps (valid or not: past a cap nothing more is checked).
  let cappedMachines = 0;
  let cappedOrders = 0;
  let orderCount = 0;
  for (const entry of markers as unknown[]) {
    if (!isVendingType(entry)) continue;
    if (machines.length >= MAX_MACHINES || orderCount >= MAX_ORDERS_PER_ANSWER) {
      cappedMachines++;
      continue;
    }
    // Most machines, at most polls, are exactly as last time: the last answer's object is kept as it is, with no
    // check and no copy (its values were checked then), so the poll leaves no new objects behind.
    const raw = entry as Record<string, unknown>;
    const kept = previous?.get((raw["id"] ?? 0) as number);
    if (kept && !seen.has(kept.markerId) && sameMarker(raw, kept, npcAt)) {
      seen.add(kept.markerId);
      if (orderCount + kept.orders.length > MAX_ORDERS_PER_ANSWER) {
        cappedMachines++;
        orderCount = MAX_ORDERS_PER_ANSWER;
        continue;
      }
      orderCount += kept.orders.length;
      const rawOrders = raw["sellOrders"];
      if (Array.isArray(rawOrders)) cappedOrders += Math.max(0, rawOrders.length - MAX_ORDERS_PER_MACHINE);
      machines.push(kept);
      continue;
    }
    const marker = vendingMarkerSchema.safeParse(markerDefaults(raw));
    if (!marker.success || seen.has(marker.data.id)) {
      badMarkers++;
      firstIssue ??= marker.success ? "duplicate marker id" : describe(marker.error);
      continue;
    }
    const m = marker.data;
    seen.add(m.id);
    const before = previous?.get(m.id);
    const same = before && sameAsBefore(m.sellOrders, before.orders) ? before.orders : null;
    const orders: SellOrder[] = same ?? [];
    const count = Math.min(m.sellOrders.length, MAX_ORDERS_PER_MACHINE);
    cappedOrders += m.sellOrders.length - count;
    if (!same) {
      for (let i = 0; i < count; i++) {
        const rawOrder = m.sellOrders[i];
        // One order of a machine changed (the common change): the others keep last poll's checked objects.
        const keptOrder = before?.orders[i];
        if (keptOrder && sameOrder(rawOrder, keptOrder)) {
          orders.push(keptOrder);
          continue;
        }
        const order = sellOrderSchema.safeParse(sellOrderDefaults(rawOrder));
        if (order.success) orders.push(order.data);
        else {
          badOrders++;
          firstIssue ??= describe(order.error);
        }
      }
    }
    if (orderCount + orders.length > MAX_ORDERS_PER_ANSWER) {
      cappedMachines++;
      orderCount = MAX_ORDERS_PER_ANSWER;
      continue;
    }
    orderCount += orders.length;
    machines.push({ markerId: m.id, x: m.x, y: m.y, name: m.name, outOfStock: m.outOfStock, npc: isNpcShop(npcAt, m.x, m.y), orders });
  }
  if (badMarkers || badOrders) logger.warn({ badMarkers, badOrders, issue: firstIssue }, "left out vending machines or sell orders the server sent that are not valid");
  if (cappedMachines || cappedOrders) {
    logger.warn({ machinesLeftOut: cappedMachines, ordersLeftOut: cappedOrders, maxMachines: MAX_MACHINES, maxOrdersPerMachine: MAX_ORDERS_PER_MACHINE, maxOrders: MAX_ORDERS_PER_ANSWER }, "the server listed more vending machines or sell orders than are kept; the first ones are kept");
  }
  return machines;
}

/** Whether a machine at (x, y) stands in an Outpost or Bandit Camp (npcMonuments). */
function isNpcShop(npcAt: readonly (MonumentPoint & { radius: number })[], x: number, y: number): boolean {
  for (const n of npcAt) if ((n.x - x) ** 2 + (n.y - y) ** 2 <= n.radius ** 2) return true;
  return false;
}

/** The raw marker carries exactly the values of `kept` (absent fields read as defaults), near the same NPC monuments. */
function sameMarker(raw: Record<string, unknown>, kept: VendingMachine, npcAt: readonly (MonumentPoint & { radius: number })[]): boolean {
  const orders = raw["sellOrders"] ?? [];
  return (
    (raw["x"] ?? 0) === kept.x && (raw["y"] ?? 0) === kept.y && sameName(raw["name"] ?? "", kept.name) && (raw["outOfStock"] ?? false) === kept.outOfStock &&
    Array.isArray(orders) && sameAsBefore(orders, kept.orders) && isNpcShop(npcAt, kept.x, kept.y) === kept.npc
  );
}

/** The raw name reads as `kept` once cut (a long one too: it keeps the fast path). */
function sameName(raw: unknown, kept: string): boolean {
  return raw === kept || (typeof raw === "string" && raw.length > MAX_SHOP_NAME && shopName(raw) === kept);
}

/**
 * The raw orders carry exactly the values of `kept` (each already checked), absent fields read as defaults; past
 * MAX_ORDERS_PER_MACHINE the raw ones are not kept, so not compared.
 */
function sameAsBefore(raw: readonly unknown[], kept: readonly SellOrder[]): boolean {
  const count = Math.min(raw.length, MAX_ORDERS_PER_MACHINE);
  if (count !== kept.length) return false;
  for (let i = 0; i < count; i++) if (!sameOrder(raw[i], kept[i]!)) return false;
  return true;
}

/** The raw order carries exactly the values of `kept` (already checked), absent fields read as defaults. */
function sameOrder(raw: unknown, kept: SellOrder): boolean {
  if (typeof raw !== "object" || raw === null) return false;
  const o = raw as Record<string, unknown>;
  return (
    (o["itemId"] ?? 0) === kept.itemId && (o["quantity"] ?? 0) === kept.quantity && (o["currencyId"] ?? 0) === kept.currencyId &&
    (o["costPerItem"] ?? 0) === kept.costPerItem && (o["amountInStock"] ?? 0) === kept.amountInStock &&
    (o["itemIsBlueprint"] ?? false) === kept.itemIsBlueprint && (o["currencyIsBlueprint"] ?? false) === kept.currencyIsBlueprint
  );
}

/** A marker whose type reads as 3 (a protobufjs message reads absent fields from its prototype). */
function isVendingType(entry: unknown): boolean {
  return typeof entry === "object" && entry !== null && (entry as { type?: unknown }).type === MarkerKind.VendingMachine;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid";
}
