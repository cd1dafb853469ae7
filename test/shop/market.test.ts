// The market from vending markers, pure: what each answer changes, the silent seeding, and the freeze.
import { describe, expect, it } from "vitest";
import { Market, orderKeys } from "../../src/shop/market.ts";
import type { MarketChange, SellOrder, VendingMachine } from "../../src/shop/types.ts";

const SCRAP = -932201673;
const ROCKET = -742865266;
const AK = 1545779598;

const order = (o: Partial<SellOrder> = {}): SellOrder => ({
  itemId: ROCKET, quantity: 1, currencyId: SCRAP, costPerItem: 500, amountInStock: 4, itemIsBlueprint: false, currencyIsBlueprint: false, ...o,
});
const machine = (markerId: number, orders: SellOrder[], m: Partial<VendingMachine> = {}): VendingMachine => ({
  markerId, x: 100, y: 200, name: "Shop", outOfStock: false, npc: false, orders, ...m,
});
const kinds = (changes: readonly MarketChange[]) => changes.map((c) => ("key" in c ? `${c.kind} ${c.machine.markerId} ${c.key}` : `${c.kind} ${c.machine.markerId}`));

function seeded(machines: VendingMachine[]): Market {
  const market = new Market();
  const step = market.update(machines, true);
  expect(step).toMatchObject({ seeding: true, frozen: false, changes: [] });
  return market;
}

describe("Market", () => {
  it("seeds silently from the first answer, then reports each change once", () => {
    const market = seeded([machine(1, [order()])]);
    expect(market.machines.get(1)?.orders).toHaveLength(1);
    // Same answer: nothing.
    expect(market.update([machine(1, [order()])], true)).toMatchObject({ changes: [], seeding: false, changed: false });

    const key = `${ROCKET}:${SCRAP}#0`;
    expect(kinds(market.update([machine(1, [order({ amountInStock: 3 })])], true).changes)).toEqual([`stock-changed 1 ${key}`]);
    expect(kinds(market.update([machine(1, [order({ amountInStock: 0 })])], true).changes)).toEqual([`out-of-stock 1 ${key}`]);
    expect(kinds(market.update([machine(1, [order({ amountInStock: 0 })])], true).changes)).toEqual([]);
    expect(kinds(market.update([machine(1, [order({ amountInStock: 2 })])], true).changes)).toEqual([`back-in-stock 1 ${key}`]);
    expect(kinds(market.update([machine(1, [order({ amountInStock: 2, costPerItem: 400 })])], true).changes)).toEqual([`price-changed 1 ${key}`]);
    // Quantity alone changes the unit price too.
    const both = market.update([machine(1, [order({ amountInStock: 1, costPerItem: 400, quantity: 2 })])], true).changes;
    expect(kinds(both)).toEqual([`price-changed 1 ${key}`, `stock-changed 1 ${key}`]);
    expect(both[0]).toMatchObject({ before: { quantity: 1, costPerItem: 400 }, order: { quantity: 2 } });

    const ak = order({ itemId: AK, costPerItem: 900 });
    const added = market.update([machine(1, [order({ amountInStock: 1, costPerItem: 400, quantity: 2 }), ak])], true).changes;
    expect(kinds(added)).toEqual([`order-added 1 ${AK}:${SCRAP}#0`]);
    expect(kinds(market.update([machine(1, [ak])], true).changes)).toEqual([`order-removed 1 ${key}`]);

    expect(kinds(market.update([machine(1, [ak]), machine(2, [order()])], true).changes)).toEqual(["machine-appeared 2", `order-added 2 ${key}`]);
    expect(kinds(market.update([machine(2, [order()])], true).changes)).toEqual(["machine-gone 1", `order-removed 1 ${AK}:${SCRAP}#0`]);
  });

  it("keys a machine's second offer of the same item and currency by occurrence, and blueprints apart", () => {
    const keys = [...orderKeys([order(), order({ costPerItem: 1 }), order({ itemIsBlueprint: true }), order({ currencyIsBlueprint: true })]).keys()];
    expect(keys).toEqual([`${ROCKET}:${SCRAP}#0`, `${ROCKET}:${SCRAP}#1`, `${ROCKET}b:${SCRAP}#0`, `${ROCKET}:${SCRAP}b#0`]);
    const market = seeded([machine(1, [order(), order({ costPerItem: 100 })])]);
    // The cheaper duplicate sells out: only that one.
    const changes = market.update([machine(1, [order(), order({ costPerItem: 100, amountInStock: 0 })])], true).changes;
    expect(kinds(changes)).toEqual([`out-of-stock 1 ${ROCKET}:${SCRAP}#1`]);
  });

  it("keeps the listing through a session's end and seeds again silently on the next answer", () => {
    const market = seeded([machine(1, [order()]), machine(2, [order()])]);
    market.end();
    expect(market.machines.size).toBe(2);
    // Reconnected: one machine went and one order changed meanwhile — seeding, no changes.
    const step = market.update([machine(1, [order({ amountInStock: 0 })])], true);
    expect(step).toMatchObject({ seeding: true, frozen: false, changes: [], changed: true });
    expect([...market.machines.keys()]).toEqual([1]);
    expect(kinds(market.update([machine(1, [order({ amountInStock: 2 })])], true).changes)).toEqual([`back-in-stock 1 ${ROCKET}:${SCRAP}#0`]);
  });

  it("does not believe an empty answer on a map with NPC shops: frozen, nothing gone", () => {
    const market = seeded([machine(1, [order()])]);
    const step = market.update([], true);
    expect(step).toMatchObject({ frozen: true, seeding: false, changes: [] });
    expect(market.machines.size).toBe(1);
    // Reported again: diffed against the kept listing.
    expect(kinds(market.update([machine(1, [order({ amountInStock: 1 })])], true).changes)).toEqual([`stock-changed 1 ${ROCKET}:${SCRAP}#0`]);
    // A frozen first answer after a reconnect leaves the seeding to the next believed one.
    market.end();
    expect(market.update([], true)).toMatchObject({ frozen: true, seeding: false });
    expect(market.update([machine(1, [order()])], true)).toMatchObject({ seeding: true, changes: [] });
  });

  it("believes an empty answer on a map without NPC shops: every machine gone", () => {
    const market = new Market();
    market.update([machine(1, [order()])], false);
    const step = market.update([], false);
    expect(step.frozen).toBe(false);
    expect(kinds(step.changes)).toEqual(["machine-gone 1", `order-removed 1 ${ROCKET}:${SCRAP}#0`]);
    expect(market.machines.size).toBe(0);
  });

  it("gives each answer's listing as a new map, so a listener may keep the one it got", () => {
    const market = seeded([machine(1, [order()])]);
    const first = market.machines;
    market.update([machine(2, [order()])], true);
    expect([...first.keys()]).toEqual([1]);
    expect([...market.machines.keys()]).toEqual([2]);
  });

  it("follows the parse's kept objects, a repeated marker id and a machine that comes back, listing in answer order", () => {
    const one = machine(1, [order()]);
    const two = machine(2, [order({ itemId: AK })]);
    const market = seeded([one, two]);
    const listing = market.machines;
    // The parse's objects for unchanged markers: nothing changed, the same listing.
    expect(market.update([one, two], true)).toMatchObject({ changes: [], changed: false });
    expect(market.machines).toBe(listing);
    // A repeated id counts once (the first); machine 1 goes.
    expect(kinds(market.update([two, machine(2, [])], true).changes)).toEqual(["machine-gone 1", `order-removed 1 ${ROCKET}:${SCRAP}#0`]);
    // It comes back, listed where the answer has it, and a price change on machine 2.
    const back = market.update([one, machine(2, [order({ itemId: AK, costPerItem: 9 })])], true);
    expect(kinds(back.changes)).toEqual(["machine-appeared 1", `order-added 1 ${ROCKET}:${SCRAP}#0`, `price-changed 2 ${AK}:${SCRAP}#0`]);
    expect([...market.machines.keys()]).toEqual([1, 2]);
    expect(market.machines.get(2)?.orders[0]?.costPerItem).toBe(9);
  });
});
