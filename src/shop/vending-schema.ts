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
const absentZero = <T extends z.ZodType>(schema: T) => z.preprocess((v) => v ?? 0, schema);
const absentFalse = z.preprocess((v) => v ?? false, z.boolean());

/** Most sell orders one machine may list (the game allows 7 per machine; far above for modded servers); more are left out. */
export const MAX_ORDERS_PER_MACHINE = 64;
/** Most vending machines one answer may list; more are logged and left out (a 6k map holds a few hundred). */
export const MAX_MACHINES = 10_000;

export const sellOrderSchema = z.object({
  // int32 per rustplus.proto (AppMarker.SellOrder); 0 is not an item, so an absent id drops the order below.
  itemId: absentZero(int32.refine((v) => v !== 0, "no item")),
  // Items per purchase: the game's sell order dialog allows up to a stack (1..1_000_000 covers every item).
  quantity: absentZero(z.number().int().min(1).max(1_000_000)),
  currencyId: absentZero(int32.refine((v) => v !== 0, "no currency")),
  // Cost of one purchase of `quantity` items; 0 is a gift, still an offer.
  costPerItem: absentZero(z.number().int().min(0).max(INT32_MAX)),
  // Purchases left (see README facts): 0 = out of stock.
  amountInStock: absentZero(z.number().int().min(0).max(INT32_MAX)),
  itemIsBlueprint: absentFalse,
  currencyIsBlueprint: absentFalse,
});

const vendingMarkerSchema = z.object({
  id: z.number().int().min(0).max(0xffff_ffff),
  type: z.literal(MarkerKind.VendingMachine),
  x: absentZero(coordinate),
  y: absentZero(coordinate),
  name: z.preprocess((v) => v ?? "", z.string().max(1000)),
  outOfStock: absentFalse,
  sellOrders: z.preprocess((v) => v ?? [], z.array(z.unknown())),
});

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
 * duplicate marker id keeps the first. `monuments`: the map's, for `npc` (none: every machine is a player's).
 */
export function parseVendingMachines(markers: unknown, monuments: readonly MonumentPoint[], logger: Logger): VendingMachine[] {
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
  for (const entry of markers as unknown[]) {
    if (!isVendingType(entry)) continue;
    const marker = vendingMarkerSchema.safeParse(entry);
    if (!marker.success || seen.has(marker.data.id) || machines.length >= MAX_MACHINES) {
      badMarkers++;
      firstIssue ??= marker.success ? "duplicate marker id or too many machines" : describe(marker.error);
      continue;
    }
    const m = marker.data;
    seen.add(m.id);
    const orders: SellOrder[] = [];
    for (const raw of m.sellOrders) {
      const order = orders.length < MAX_ORDERS_PER_MACHINE ? sellOrderSchema.safeParse(raw) : null;
      if (order?.success) orders.push(order.data);
      else {
        badOrders++;
        firstIssue ??= order ? describe(order.error) : "too many sell orders";
      }
    }
    const npc = npcAt.some((n) => (n.x - m.x) ** 2 + (n.y - m.y) ** 2 <= n.radius ** 2);
    machines.push({ markerId: m.id, x: m.x, y: m.y, name: m.name, outOfStock: m.outOfStock, npc, orders });
  }
  if (badMarkers || badOrders) logger.warn({ badMarkers, badOrders, issue: firstIssue }, "left out vending machines or sell orders the server sent that are not valid");
  return machines;
}

/** A marker whose type reads as 3 (a protobufjs message reads absent fields from its prototype). */
function isVendingType(entry: unknown): boolean {
  return typeof entry === "object" && entry !== null && (entry as { type?: unknown }).type === MarkerKind.VendingMachine;
}

function describe(error: z.ZodError): string {
  const issue = error.issues[0];
  return issue ? `${issue.path.join(".")}: ${issue.message}` : "invalid";
}
