// Tracked-item transitions, pure: the market's own updates (market.ts) in, one transition per crossing out.
import { describe, expect, it } from "vitest";
import { Market } from "../../src/shop/market.ts";
import { alertMessages } from "../../src/shop/track/format.ts";
import { TrackMatcher, type TrackedView, type Transition } from "../../src/shop/track/match.ts";
import { parseMaxPrice } from "../../src/shop/track/max-price.ts";
import type { MarketUpdate, SellOrder, VendingMachine } from "../../src/shop/types.ts";
import { SHOP_ALERT_MAX_LINES } from "../../src/notify/events.ts";

const SCRAP = -932201673;
const METAL = 69511070;
const ROCKET = -742865266;
const AK = 1545779598;

const order = (o: Partial<SellOrder> = {}): SellOrder => ({
  itemId: ROCKET, quantity: 1, currencyId: SCRAP, costPerItem: 500, amountInStock: 4, itemIsBlueprint: false, currencyIsBlueprint: false, ...o,
});
const machine = (markerId: number, orders: SellOrder[]): VendingMachine => ({ markerId, x: 1500, y: 1500, name: "Shop", outOfStock: false, npc: false, orders });
const track = (t: Partial<TrackedView> = {}): TrackedView => ({ id: "t1", userId: "u1", itemId: ROCKET, currencyItemId: SCRAP, maxUnitPriceMilli: 400_000, ...t });

/** A market and matcher fed answer by answer, as the service does. */
function world(first: VendingMachine[]) {
  const market = new Market();
  const matcher = new TrackMatcher();
  let now = 1_000;
  const step = (machines: VendingMachine[], tracked: TrackedView[], npcVending = true): Transition[] => {
    const s = market.update(machines, npcVending);
    const update: MarketUpdate = { serverId: "s1", userId: "owner", serverName: "Rusty", now: (now += 12_000), mapSize: 3000, wipeAt: 0, machines: market.machines, changes: s.changes, seeding: s.seeding, frozen: s.frozen };
    return matcher.match(update, tracked);
  };
  return { market, step, seed: (tracked: TrackedView[]) => step(first, tracked) };
}
const kinds = (ts: Transition[]) => ts.map((t) => `${t.kind}${t.reason ? `:${t.reason}` : ""} ${t.offer.machine.markerId}`).sort();

describe("TrackMatcher", () => {
  it("tells each transition once: appears, gone, drops to the limit, price rises, sold out, back in stock", () => {
    const w = world([machine(1, [order({ costPerItem: 500 })])]);
    const t = [track()];
    expect(w.seed(t)).toEqual([]);
    // Over the limit: nothing; a new machine at the limit: appeared; the same again: nothing.
    expect(w.step([machine(1, [order({ costPerItem: 500 })]), machine(2, [order({ costPerItem: 400 })])], t).map((x) => x.kind)).toEqual(["appeared"]);
    expect(w.step([machine(1, [order({ costPerItem: 500 })]), machine(2, [order({ costPerItem: 400 })])], t)).toEqual([]);
    // Machine 1 drops to 0.4 per item (2 for 800 = exactly the limit).
    expect(kinds(w.step([machine(1, [order({ costPerItem: 800, quantity: 2 })]), machine(2, [order({ costPerItem: 400 })])], t))).toEqual(["dropped 1"]);
    // Stock changes within the rule: nothing.
    expect(w.step([machine(1, [order({ costPerItem: 800, quantity: 2, amountInStock: 1 })]), machine(2, [order({ costPerItem: 400 })])], t)).toEqual([]);
    // Sold out, then back; machine 2's price rises over the limit.
    expect(kinds(w.step([machine(1, [order({ costPerItem: 800, quantity: 2, amountInStock: 0 })]), machine(2, [order({ costPerItem: 401 })])], t))).toEqual(["gone:price-rose 2", "gone:sold-out 1"]);
    expect(kinds(w.step([machine(1, [order({ costPerItem: 800, quantity: 2, amountInStock: 3 })]), machine(2, [order({ costPerItem: 401 })])], t))).toEqual(["back-in-stock 1"]);
    // The order removed from a standing machine, then a whole machine gone.
    expect(kinds(w.step([machine(1, [order({ itemId: AK })]), machine(2, [order({ costPerItem: 300 })])], t))).toEqual(["dropped 2", "gone:removed 1"]);
    expect(kinds(w.step([machine(1, [order({ itemId: AK })])], t))).toEqual(["gone:machine-gone 2"]);
  });

  it("is silent on the first poll, while frozen, and at the seeding after a reconnect", () => {
    const w = world([machine(1, [order({ costPerItem: 100 })])]);
    const t = [track()];
    expect(w.seed(t)).toEqual([]);
    // No machines on a map with NPC shops: frozen, not "every shop gone".
    expect(w.step([], t)).toEqual([]);
    w.market.end();
    expect(w.step([machine(1, [order({ costPerItem: 100 })]), machine(2, [order({ costPerItem: 100 })])], t)).toEqual([]);
    expect(w.step([machine(1, [order({ costPerItem: 100 })])], t).map((x) => x.kind)).toEqual(["gone"]);
  });

  it("keeps a newly tracked item's existing offers silent, and tells its later ones", () => {
    const w = world([machine(1, [order({ costPerItem: 100 })])]);
    expect(w.seed([])).toEqual([]);
    expect(w.step([machine(1, [order({ costPerItem: 100 })]), machine(2, [order({ itemId: AK })])], [])).toEqual([]);
    const t = [track()];
    // Tracked now: machine 1's offer was there already; the poll changes only another item.
    expect(w.step([machine(1, [order({ costPerItem: 100 })]), machine(2, [order({ itemId: AK, amountInStock: 1 })])], t)).toEqual([]);
    expect(kinds(w.step([machine(1, [order({ costPerItem: 100 })]), machine(2, [order({ itemId: AK, amountInStock: 1 }), order({ costPerItem: 100 })])], t))).toEqual(["appeared 2"]);
  });

  it("matches only the item itself, in the tracked currency (any currency without one), at or under the limit exactly", () => {
    const w = world([machine(1, [])]);
    const scrapOnly = track({ id: "a", userId: "ua", maxUnitPriceMilli: 333 });
    const any = track({ id: "b", userId: "ub", currencyItemId: null, maxUnitPriceMilli: null });
    w.seed([scrapOnly, any]);
    const found = w.step([machine(1, [
      order({ itemIsBlueprint: true, costPerItem: 1 }),
      order({ currencyId: METAL, costPerItem: 1 }),
      order({ quantity: 3, costPerItem: 1 }), // 0.333… per item: over 0.333
      order({ quantity: 1000, costPerItem: 333 }), // exactly 0.333
    ])], [scrapOnly, any]);
    expect(found.map((t) => `${t.tracked.id} ${t.offer.order.currencyId === METAL ? "metal" : t.offer.order.quantity}`).sort()).toEqual(["a 1000", "b 1000", "b 3", "b metal"]);
  });

  it("coalesces one post per user and splits past the line limit with stable keys", () => {
    const w = world([machine(1, [])]);
    const a = track({ id: "a", userId: "u1" });
    const b = track({ id: "b", userId: "u1", itemId: AK });
    w.seed([a, b]);
    const many = Array.from({ length: SHOP_ALERT_MAX_LINES + 5 }, (_, i) => machine(10 + i, [order({ costPerItem: 1 })]));
    const ts = w.step([machine(1, [order({ itemId: AK, costPerItem: 1 })]), ...many], [a, b]);
    const ctx = { serverId: "s1", now: 5, mapSize: 3000, monuments: [{ token: "outpost", x: 1500, y: 1520 }], itemName: (id: number) => (id === SCRAP ? "Scrap" : id === AK ? "Assault Rifle" : "Rocket") };
    const messages = alertMessages(ts, ctx);
    expect(messages.map((m) => m.title)).toEqual([`Tracked items: ${SHOP_ALERT_MAX_LINES + 6} offered (1/2)`, `Tracked items: ${SHOP_ALERT_MAX_LINES + 6} offered (2/2)`]);
    expect(messages[0]!.lines[0]).toBe("🆕 Assault Rifle: 1 Scrap each · 4 in stock · K10 near Outpost · Shop");
    expect(new Set(messages.map((m) => m.dedupeKey)).size).toBe(2);
    expect(alertMessages(ts, ctx).map((m) => m.dedupeKey)).toEqual(messages.map((m) => m.dedupeKey));
    expect(alertMessages(ts.slice(0, 2), ctx)).toHaveLength(1);
  });
});

describe("parseMaxPrice", () => {
  it("keeps up to three decimals exactly, in thousandths", () => {
    expect(["25", "0.5", "1.250", ".5", " 7 ", "1000000"].map(parseMaxPrice)).toEqual([25_000, 500, 1_250, 500, 7_000, 1_000_000_000]);
  });
  it("refuses what is not a sane price, saying the range", () => {
    for (const bad of ["-1", "0", "0.000", "1000000.001", "1000000000000", "abc", "1e3", "NaN", "0.0001", "Infinity", "1,5", ""]) {
      expect(() => parseMaxPrice(bad), bad).toThrow(/from 0\.001 to 1,000,000/);
    }
  });
});
