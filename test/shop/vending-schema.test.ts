// Vending markers as servers send them: defaults left off, bad orders dropped with a log line, NPC shops by place.
import { describe, expect, it } from "vitest";
import { MAX_MACHINES, MAX_ORDERS_PER_ANSWER, MAX_ORDERS_PER_MACHINE, MAX_SHOP_NAME, NPC_VENDING_RADIUS_M, parseVendingMachines } from "../../src/shop/vending-schema.ts";
import { capturedLogger } from "../helpers/logs.ts";

const SCRAP = -932201673;
const ROCKET = -742865266;
const outpost = { token: "outpost", x: 1500, y: 1500 };
const bandit = { token: "bandit_camp", x: 600, y: 600 };

describe("parseVendingMachines", () => {
  it("reads absent fields as their defaults, as proto3-style servers leave them off", () => {
    const { logger, logs } = capturedLogger();
    const machines = parseVendingMachines(
      [
        { id: 7, type: 3, x: 10, y: 20, sellOrders: [{ itemId: ROCKET, quantity: 1, currencyId: SCRAP, costPerItem: 500 }] },
        { id: 8, type: 3 },
        { id: 9, type: 1, x: 5, y: 5 },
      ],
      [],
      logger,
    );
    expect(machines).toEqual([
      { markerId: 7, x: 10, y: 20, name: "", outOfStock: false, npc: false, orders: [{ itemId: ROCKET, quantity: 1, currencyId: SCRAP, costPerItem: 500, amountInStock: 0, itemIsBlueprint: false, currencyIsBlueprint: false }] },
      { markerId: 8, x: 0, y: 0, name: "", outOfStock: false, npc: false, orders: [] },
    ]);
    expect(logs.filter((l) => l.level === 40)).toEqual([]);
  });

  it("drops invalid orders and markers with one log line and keeps the rest", () => {
    const { logger, logs } = capturedLogger();
    const good = { itemId: ROCKET, quantity: 1, currencyId: SCRAP, costPerItem: 500, amountInStock: 1 };
    const machines = parseVendingMachines(
      [
        { id: 1, type: 3, x: 1, y: 1, sellOrders: [good, { ...good, quantity: 0 }, { ...good, costPerItem: -1 }, { ...good, quantity: 2_000_000 }, { ...good, itemId: 1.5 }, { ...good, amountInStock: -3 }, { ...good, itemId: undefined }, "junk"] },
        { id: -1, type: 3, x: 1, y: 1 },
        { id: 2, type: 3, x: Number.NaN, y: 1 },
        { id: 1, type: 3, x: 1, y: 1 },
        null,
      ],
      [],
      logger,
    );
    expect(machines.map((m) => [m.markerId, m.orders.length])).toEqual([[1, 1]]);
    const warned = logs.filter((l) => l.level === 40);
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatchObject({ badMarkers: 3, badOrders: 7 });
    expect(parseVendingMachines("not a list", [], logger)).toEqual([]);
    expect(parseVendingMachines(undefined, [], logger)).toEqual([]);
  });

  it("keeps a machine's checked orders when the next answer carries the same values, and checks changed ones again", () => {
    const { logger, logs } = capturedLogger();
    const order = { itemId: ROCKET, quantity: 1, currencyId: SCRAP, costPerItem: 500, amountInStock: 2 };
    const first = parseVendingMachines([{ id: 1, type: 3, x: 1, y: 1, sellOrders: [order] }, { id: 2, type: 3, x: 2, y: 2, sellOrders: [order] }], [], logger);
    const previous = new Map(first.map((m) => [m.markerId, m]));
    const next = parseVendingMachines([{ id: 1, type: 3, x: 1, y: 1, sellOrders: [{ ...order }] }, { id: 2, type: 3, x: 2, y: 2, sellOrders: [{ ...order, quantity: 0 }] }], [], logger, previous);
    expect(next[0]?.orders).toBe(first[0]?.orders);
    expect(next[1]?.orders).toEqual([]);
    expect(logs.filter((l) => l.level === 40)).toHaveLength(1);
  });

  it("keeps the last answer's machine object when the marker is unchanged, and reads a changed or repeated one afresh", () => {
    const { logger, logs } = capturedLogger();
    const order = { itemId: ROCKET, quantity: 1, currencyId: SCRAP, costPerItem: 500, amountInStock: 2 };
    const marker = { id: 1, type: 3, x: 1500 + 40, y: 1500, name: "Rockets", sellOrders: [order] };
    const first = parseVendingMachines([marker, { ...marker, id: 2 }, { ...marker, id: 3 }], [outpost], logger);
    const previous = new Map(first.map((m) => [m.markerId, m]));
    const next = parseVendingMachines([{ ...marker, sellOrders: [{ ...order }] }, { ...marker, id: 2, name: "Cheap rockets" }, { ...marker, id: 3 }, { ...marker, id: 3 }], [outpost], logger, previous);
    expect(next[0]).toBe(first[0]);
    expect(next[1]).toMatchObject({ markerId: 2, name: "Cheap rockets", npc: true });
    expect(next[1]?.orders).toBe(first[1]?.orders);
    expect(next).toHaveLength(3);
    expect(logs.filter((l) => l.level === 40)).toEqual([expect.objectContaining({ badMarkers: 1 })]);
    // One order of two repriced: the other keeps its checked object.
    const two = { ...marker, id: 4, sellOrders: [order, { ...order, itemId: SCRAP, currencyId: ROCKET }] };
    const [before] = parseVendingMachines([two], [outpost], logger);
    const [after] = parseVendingMachines([{ ...two, sellOrders: [{ ...order }, { ...order, itemId: SCRAP, currencyId: ROCKET, costPerItem: 400 }] }], [outpost], logger, new Map([[4, before!]]));
    expect(after?.orders[0]).toBe(before?.orders[0]);
    expect(after?.orders[1]).toMatchObject({ itemId: SCRAP, costPerItem: 400 });
    // Without the Outpost (a new map) the same marker is a player's shop.
    const elsewhere = parseVendingMachines([marker], [], logger, previous);
    expect(elsewhere[0]).not.toBe(first[0]);
    expect(elsewhere[0]).toMatchObject({ markerId: 1, npc: false, name: "Rockets" });
  });

  it("marks the machines near Outpost and Bandit Camp as NPC shops, and none on a map without them", () => {
    const { logger } = capturedLogger();
    const markers = [
      { id: 1, type: 3, x: 1500 + 40, y: 1500 - 30 },
      { id: 2, type: 3, x: 600, y: 600 + NPC_VENDING_RADIUS_M - 1 },
      { id: 3, type: 3, x: 1500 + NPC_VENDING_RADIUS_M + 50, y: 1500 },
      // A player's shop at a Mining Outpost (no NPC shops there).
      { id: 4, type: 3, x: 2400, y: 400 },
    ];
    const monuments = [outpost, bandit, { token: "launchsite", x: 1540, y: 1470 }, { token: "mining_outpost_display_name", x: 2405, y: 400 }];
    expect(parseVendingMachines(markers, monuments, logger).map((m) => m.npc)).toEqual([true, true, false, false]);
    expect(parseVendingMachines(markers, [], logger).map((m) => m.npc)).toEqual([false, false, false, false]);
  });
  it("cuts a shop name longer than any the game allows instead of dropping the machine, and keeps the object next poll", () => {
    const { logger, logs } = capturedLogger();
    const order = { itemId: ROCKET, quantity: 1, currencyId: SCRAP, costPerItem: 500, amountInStock: 2 };
    // The game caps names at 32 characters (RPC_UpdateShopName); a hostile server may send any length. The cut
    // never splits the emoji (a surrogate pair) that straddles it.
    const name = `${"x".repeat(MAX_SHOP_NAME - 1)}🚀${"y".repeat(5_000)}`;
    const marker = { id: 1, type: 3, x: 1, y: 1, name, sellOrders: [order] };
    const first = parseVendingMachines([marker], [], logger);
    expect(first.map((m) => m.name)).toEqual(["x".repeat(MAX_SHOP_NAME - 1)]);
    expect(parseVendingMachines([{ ...marker, name: `${name}` }], [], logger, new Map([[1, first[0]!]]))[0]).toBe(first[0]);
    expect(logs.filter((l) => l.level === 40)).toEqual([]);
  });

  it("keeps the first orders of a machine and the first machines of an answer past the caps, with one log line per answer", () => {
    const { logger, logs } = capturedLogger();
    const order = (i: number) => ({ itemId: ROCKET, quantity: 1, currencyId: SCRAP, costPerItem: 1 + i, amountInStock: 2 });
    const big = { id: 1, type: 3, x: 1, y: 1, sellOrders: Array.from({ length: MAX_ORDERS_PER_MACHINE + 30 }, (_, i) => order(i)) };
    const machines = Array.from({ length: MAX_MACHINES + 20 }, (_, i) => ({ id: 2 + i, type: 3, x: 2, y: 2, sellOrders: [order(i)] }));
    const first = parseVendingMachines([big, ...machines], [], logger);
    expect(first).toHaveLength(MAX_MACHINES);
    expect(first[0]?.orders.map((o) => o.costPerItem)).toEqual(Array.from({ length: MAX_ORDERS_PER_MACHINE }, (_, i) => 1 + i));
    expect(first.at(-1)?.markerId).toBe(MAX_MACHINES);
    expect(logs.filter((l) => l.level === 40)).toEqual([expect.objectContaining({ machinesLeftOut: 21, ordersLeftOut: 30 })]);
    // Unchanged next poll: the same objects (the fast path), and the cap is logged again, once.
    const next = parseVendingMachines([{ ...big, sellOrders: big.sellOrders.map((o) => ({ ...o })) }, ...machines], [], logger, new Map(first.map((m) => [m.markerId, m])));
    expect(next[0]).toBe(first[0]);
    expect(next.at(-1)).toBe(first.at(-1));
    expect(logs.filter((l) => l.level === 40)).toHaveLength(2);
  });

  it("leaves out whole machines once an answer's orders reach MAX_ORDERS_PER_ANSWER", () => {
    const { logger, logs } = capturedLogger();
    const orders = Array.from({ length: MAX_ORDERS_PER_MACHINE }, (_, i) => ({ itemId: ROCKET, quantity: 1, currencyId: SCRAP, costPerItem: 1 + i, amountInStock: 2 }));
    const count = Math.ceil(MAX_ORDERS_PER_ANSWER / MAX_ORDERS_PER_MACHINE) + 5;
    const parsed = parseVendingMachines(Array.from({ length: count }, (_, i) => ({ id: 1 + i, type: 3, x: 1, y: 1, sellOrders: orders })), [], logger);
    expect(parsed.reduce((n, m) => n + m.orders.length, 0)).toBeLessThanOrEqual(MAX_ORDERS_PER_ANSWER);
    expect(parsed.every((m) => m.orders.length === MAX_ORDERS_PER_MACHINE)).toBe(true);
    expect(logs.filter((l) => l.level === 40)).toEqual([expect.objectContaining({ machinesLeftOut: count - parsed.length })]);
  });
});
