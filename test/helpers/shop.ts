// Vending machines for the fake Rust+ world (test/fakes/rustplus): NPC shops at Outpost and Bandit Camp and players'
// shops, as the game lists them (AppMarker type 3 with sell orders; see src/shop/vending-schema.ts for what the game
// fills in). The fake's encoder leaves every default-valued field off the wire like real servers (protocol.ts), so a
// sold-out order arrives without amountInStock and a plain item without its blueprint flags.
import { MarkerType, type Marker, type Monument, type SellOrder } from "../fakes/rustplus/index.ts";

/** Item ids from gamedata/items.json. */
export const ITEM = {
  scrap: -932201673,
  rocket: -742865266,
  ak: 1545779598,
  metalFragments: 69511070,
  hqm: 317398316,
  sulfur: -1581843485,
  stones: -2099697608,
  wood: -151838493,
  lowGradeFuel: -946369541,
  gunpowder: -265876753,
} as const;

/** Where the fake's default map has its Outpost (world.ts), and a Bandit Camp to add to a map's monuments. */
export const OUTPOST: Monument = { token: "outpost", x: 1500, y: 1500 };
export const BANDIT_CAMP: Monument = { token: "bandit_camp", x: 800, y: 900 };

/** A sell order: `quantity` items for `costPerItem` of the currency per purchase, `amountInStock` purchases left (default: 1 for 100 scrap, 5 left). */
export function sellOrder(itemId: number, o: Partial<SellOrder> = {}): SellOrder {
  return { itemId, quantity: 1, currencyId: ITEM.scrap, costPerItem: 100, amountInStock: 5, itemIsBlueprint: false, currencyIsBlueprint: false, ...o };
}

/** A vending machine marker. `outOfStock` follows the orders as the game computes it (no order with a purchase left). */
export function vendingMachine(id: number, x: number, y: number, orders: SellOrder[], name = ""): Marker {
  return { id, type: MarkerType.VendingMachine, x, y, name, outOfStock: !orders.some((o) => o.amountInStock > 0), sellOrders: orders };
}

/**
 * A monument's NPC shops: one machine per list of orders, placed a few metres apart inside the monument (well within
 * its 81–82 m radius). Ids from `firstId` up.
 */
export function npcShops(monument: Monument, firstId: number, shops: SellOrder[][]): Marker[] {
  return shops.map((orders, i) => vendingMachine(firstId + i, monument.x - 30 + i * 12, monument.y + 20 - i * 6, orders));
}

/** The Outpost's usual offers (scrap for resources), enough for search and tracking tests. */
export const outpostShops = (firstId = 9000): Marker[] =>
  npcShops(OUTPOST, firstId, [
    [sellOrder(ITEM.hqm, { costPerItem: 25, quantity: 1, amountInStock: 10 }), sellOrder(ITEM.metalFragments, { quantity: 100, costPerItem: 15, amountInStock: 10 })],
    [sellOrder(ITEM.lowGradeFuel, { quantity: 20, costPerItem: 15, amountInStock: 10 })],
  ]);

/** Bandit Camp's shops. */
export const banditCampShops = (firstId = 9100): Marker[] =>
  npcShops(BANDIT_CAMP, firstId, [[sellOrder(ITEM.gunpowder, { quantity: 30, costPerItem: 30, amountInStock: 10 })]]);
