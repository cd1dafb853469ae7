// Contracts between the parts of shop tracking (issue 16): the market kept from vending markers
// (market.ts), the alerts for tracked items (track/), the team's own shops (own/), /shop search and prices.
// Game facts: research/rustplus.md (AppMarker type 3 with sellOrders) and rustplus.proto (AppMarker.SellOrder).

/**
 * One offer of a vending machine, as Rust+ sends it (AppMarker.SellOrder). `quantity` items are sold for
 * `costPerItem` of the currency per purchase (the name is the game's: it is the cost of one purchase of `quantity`
 * items); `amountInStock` is how many such purchases are left. Unit price = costPerItem / quantity, an exact fraction.
 * Item ids are Rust's numeric item ids (gamedata/items.json).
 */
export interface SellOrder {
  itemId: number;
  quantity: number;
  currencyId: number;
  costPerItem: number;
  amountInStock: number;
  itemIsBlueprint: boolean;
  currencyIsBlueprint: boolean;
}

/** A vending machine marker (AppMarker type 3). */
export interface VendingMachine {
  /** The marker id: stable while the machine stands (it is the machine's network id). */
  markerId: number;
  /** World metres, x east, y north. */
  x: number;
  y: number;
  /** The shop's name as its owner typed it (player text: escape before showing); "" when unnamed. */
  name: string;
  outOfStock: boolean;
  /** An NPC shop: Outpost or Bandit Camp (by position near those monuments), not a player's. */
  npc: boolean;
  orders: SellOrder[];
}

/**
 * What identifies one offer within its machine across polls: item and currency (with their blueprint flags), and the
 * occurrence among offers with the same four (a machine may sell the same item twice). Price and stock are not part
 * of it, so their changes read as changes of the same offer.
 */
export type OrderKey = string;

export type MarketChange =
  | { kind: "machine-appeared"; machine: VendingMachine }
  | { kind: "machine-gone"; machine: VendingMachine }
  | { kind: "order-added"; machine: VendingMachine; key: OrderKey; order: SellOrder }
  | { kind: "order-removed"; machine: VendingMachine; key: OrderKey; order: SellOrder }
  | { kind: "price-changed"; machine: VendingMachine; key: OrderKey; order: SellOrder; before: SellOrder }
  | { kind: "stock-changed"; machine: VendingMachine; key: OrderKey; order: SellOrder; before: SellOrder }
  | { kind: "out-of-stock"; machine: VendingMachine; key: OrderKey; order: SellOrder; before: SellOrder }
  | { kind: "back-in-stock"; machine: VendingMachine; key: OrderKey; order: SellOrder; before: SellOrder };

/** One poll's result for one server, given to every MarketListener. */
export interface MarketUpdate {
  serverId: string;
  /** The server's owner (PairedServer.userId). */
  userId: string;
  serverName: string;
  /** ms since the epoch. */
  now: number;
  mapSize: number;
  /** The server's wipe (info.wipeTime), ms since the epoch. */
  wipeAt: number;
  /** The machines as listed after this poll, by marker id (the frozen listing when `frozen`). */
  machines: ReadonlyMap<number, VendingMachine>;
  /** What changed since the last poll that counted; empty when seeding or frozen. */
  changes: readonly MarketChange[];
  /** The first answer after a (re)connect or a restart: it only sets what is there; listeners post nothing. */
  seeding: boolean;
  /**
   * The answer was not believed (no vending machines at all on a map whose NPC shops always have some: the server
   * does not report them, or a glitch): the last listing is kept and nothing changed.
   */
  frozen: boolean;
}

export type MarketListener = (update: MarketUpdate) => Promise<void> | void;

/** What ServerEvents gives the shop market at every getMapMarkers answer, and when a connection's session ends. */
export interface MarketFeed {
  /**
   * One answer. `markers`: the raw `mapMarkers.markers` list as decoded (unvalidated); `npcVending`: the map has
   * Outpost or Bandit Camp; `monuments` as read from getMap. `now` in ms.
   */
  observe(input: {
    serverId: string;
    userId: string;
    serverName: string;
    mapSize: number;
    wipeAt: number;
    monuments: readonly { token: string; x: number; y: number }[];
    npcVending: boolean;
    markers: unknown;
    now: number;
  }): void;
  /** The connection's session ended (socket down, stopped): the listing freezes; the next answer seeds again. */
  ended(serverId: string): void;
  /**
   * The server is stopped, removed or refused this process's connection: after ended(), everything kept in memory for
   * it goes (its stored listing stays, for other processes and /shop search); a later answer starts afresh.
   */
  forget?(serverId: string): void;
}
