// Vending machines from a getMapMarkers answer (AppMarker type 3), checked entry by entry like the other markers
// (src/events/schemas.ts): a bad sell order is logged and left out, a bad marker too; nothing here throws.
//
// Lenient like real servers: since the game's March 2025 update they leave every field at its default off the wire
// (0, false, "", an empty list — rustplus.js #76, rustplusplus #409 `missing required 'currencyIsBlueprint'`), and
// the bot's shared proto reads `required` as optional (src/rustplus/shared-proto.ts). So an absent number reads as 0,
// an absent boolean as false, an absent name as "", absent sellOrders as none.
import { z } from "zod";
import type { Logger } from "../logger.ts";
import { coordinate } from "../rustplus/responses.ts";
import { MarkerKind } from "../events/schemas.ts";
import type { SellOrder, VendingMachine } from "./types.ts";

const INT32_MAX = 2 ** 31 - 1;
const int32 = z.number().int().min(-(2 ** 31)).max(INT32_MAX);
const absentZero = <T extends z.ZodType>(schema: T) => z.preprocess((v) => v ?? 0, schema);
const absentFalse = z.preprocess((v) => v ?? false, z.boolean());

/** Most sell orders one machine may list: the game's vending machine has 7 slots (VendingMachine.maxSellOrders); far above for safety. */
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
 * shops. The monuments' NPC vending machines stand inside the compound (Outpost's walls are about 150 m across,
 * Bandit Camp's about 120 m; its shops within ~60 m of the centre — measured on public map renders, see the report
 * of issue 16), and players cannot build in a monument's building-blocked zone around them, so 100 m takes every NPC
 * shop and no player's.
 */
export const NPC_VENDING_RADIUS_M = 100;
const NPC_MONUMENT = /outpost|bandit/i;

/** The monuments whose vending machines are NPC shops (same test as hasNpcVending in src/events/marker-watch.ts). */
export const npcMonuments = (monuments: readonly MonumentPoint[]): MonumentPoint[] => monuments.filter((m) => NPC_MONUMENT.test(m.token));

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
    const npc = npcAt.some((n) => (n.x - m.x) ** 2 + (n.y - m.y) ** 2 <= NPC_VENDING_RADIUS_M ** 2);
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
