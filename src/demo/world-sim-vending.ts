// Shops changing on the simulated map: a shopkeeper restocks or sells out, changes a price, or a new shop opens.
// Vending machines are map markers (type 3 with sell orders, research/rustplus.md); Rust+ sends no broadcast for
// them, the bot sees the change at its next getMapMarkers.
import { MarkerType, type Marker, type World } from "../../test/fakes/rustplus/index.ts";
import { GameActionError } from "./demo-world-types.ts";
import { BASE, MONUMENTS, NEW_SHOPS, vendingMachine } from "./world-sim-cast.ts";

export type VendingChange = "restock" | "sell-out" | "new-shop" | "price";

/** At most this many player shops on the map (plenty for a demo). */
const MAX_PLAYER_SHOPS = 6;
/** A machine holds this many purchases of an order at most, as a shopkeeper fills it. */
const MAX_STOCK = 20;

/** Players' machines (the Outpost's NPC machines have no name and never change). */
const playerShops = (world: World): Marker[] => world.markers.filter((m) => m.type === MarkerType.VendingMachine && m.name);
const label = (m: Marker): string => `"${m.name ?? ""}"`;
const refresh = (m: Marker): void => {
  m.outOfStock = !(m.sellOrders ?? []).some((o) => o.amountInStock > 0);
};

/**
 * Makes the change on the world's markers; returns what happened, for the page. `newId` gives a new shop its
 * marker id. @throws GameActionError when the change has nothing to act on (no shop to restock, map full…).
 */
export function changeVending(world: World, change: VendingChange, random: () => number, newId: () => number): string {
  const shops = playerShops(world);
  const pick = <T>(list: T[]): T | undefined => list[Math.floor(random() * list.length)];
  switch (change) {
    case "restock": {
      // A sold-out order first: that is the change a shop tracker is waiting for.
      const shop = shops.find((m) => (m.sellOrders ?? []).some((o) => o.amountInStock === 0))
        ?? shops.find((m) => (m.sellOrders ?? []).some((o) => o.amountInStock < MAX_STOCK));
      if (!shop) throw new GameActionError(shops.length ? "Every shop is fully stocked." : "There is no player shop on the map yet: open one first (new shop).");
      for (const order of shop.sellOrders ?? []) order.amountInStock = Math.min(MAX_STOCK, order.amountInStock + 5 + Math.floor(random() * 6));
      refresh(shop);
      return `${label(shop)} was restocked.`;
    }
    case "sell-out": {
      const shop = pick(shops.filter((m) => !m.outOfStock));
      if (!shop) throw new GameActionError(shops.length ? "Every shop is already sold out." : "There is no player shop on the map yet: open one first (new shop).");
      for (const order of shop.sellOrders ?? []) order.amountInStock = 0;
      refresh(shop);
      return `${label(shop)} sold out.`;
    }
    case "price": {
      const shop = pick(shops.filter((m) => (m.sellOrders ?? []).length > 0));
      const order = shop?.sellOrders?.[0];
      if (!shop || !order) throw new GameActionError("There is no player shop on the map yet: open one first (new shop).");
      // A sale: a fifth to a half off, never below 1.
      const before = order.costPerItem;
      order.costPerItem = Math.max(1, Math.round(before * (0.5 + random() * 0.3)));
      if (order.costPerItem === before) order.costPerItem = before + 1;
      return `${label(shop)} changed a price: ${before} → ${order.costPerItem}.`;
    }
    case "new-shop": {
      if (shops.length >= MAX_PLAYER_SHOPS) throw new GameActionError(`The map has ${shops.length} shops already; that is plenty.`);
      const taken = new Set(shops.map((m) => m.name));
      const next = NEW_SHOPS.find((s) => !taken.has(s.name)) ?? { ...NEW_SHOPS[0]!, name: `${NEW_SHOPS[0]!.name} ${shops.length + 1}` };
      // Near a monument or the base, where players build their shops.
      const spot = pick([...MONUMENTS.filter((m) => !/oil_rig/.test(m.token)), BASE]) ?? BASE;
      const at = { x: spot.x + 90 + random() * 60, y: spot.y - 90 - random() * 60 };
      const shop = vendingMachine(newId(), at, next.name, next.orders.map((o) => ({ ...o })));
      world.markers.push(shop);
      return `A new shop opened: ${label(shop)}.`;
    }
  }
}
