// The shop market end to end: the bot (rustplus.js against the fake Rust+ server, one virtual clock) reads vending
// machines from its marker polls, stores the listing (ShopMarket) and tells its listeners what changed; a socket drop
// and reconnect reads as nothing gone; a server that stops reporting vending machines keeps the last listing, marked
// as not reported.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLL_EVERY_MS } from "../../src/events/server-events.ts";
import type { ConnectionState } from "../../src/rustplus/connection.ts";
import { LIVE_ELSEWHERE_SLACK_MS, REFRESH_OBSERVED_EVERY_MS, ShopMarkets } from "../../src/shop/market-service.ts";
import type { MarketUpdate } from "../../src/shop/types.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { DEFAULT_REPORTED_MARKERS, FakeRustServer, OFFICIAL_2026_REPORTED_MARKERS } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";
import { BANDIT_CAMP, banditCampShops, ITEM, OUTPOST, outpostShops, sellOrder, vendingMachine } from "../helpers/shop.ts";

const TOKEN = -51_515_151;
const HOUR = 3_600_000;
let timers: ManualTimers;
let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let serverId: string;
let states: Log<{ serverId: string; state: ConnectionState }>;
const updates: MarketUpdate[] = [];

// A player's shop west of Outpost selling rockets and an AK; another north of it.
const rockets = () => sellOrder(ITEM.rocket, { costPerItem: 150, amountInStock: 3 });
const ak = () => sellOrder(ITEM.ak, { costPerItem: 400, amountInStock: 1 });
const playerShop = (orders = [rockets(), ak()]) => vendingMachine(300, 600, 1500, orders, "Rocket Emporium");
const otherShop = () => vendingMachine(301, 1500, 2400, [sellOrder(ITEM.sulfur, { quantity: 1000, costPerItem: 200, amountInStock: 2 })], "Sulfur");
const npc = () => [...outpostShops(), ...banditCampShops()];

const changeKinds = (from: number) => updates.slice(from).flatMap((u) => u.changes.map((c) => `${c.kind} ${c.machine.markerId}`));

async function poll(): Promise<void> {
  timers.advance(POLL_EVERY_MS);
  await bot.events.settled();
  await bot.shops.settled();
}

beforeAll(async () => {
  timers = new ManualTimers();
  fake = await FakeDiscord.start();
  bot = await startTestBot(fake, { rust: { timers, requestTimeoutMs: 600_000, infoEveryMs: HOUR, backoff: { baseMs: 1_000, maxMs: 1_000 } } });
  bot.shops.onUpdate((u) => {
    updates.push(u);
  });
  // A listener that fails does not stop the others or the poll.
  bot.shops.onUpdate(() => {
    throw new Error("listener failure");
  });
  states = new Log();
  bot.ctx.rust.on("state", (id, state) => states.push({ serverId: id, state }));
  const user = await linkUser(bot.db.prisma, fake.createUser().id);
  rust = await FakeRustServer.start({
    clock: timers.now,
    players: [{ steamId: user.steamId, playerToken: TOKEN }],
    world: { map: { monuments: [OUTPOST, BANDIT_CAMP, { token: "launchsite", x: 700, y: 2300 }] }, markers: [...npc(), playerShop(), otherShop()] },
  });
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  serverId = (
    await bot.db.prisma.pairedServer.create({
      data: { userId: user.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: rust.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    })
  ).id;
  const seeded = bot.events.seeded(serverId);
  await bot.ctx.rust.connect(serverId);
  await seeded;
  await bot.shops.settled();
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});

describe("the shop market from vending markers", () => {
  it("lists every machine from the first poll, NPC shops marked, without telling any change", async () => {
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatchObject({ serverId, serverName: "Rustopia EU", seeding: true, frozen: false, changes: [] });
    const listing = await bot.shops.listing(serverId);
    expect(listing).toMatchObject({ reported: true, live: true });
    const byId = new Map(listing!.machines.map((m) => [m.markerId, m]));
    expect([...byId.keys()].sort()).toEqual([300, 301, 9000, 9001, 9100]);
    expect([9000, 9001, 9100].map((id) => byId.get(id)?.npc)).toEqual([true, true, true]);
    expect(byId.get(300)).toEqual({
      markerId: 300, x: 600, y: 1500, name: "Rocket Emporium", outOfStock: false, npc: false,
      orders: [
        { itemId: ITEM.rocket, quantity: 1, currencyId: ITEM.scrap, costPerItem: 150, amountInStock: 3, itemIsBlueprint: false, currencyIsBlueprint: false },
        { itemId: ITEM.ak, quantity: 1, currencyId: ITEM.scrap, costPerItem: 400, amountInStock: 1, itemIsBlueprint: false, currencyIsBlueprint: false },
      ],
    });
    expect(listing!.observedAt.getTime()).toBe(timers.now());
    expect(bot.logs.some((l) => l["msg"] === "a shop market listener failed")).toBe(true);
  });

  it("tells a sell-out (sent without amountInStock, as real servers leave a 0 off), a price change and a new shop once", async () => {
    const from = updates.length;
    rust.setMarkers([...npc(), playerShop([rockets(), { ...ak(), amountInStock: 0 }]), otherShop()]);
    await poll();
    await poll();
    expect(changeKinds(from)).toEqual(["out-of-stock 300"]);
    rust.setMarkers([...npc(), playerShop([{ ...rockets(), costPerItem: 120 }, { ...ak(), amountInStock: 0 }]), otherShop(), vendingMachine(302, 2000, 600, [sellOrder(ITEM.wood, { quantity: 1000, costPerItem: 10 })])]);
    await poll();
    expect(changeKinds(from)).toEqual(["out-of-stock 300", "price-changed 300", "machine-appeared 302", "order-added 302"]);
    const stored = await bot.shops.listing(serverId);
    expect(stored?.machines.find((m) => m.markerId === 300)?.orders.map((o) => [o.costPerItem, o.amountInStock])).toEqual([[120, 3], [400, 0]]);
    expect(stored?.machines.some((m) => m.markerId === 302)).toBe(true);
  });

  it("keeps the listing through a socket drop and reads the reconnect as no change, though shops changed meanwhile", async () => {
    const before = await bot.shops.listing(serverId);
    const from = updates.length;
    const at = states.items.length;
    rust.dropConnections();
    await states.waitFor((e) => e.serverId === serverId && e.state.kind !== "connected", at);
    await bot.shops.settled();
    const down = await bot.shops.listing(serverId);
    expect(down).toMatchObject({ live: false, reported: true });
    expect(down?.machines).toEqual(before?.machines);

    // Meanwhile the sulfur shop was taken down and the AK restocked.
    rust.setMarkers([...npc(), playerShop([{ ...rockets(), costPerItem: 120 }, ak()]), vendingMachine(302, 2000, 600, [sellOrder(ITEM.wood, { quantity: 1000, costPerItem: 10 })])]);
    const seeded = bot.events.seeded(serverId);
    timers.advance(1_000);
    await seeded;
    await bot.shops.settled();
    expect(updates.slice(from).map((u) => [u.seeding, u.changes.length])).toEqual([[true, 0]]);
    const after = await bot.shops.listing(serverId);
    expect(after).toMatchObject({ live: true, reported: true });
    expect(after?.machines.map((m) => m.markerId).sort()).toEqual([300, 302, 9000, 9001, 9100]);
    // From here on, changes are news again.
    rust.setMarkers([...npc(), playerShop([{ ...rockets(), costPerItem: 120, amountInStock: 2 }, ak()]), vendingMachine(302, 2000, 600, [sellOrder(ITEM.wood, { quantity: 1000, costPerItem: 10 })])]);
    await poll();
    expect(changeKinds(from)).toEqual(["stock-changed 300"]);
  });

  it("keeps the last listing, marked as not reported, when the server stops sending vending machines; nothing reads as gone", async () => {
    const before = await bot.shops.listing(serverId);
    const from = updates.length;
    rust.world.reportedMarkers = new Set(OFFICIAL_2026_REPORTED_MARKERS);
    timers.advance(HOUR);
    await poll();
    await poll();
    expect(updates.slice(from).every((u) => u.frozen && !u.seeding && u.changes.length === 0)).toBe(true);
    expect(updates.at(-1)?.machines.size).toBe(5);
    const frozen = await bot.shops.listing(serverId);
    expect(frozen).toMatchObject({ reported: false, live: true });
    expect(frozen?.machines).toEqual(before?.machines);
    // As of the last poll that saw them.
    expect(frozen?.observedAt).toEqual(before?.observedAt);

    // Reported again: believed, and only what changed is told.
    rust.world.reportedMarkers = new Set(DEFAULT_REPORTED_MARKERS);
    const back = updates.length;
    await poll();
    expect(changeKinds(back)).toEqual([]);
    expect(await bot.shops.listing(serverId)).toMatchObject({ reported: true });
  });

  it("writes the last changes when the bot stops, though it writes a changing listing only once a minute", async () => {
    rust.setMarkers([...npc(), playerShop([{ ...rockets(), costPerItem: 99, amountInStock: 2 }, ak()])]);
    await poll();
    expect((await bot.shops.listing(serverId))?.machines.find((m) => m.markerId === 300)?.orders[0]?.costPerItem).toBe(99);
    let stored: unknown;
    await bot.restart(async () => {
      stored = (await bot.db.prisma.shopMarket.findUniqueOrThrow({ where: { pairedServerId: serverId } })).machines;
    });
    const shop = (stored as { markerId: number; orders: { costPerItem: number }[] }[]).find((m) => m.markerId === 300);
    expect(shop?.orders[0]?.costPerItem).toBe(99);
  });

  it("keeps the stored listing when a new process's first answer has no vending machines", async () => {
    // The restarted bot's own session seeds (and writes) its listing on connect: let it finish first.
    await bot.events.sessionSeeded(serverId);
    await bot.shops.settled();
    const stored = await bot.db.prisma.shopMarket.findUniqueOrThrow({ where: { pairedServerId: serverId } });
    expect(stored.reported).toBe(true);
    const fresh = new ShopMarkets({ prisma: bot.db.prisma, logger: bot.ctx.logger });
    const seen: MarketUpdate[] = [];
    fresh.onUpdate((u) => {
      seen.push(u);
    });
    fresh.observe({ serverId, userId: "u", serverName: "Rustopia EU", mapSize: 3000, wipeAt: 0, monuments: [OUTPOST], npcVending: true, markers: [], now: timers.now() + 1 });
    await fresh.settled();
    expect(seen.map((u) => [u.frozen, u.seeding, u.machines.size])).toEqual([[true, false, 0]]);
    const listing = await fresh.listing(serverId);
    expect(listing).toMatchObject({ reported: false, live: true, observedAt: stored.observedAt });
    expect(listing?.machines.map((m) => m.markerId).sort()).toEqual([300, 9000, 9001, 9100]);
    expect((await bot.db.prisma.shopMarket.findUniqueOrThrow({ where: { pairedServerId: serverId } })).machines).toEqual(stored.machines);
    // Put back as it was (the fresh process wrote "not reported"): the bot's own session seeded before this test.
    await bot.db.prisma.shopMarket.update({ where: { pairedServerId: serverId }, data: { reported: stored.reported } });
  });

  it("drops stored machines of an earlier wipe when a new process's first answer after the wipe has none", async () => {
    await bot.events.sessionSeeded(serverId);
    await bot.shops.settled();
    const stored = await bot.db.prisma.shopMarket.findUniqueOrThrow({ where: { pairedServerId: serverId } });
    const fresh = new ShopMarkets({ prisma: bot.db.prisma, logger: bot.ctx.logger });
    const wipeAt = stored.observedAt.getTime() + 1_000;
    fresh.observe({ serverId, userId: "u", serverName: "Rustopia EU", mapSize: 3000, wipeAt, monuments: [OUTPOST], npcVending: true, markers: [], now: wipeAt + 1_000 });
    await fresh.settled();
    expect(await fresh.listing(serverId)).toMatchObject({ machines: [], reported: false });
    // Put back as it was for the tests after this one.
    await bot.db.prisma.shopMarket.update({ where: { pairedServerId: serverId }, data: { machines: stored.machines as object[], observedAt: stored.observedAt, reported: stored.reported } });
  });

  it("answers a server never seen reporting vending machines as not reported, with no machines", async () => {
    const id = (
      await bot.db.prisma.pairedServer.create({ data: { userId: (await bot.db.prisma.pairedServer.findUniqueOrThrow({ where: { id: serverId } })).userId, serverName: "Other", ip: "127.0.0.2", port: 1, playerSteamId: "1", playerToken: Buffer.from([]), playerTokenKeyVersion: 1 } })
    ).id;
    expect(await bot.shops.listing(id)).toBeNull();
    bot.shops.observe({ serverId: id, userId: "u", serverName: "Other", mapSize: 3000, wipeAt: 0, monuments: [OUTPOST], npcVending: true, markers: [], now: timers.now() });
    await bot.shops.settled();
    expect(await bot.shops.listing(id)).toMatchObject({ machines: [], reported: false, live: true });
  });
});

describe("the shop market across processes, wipes and a stopped server", () => {
  it("reads a listing another process polls (sharded) as live while fresh, and not once the server is stopped", async () => {
    // The bot was restarted by the tests above: its restore connects again at once (no clock) and seeds, maybe
    // before this test starts.
    bot.ctx.rust.on("state", (id, state) => states.push({ serverId: id, state }));
    bot.shops.onUpdate((u) => {
      updates.push(u);
    });
    await bot.events.sessionSeeded(serverId);
    await bot.shops.settled();
    const elsewhere = (offsetMs = 0) => new ShopMarkets({ prisma: bot.db.prisma, logger: bot.ctx.logger, timers: { now: () => timers.now() + offsetMs, setTimeout: (fn, ms) => timers.setTimeout(fn, ms), clearTimeout: (h) => timers.clearTimeout(h) } });
    const polled = await bot.shops.listing(serverId);
    const read = await elsewhere().listing(serverId);
    expect(read).toMatchObject({ live: true, reported: true });
    expect(read?.machines).toEqual(polled?.machines);
    // The poller writes a reported listing at least every REFRESH_OBSERVED_EVERY_MS: older means no one polls it.
    expect(await elsewhere(REFRESH_OBSERVED_EVERY_MS + LIVE_ELSEWHERE_SLACK_MS + 1).listing(serverId)).toMatchObject({ live: false });
    await bot.db.prisma.pairedServer.update({ where: { id: serverId }, data: { live: false } });
    try {
      expect(await elsewhere().listing(serverId)).toMatchObject({ live: false });
    } finally {
      await bot.db.prisma.pairedServer.update({ where: { id: serverId }, data: { live: true } });
    }
  });

  it("starts afresh at a new wipe: the old wipe's machines are not listed while the new one reports none, and the new ids seed silently", async () => {
    const steamId = (await bot.db.prisma.pairedServer.findUniqueOrThrow({ where: { id: serverId } })).playerSteamId;
    const forgotten: string[] = [];
    bot.shops.onForget((id) => forgotten.push(id));
    const from = updates.length;
    timers.advance(HOUR);
    const at = states.items.length;
    // The real order: the server goes down, wipes (marker ids start again), comes back; an official server reports no vending machines.
    await rust.restart(() => {
      rust.wipe({ markers: [...npc(), vendingMachine(300, 2200, 2200, [sellOrder(ITEM.stones, { quantity: 1000, costPerItem: 5 })], "New wipe shop")], reportedMarkers: OFFICIAL_2026_REPORTED_MARKERS });
      rust.addPlayer(steamId, TOKEN);
    });
    await states.waitFor((e) => e.serverId === serverId && e.state.kind !== "connected", at);
    const seeded = bot.events.seeded(serverId);
    timers.advance(1_000);
    await seeded;
    await bot.shops.settled();
    expect(forgotten).toEqual([serverId]);
    const frozen = await bot.shops.listing(serverId);
    expect(frozen).toMatchObject({ reported: false, live: true, machines: [] });
    expect((await bot.db.prisma.shopMarket.findUniqueOrThrow({ where: { pairedServerId: serverId } })).machines).toEqual([]);
    // Reported again: marker 300 is another machine now, read as a first listing, not as the old 300 changed.
    rust.world.reportedMarkers = new Set(DEFAULT_REPORTED_MARKERS);
    await poll();
    await poll();
    expect(changeKinds(from)).toEqual([]);
    expect(updates.slice(from).map((u) => [u.frozen, u.seeding])).toEqual([[true, false], [false, true], [false, false]]);
    expect((await bot.shops.listing(serverId))?.machines.find((m) => m.markerId === 300)?.name).toBe("New wipe shop");
  });

  it("forgets a stopped server (its listeners' memory too), keeping its stored listing", async () => {
    const forgotten: string[] = [];
    bot.shops.onForget((id) => forgotten.push(id));
    const at = states.items.length;
    // What /server stop does: the server is no longer meant to be connected, and its connection stops.
    await bot.db.prisma.pairedServer.update({ where: { id: serverId }, data: { live: false } });
    bot.ctx.rust.disconnect(serverId);
    await states.waitFor((e) => e.serverId === serverId && e.state.kind === "stopped", at);
    await bot.events.settled();
    await bot.shops.settled();
    expect(forgotten).toEqual([serverId]);
    const stored = await bot.shops.listing(serverId);
    expect(stored).toMatchObject({ live: false, reported: true });
    expect(stored?.machines.map((m) => m.markerId).sort()).toEqual([300, 9000, 9001, 9100]);
  });
});
