// One server's vending machines as last believed, and what changed from one marker poll to the next. Pure: no clock,
// no I/O; src/shop/market-service.ts owns one per server and tells it when a session ends.
import type { MarketChange, OrderKey, SellOrder, VendingMachine } from "./types.ts";

/** What one answer did to the market. */
export interface MarketStep {
  /** Empty when seeding or frozen. Order: per machine in answer order, then machines gone. */
  changes: MarketChange[];
  /** The first believed answer since the market was made or its session ended: the listing is set silently. */
  seeding: boolean;
  /** The answer was not believed (see Market.update): the listing is the one before it. */
  frozen: boolean;
  /** The listing differs from before in any way (also a name, position or outOfStock flag): worth writing down. */
  changed: boolean;
}

interface Entry {
  machine: VendingMachine;
  orders: Map<OrderKey, SellOrder>;
  /** The number of the last answer that listed the machine (its first occurrence there counts). */
  answer: number;
}

/**
 * An order's key in its machine: item and currency with their blueprint flags, then the occurrence among the
 * machine's orders with the same four ("-932201673b:…" reads item id, "b" = blueprint). See OrderKey in types.ts.
 */
export function orderKeys(orders: readonly SellOrder[]): Map<OrderKey, SellOrder> {
  const keyed = new Map<OrderKey, SellOrder>();
  for (const o of orders) {
    const base = `${o.itemId}${o.itemIsBlueprint ? "b" : ""}:${o.currencyId}${o.currencyIsBlueprint ? "b" : ""}`;
    let n = 0;
    while (keyed.has(`${base}#${n}`)) n++;
    keyed.set(`${base}#${n}`, o);
  }
  return keyed;
}

export class Market {
  readonly #entries = new Map<number, Entry>();
  /** Believed answers so far (Entry.answer). */
  #answers = 0;
  #machines: ReadonlyMap<number, VendingMachine> = new Map();
  #seeding = true;

  /**
   * The machines as listed, by marker id, in answer order. A new Map whenever an answer changes the listing, never
   * changed after: a listener may keep it.
   */
  get machines(): ReadonlyMap<number, VendingMachine> {
    return this.#machines;
  }

  /** Whether the next believed answer seeds (no answer believed since made or since the session ended). */
  get seeding(): boolean {
    return this.#seeding;
  }

  /** The session ended (socket down, stopped): the listing stays as it is; the next believed answer seeds. */
  end(): void {
    this.#seeding = true;
  }

  /**
   * One getMapMarkers answer's vending machines. `npcVending`: the map has Outpost or Bandit Camp, whose NPC shops
   * always stand — so an answer with no vending machine at all there is not believed (the server stopped reporting
   * them, as official servers did in August 2026, or a glitch): frozen, the listing kept, no changes. On a map
   * without them, an empty answer is believed (every machine gone).
   */
  update(machines: readonly VendingMachine[], npcVending: boolean): MarketStep {
    if (npcVending && machines.length === 0) return { changes: [], seeding: false, frozen: true, changed: false };
    const seeding = this.#seeding;
    this.#seeding = false;
    // The entries are updated in place and a new listing is built only when something changed: most polls change a
    // few machines of hundreds, and every object kept from poll to poll would otherwise be new each time (young
    // garbage collections copy what survives, so their pauses grow with it).
    const answer = ++this.#answers;
    const entries = this.#entries;
    const changes: MarketChange[] = [];
    let changed = false;
    for (const machine of machines) {
      const old = entries.get(machine.markerId);
      if (!old) {
        const orders = orderKeys(machine.orders);
        entries.set(machine.markerId, { machine, orders, answer });
        changed = true;
        if (seeding) continue;
        changes.push({ kind: "machine-appeared", machine });
        for (const [key, order] of orders) changes.push({ kind: "order-added", machine, key, order });
        continue;
      }
      if (old.answer === answer) continue; // a repeated marker id: the first one counts
      old.answer = answer;
      // The parse gives last poll's object for an unchanged marker (vending-schema.ts): nothing to compare.
      if (old.machine === machine) continue;
      // Unchanged orders (the common case) keep the last poll's keys: no strings built.
      const orders = sameOrders(old.machine.orders, machine.orders) ? old.orders : orderKeys(machine.orders);
      if (orders === old.orders && sameMachine(old.machine, machine)) continue; // equal values: the entry stays
      const before = old.orders;
      old.machine = machine;
      old.orders = orders;
      changed = true;
      if (seeding || orders === before) continue;
      for (const [key, order] of orders) {
        const was = before.get(key);
        if (!was) changes.push({ kind: "order-added", machine, key, order });
        else diffOrder(changes, machine, key, order, was);
      }
      for (const [key, order] of before) if (!orders.has(key)) changes.push({ kind: "order-removed", machine, key, order });
    }
    for (const [id, old] of entries) {
      if (old.answer === answer) continue;
      entries.delete(id);
      changed = true;
      if (seeding) continue;
      const machine = old.machine;
      changes.push({ kind: "machine-gone", machine });
      for (const [key, order] of old.orders) changes.push({ kind: "order-removed", machine, key, order });
    }
    if (changed) {
      // A new Map (listeners may hold the last one), in answer order as listed.
      const listed = new Map<number, VendingMachine>();
      for (const { markerId } of machines) if (!listed.has(markerId)) listed.set(markerId, entries.get(markerId)!.machine);
      this.#machines = listed;
    }
    return { changes, seeding, frozen: false, changed };
  }
}

function diffOrder(changes: MarketChange[], machine: VendingMachine, key: OrderKey, order: SellOrder, before: SellOrder): void {
  if (order.costPerItem !== before.costPerItem || order.quantity !== before.quantity) changes.push({ kind: "price-changed", machine, key, order, before });
  if (order.amountInStock === before.amountInStock) return;
  const kind = order.amountInStock === 0 ? "out-of-stock" : before.amountInStock === 0 ? "back-in-stock" : "stock-changed";
  changes.push({ kind, machine, key, order, before });
}

function sameOrders(a: readonly SellOrder[], b: readonly SellOrder[]): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!;
    const y = b[i]!;
    if (
      x.itemId !== y.itemId || x.quantity !== y.quantity || x.currencyId !== y.currencyId || x.costPerItem !== y.costPerItem ||
      x.amountInStock !== y.amountInStock || x.itemIsBlueprint !== y.itemIsBlueprint || x.currencyIsBlueprint !== y.currencyIsBlueprint
    ) return false;
  }
  return true;
}

const sameMachine = (a: VendingMachine, b: VendingMachine): boolean =>
  a.x === b.x && a.y === b.y && a.name === b.name && a.outOfStock === b.outOfStock && a.npc === b.npc;
