// The team's own vending machines through their storage monitors (capacity 30): the card shows the stock, a sale
// and a sell-out are posted to #shop once, a restock or the owner taking stock out is not a sale, a reconnect's
// reading of the same contents is silent while one showing stock sold meanwhile says so once, the daily summary is
// posted once, /shop mine for the owner and a guest, and undercut alerts from vending markers (equal price and
// another currency are none; once per transition). discord.js against the fake Discord, rustplus.js against the
// fake Rust server, one virtual clock for the polls.
import { PermissionFlagsBits, type APIMessage } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SyncDrawn } from "../../src/devices/device-sync.ts";
import { POLL_EVERY_MS } from "../../src/events/server-events.ts";
import { sweepOnce } from "../../src/maintenance/sweep.ts";
import { ShopMarkets } from "../../src/shop/market-service.ts";
import { OwnShopUndercuts } from "../../src/shop/own/undercut.ts";
import { seedItems } from "../../src/tools/items/seed-items.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { EntityType, FakeRustServer, MarkerType, type Item, type Marker, type SellOrder } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";

const TOKEN = 616_161;
const ROCKET_SHOP = 4001;
const AMMO_SHOP = 4002;
const ROCKET = -742865266;
const SCRAP = -932201673;
const AMMO = -1211166256;
const METAL = 69511070;
const DAY = 86_400_000;

const stack = (itemId: number, quantity: number, itemIsBlueprint = false): Item => ({ itemId, quantity, itemIsBlueprint });
const order = (itemId: number, quantity: number, currencyId: number, costPerItem: number, amountInStock: number, itemIsBlueprint = false): SellOrder => ({
  itemId, quantity, currencyId, costPerItem, amountInStock, itemIsBlueprint, currencyIsBlueprint: false,
});
const machine = (id: number, x: number, name: string, sellOrders: SellOrder[]): Marker => ({ id, type: MarkerType.VendingMachine, x, y: 500, name, outOfStock: false, sellOrders });

// Our two machines as the map reports them: 1 rocket for 100 scrap (10 left); 64 rifle ammo for 50 scrap (2 left).
const ourRockets = machine(501, 400, "Rockets R Us", [order(ROCKET, 1, SCRAP, 100, 10)]);
const ourAmmo = machine(502, 800, "Ammo", [order(AMMO, 64, SCRAP, 50, 2)]);
// Already cheaper when the bot connects (silent: it is no news); a blueprint and another currency never compare.
const cheapAtStart = machine(601, 1200, "Old rival", [order(AMMO, 64, SCRAP, 10, 5)]);
const blueprint = machine(602, 1600, "BP shop", [order(AMMO, 1, SCRAP, 1, 1, true)]);
const rival = (quantity: number, cost: number) => machine(603, 2000, "Rival", [order(AMMO, quantity, SCRAP, cost, 4)]);
const metalShop = machine(604, 2400, "Metal shop", [order(AMMO, 64, METAL, 40, 3)]);

let timers: ManualTimers;
let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let serverId: string;
let player: ReturnType<FakeDiscord["createUser"]>;
let guest: ReturnType<FakeDiscord["createUser"]>;
let stranger: ReturnType<FakeDiscord["createUser"]>;
const drawn = new Log<SyncDrawn>();

const channel = (name: string) => fake.channels(guildId).find((c) => c.name === name)!.id;
const shopPosts = () => fake.messages(channel("shop")).flatMap((m) => m.embeds.map((e) => `${e.title}\n${e.description}`));
const field = (m: APIMessage | undefined, name: string) => m?.embeds[0]?.fields?.find((f) => f.name === name)?.value;
const mine = (user = player, options: Record<string, string> = {}) => fake.sendCommand({ guildId, name: "shop", subcommand: "mine", options, user }).then((h) => h.reply());
const deviceId = async (entityId: number) => (await bot.db.prisma.smartDevice.findFirstOrThrow({ where: { entityId: BigInt(entityId) } })).id;

async function delivered() {
  await bot.devices.idle();
  await bot.ownShops.idle();
  await bot.events.settled();
  await bot.shops.settled();
  await bot.notifier.idle();
}

/** Sets a monitor's contents in game (broadcast twice, as the game does) and waits until the bot has drawn them. */
async function stock(entityId: number, items: Item[]) {
  const from = drawn.items.length;
  rust.setStorage(entityId, items);
  await drawn.waitFor((d) => d.device.entityId === BigInt(entityId) && d.changedAt instanceof Date && JSON.stringify(d.device.contents) === JSON.stringify({ items, capacity: 30, hasProtection: false, protectionExpiry: 0 }), from);
  await delivered();
}

async function poll(markers?: Marker[]) {
  if (markers) rust.setMarkers(markers);
  timers.advance(POLL_EVERY_MS);
  await delivered();
}

async function connect() {
  const from = drawn.items.length;
  const seeded = bot.events.seeded(serverId);
  await bot.ctx.rust.connect(serverId);
  await seeded;
  for (const id of [ROCKET_SHOP, AMMO_SHOP]) await drawn.waitFor((d) => d.device.entityId === BigInt(id) && d.changedAt === null, from);
  await delivered();
}

/**
 * Restarts the bot (`whileDown` runs with no bot connected); the new one restores the live server at once (no clock),
 * so its session may have seeded before this asks, and reads the shops once connected (its device readings start at
 * the connection's ready, before markers seed).
 */
async function restart(whileDown?: () => void) {
  await bot.restart(whileDown);
  bot.devices.onDrawn((d) => drawn.push(d));
  const seeded = bot.events.sessionSeeded(serverId);
  // A second later than the last reading before the restart, as a real restart is.
  timers.advance(1_000);
  await seeded;
  await delivered();
}

const rocketStock = [stack(ROCKET, 3), stack(ROCKET, 3), stack(ROCKET, 4)];
const ammoStock = [stack(AMMO, 128)];
const contents = (items: readonly Item[]) => ({ items: items.map((i) => ({ itemId: i.itemId, quantity: i.quantity, itemIsBlueprint: i.itemIsBlueprint })), capacity: 30, hasProtection: false, protectionExpiry: 0 });

beforeAll(async () => {
  timers = new ManualTimers();
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Shop Base" }).id;
  bot = await startTestBot(fake, { rust: { timers, requestTimeoutMs: 600_000, infoEveryMs: 3_600_000, backoff: { baseMs: 1_000, maxMs: 1_000 } } });
  await seedItems(bot.db.prisma);
  bot.devices.onDrawn((d) => drawn.push(d));
  player = fake.createUser();
  guest = fake.createUser();
  stranger = fake.createUser();
  const user = await linkUser(bot.db.prisma, player.id);
  const guestUser = await linkUser(bot.db.prisma, guest.id);
  await linkUser(bot.db.prisma, stranger.id);
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: player, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
  rust = await FakeRustServer.start({
    clock: timers.now,
    players: [{ steamId: user.steamId, playerToken: TOKEN }],
    world: {
      entities: {
        [ROCKET_SHOP]: { type: EntityType.StorageMonitor, items: rocketStock, capacity: 30, hasProtection: false, protectionExpiry: 0 },
        [AMMO_SHOP]: { type: EntityType.StorageMonitor, items: ammoStock, capacity: 30, hasProtection: false, protectionExpiry: 0 },
      },
      markers: [ourRockets, ourAmmo, cheapAtStart, blueprint, rival(64, 60), metalShop],
    },
  });
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  serverId = (
    await bot.db.prisma.pairedServer.create({
      data: { userId: user.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: rust.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    })
  ).id;
  await bot.db.prisma.dashboardGuestAccess.create({ data: { ownerUserId: user.id, pairedServerId: serverId, guestUserId: guestUser.id, guestSteamId: guestUser.steamId } });
  // Paired earlier: the bot read their contents then (a reconnect's reading of the same contents is no change).
  for (const [entityId, name, items] of [[ROCKET_SHOP, "Rocket shop", rocketStock], [AMMO_SHOP, "Ammo shop", ammoStock]] as const) {
    await bot.db.prisma.smartDevice.create({ data: { pairedServerId: serverId, kind: "STORAGE_MONITOR", entityId: BigInt(entityId), name, contents: contents(items.map((i) => ({ ...i }))) } });
  }
  await connect();
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});

describe("own shops from storage monitors", () => {
  it("shows a vending machine's monitor as a shop with its stock per item; a reconnect's reading posts nothing", async () => {
    const row = await bot.db.prisma.smartDevice.findFirstOrThrow({ where: { entityId: BigInt(ROCKET_SHOP) } });
    const card = fake.messages(channel("storage-monitors")).find((m) => m.id === row.messageId);
    expect(card?.embeds[0]?.description).toBe("Vending machine (your shop, through its storage monitor) on Rustopia EU");
    expect(field(card, "Stock and takings")).toBe("Rocket × 10");
    expect(shopPosts()).toEqual([]);
  });

  it("posts a sale once: stock down while the payment came in", async () => {
    await stock(ROCKET_SHOP, [stack(ROCKET, 3), stack(ROCKET, 4), stack(SCRAP, 300)]);
    expect(shopPosts()).toEqual(["🛒 Rocket shop\nSold 3 × Rocket"]);
    const sales = await bot.db.prisma.shopSale.findMany({ where: { deviceId: await deviceId(ROCKET_SHOP) } });
    expect(sales.map((s) => [s.itemId, s.itemIsBlueprint, s.quantity])).toEqual([[ROCKET, false, 3]]);
  });

  it("a restock and the owner taking stock or takings out are not sales", async () => {
    await stock(ROCKET_SHOP, [stack(ROCKET, 3), stack(ROCKET, 4), stack(ROCKET, 3), stack(SCRAP, 300)]); // restocked
    await stock(ROCKET_SHOP, [stack(ROCKET, 3), stack(ROCKET, 4), stack(ROCKET, 3)]); // scrap collected
    await stock(ROCKET_SHOP, [stack(ROCKET, 3), stack(ROCKET, 4)]); // rockets taken out
    expect(shopPosts()).toHaveLength(1);
    expect(await bot.db.prisma.shopSale.count()).toBe(1);
  });

  it("says when an item sells out, once", async () => {
    await stock(ROCKET_SHOP, [stack(SCRAP, 700)]);
    expect(shopPosts().slice(1)).toEqual(["🛒 Rocket shop\nSold 7 × Rocket\nSold out: Rocket"]);
  });

  it("a reading after a restart with the same contents is silent; one showing stock sold meanwhile says so once", async () => {
    await restart();
    expect(shopPosts()).toHaveLength(2);
    await restart(() => {
      // Sold while no bot listened: the game changed the box, nobody was subscribed to hear it.
      const entity = rust.world.entities.get(ROCKET_SHOP);
      if (entity?.type === EntityType.StorageMonitor) entity.items = [stack(SCRAP, 500)];
      const ammo = rust.world.entities.get(AMMO_SHOP);
      if (ammo?.type === EntityType.StorageMonitor) ammo.items = [stack(AMMO, 64), stack(SCRAP, 50)];
    });
    expect(shopPosts().slice(2)).toEqual(["🛒 Ammo shop\nSold while the bot was away 64 × 5.56 Rifle Ammo"]);
    await restart();
    expect(shopPosts()).toHaveLength(3);
    // Restocked for the undercut tests, a slot at a time as in game: the takings out, then the ammo in.
    await stock(AMMO_SHOP, [stack(AMMO, 64)]);
    await stock(AMMO_SHOP, ammoStock);
    expect(shopPosts()).toHaveLength(3);
  });

  it("posts the daily summary once after the owner's local day ends, and prunes sales after 8 days", async () => {
    const before = shopPosts().length;
    const tomorrow = new Date(Date.now() + DAY);
    const today = new Date().toISOString().slice(0, 10);
    expect((await sweepOnce(bot.db.prisma, tomorrow, bot.notifier)).shopSummaries).toBe(1);
    expect((await sweepOnce(bot.db.prisma, new Date(tomorrow.getTime() + 600_000), bot.notifier)).shopSummaries).toBe(0);
    // Another process (or this one after a restart) running the same sweep posts nothing new.
    expect((await sweepOnce(bot.db.prisma, tomorrow, bot.notifier)).shopSummaries).toBe(0);
    await delivered();
    expect(shopPosts().slice(before)).toEqual([`🛒 Sales on ${today}\nAmmo shop: 64 items sold\n· 64 × 5.56 Rifle Ammo\nRocket shop: 10 items sold\n· 10 × Rocket`]);
    // Nothing sold on the day after: nothing posted.
    expect((await sweepOnce(bot.db.prisma, new Date(tomorrow.getTime() + DAY), bot.notifier)).shopSummaries).toBe(0);
    expect((await sweepOnce(bot.db.prisma, new Date(Date.now() + 9 * DAY), bot.notifier)).shopSales).toBe(3);
  });
});

describe("undercut alerts from vending markers", () => {
  it("links each shop to the one machine whose offers fit its stock", async () => {
    await poll();
    const rows = await bot.db.prisma.smartDevice.findMany({ orderBy: { name: "asc" }, select: { name: true, vendingMarkerId: true } });
    // Matched when the bot connected; the link stays while the marker is listed (the rocket shop is sold out now).
    expect(rows).toEqual([{ name: "Ammo shop", vendingMarkerId: 502 }, { name: "Rocket shop", vendingMarkerId: 501 }]);
  });

  it("an equal unit price, another currency and a blueprint are no undercut; a lower price is, once per transition", async () => {
    const before = shopPosts().length;
    const rest = [ourRockets, ourAmmo, cheapAtStart, blueprint, metalShop];
    await poll([...rest, rival(128, 100)]); // 100/128 = 50/64 exactly: equal
    await poll([...rest, rival(128, 100)]);
    expect(shopPosts().slice(before)).toEqual([]);
    await poll([...rest, rival(32, 24)]); // 24/32 = 0.75 < 50/64
    await poll([...rest, rival(32, 24)]);
    expect(shopPosts().slice(before)).toEqual(['🛒 Ammo shop: undercut\nUndercut: 32 5.56 Rifle Ammo for 24 Scrap at N16 ("Rival"); yours: 64 5.56 Rifle Ammo for 50 Scrap']);
    await poll([...rest, rival(64, 60)]);
    await poll([...rest, rival(32, 24)]);
    expect(shopPosts().slice(before)).toHaveLength(2);
  });

  it("keeps a hostile rival's name on its line, and splits 60 undercuts into posts that fit an embed, none cut", async () => {
    const before = shopPosts().length;
    const rest = [ourRockets, ourAmmo, cheapAtStart, blueprint, metalShop, rival(32, 24)];
    const name = "@everyone\n🛒 Undercut\u202E [x](https://e.x)";
    const rivals = Array.from({ length: 60 }, (_, i) => ({ ...machine(700 + i, 100 + i * 40, name, [order(AMMO, 32, SCRAP, 24, 4)]), y: 2900 }));
    await poll([...rest, ...rivals]);
    const posts = fake.messages(channel("shop")).slice(before).flatMap((m) => m.embeds);
    const lines = posts.flatMap((e) => e.description!.split("\n"));
    expect(lines).toHaveLength(60);
    for (const line of lines) expect(line).toMatch(/^Undercut: 32 5\.56 Rifle Ammo for 24 Scrap at [A-Z]+\d+ \("@\u200beveryone 🛒 Undercut \\\[x\]\(https:\/\/e\.x\)"\); yours: 64 5\.56 Rifle Ammo for 50 Scrap$/);
    expect(lines.join("\n")).not.toMatch(/[\u202A-\u202E]|@everyone|[^\\]\[/);
    expect(posts.map((e) => e.title)).toEqual(posts.map((_, i) => `🛒 Ammo shop: undercut (${i + 1}/${posts.length})`));
    await poll(rest);
  });

  it("/shop mine lists the owner's shops with stock, sold today and the undercut state", async () => {
    const { content } = await mine();
    expect(content).toContain("🛒 **Ammo shop** · Rustopia EU\nStock and takings: 128 × 5.56 Rifle Ammo\nSold today: nothing yet");
    expect(content).toContain("undercut 2 times");
    expect(content).toContain("Rocket shop** · Rustopia EU\nStock and takings: 500 × Scrap");
    expect(content).toContain("Vending machine at C16: not undercut");
    const one = await mine(player, { shop: await deviceId(AMMO_SHOP) });
    expect(one.content).not.toContain("Rocket shop");
  });

  it("a guest sees the shops of the server shared with them; someone else has none", async () => {
    expect((await mine(guest)).content).toContain("🛒 **Ammo shop** · Rustopia EU (shared with you)");
    const refused = await mine(stranger);
    expect(refused.content).toContain("No shops yet.");
    expect((await mine(stranger, { shop: await deviceId(AMMO_SHOP) })).content).toContain("That is not one of your shops");
  });
});

describe("a wipe", () => {
  it("clears each shop's link to its vending marker: the old id is someone else's machine now; a fitting one links afresh", async () => {
    const info = rust.world.info;
    // Marker ids start again after a wipe: 502 (our ammo machine's id) is now a stranger's metal shop, and our
    // machine (still stocked, as far as the monitor's last reading says) lists under a new id.
    const wipeAt = (info.wipeTime + 2 * 86_400) * 1000;
    const stranger502 = machine(502, 900, "Not ours", [order(METAL, 100, SCRAP, 10, 5)]);
    const ammoNow = { ...ourAmmo, id: 9 };
    bot.shops.observe({ serverId, userId: "u", serverName: "Rustopia EU", mapSize: info.mapSize, wipeAt, monuments: [], npcVending: false, markers: [stranger502, ammoNow], now: timers.now() });
    await delivered();
    const rows = await bot.db.prisma.smartDevice.findMany({ orderBy: { name: "asc" }, select: { name: true, vendingMarkerId: true } });
    expect(rows).toEqual([{ name: "Ammo shop", vendingMarkerId: 9 }, { name: "Rocket shop", vendingMarkerId: null }]);
  });

  it("clears the links in a new process (after a restart) whose first answer is of a wipe since the stored listing", async () => {
    // As linked before the wipe, by a process that did not see it.
    await bot.db.prisma.smartDevice.updateMany({ where: { entityId: BigInt(AMMO_SHOP) }, data: { vendingMarkerId: 502 } });
    const stored = await bot.db.prisma.shopMarket.findUniqueOrThrow({ where: { pairedServerId: serverId } });
    const fresh = new ShopMarkets({ prisma: bot.db.prisma, logger: bot.ctx.logger });
    const undercuts = new OwnShopUndercuts({ prisma: bot.db.prisma, notifier: bot.notifier, logger: bot.ctx.logger });
    fresh.onUpdate(undercuts.listener);
    fresh.onForget(undercuts.forget);
    const wipeAt = stored.observedAt.getTime() + 1_000;
    const markers = [machine(502, 900, "Not ours", [order(METAL, 100, SCRAP, 10, 5)]), { ...ourAmmo, id: 7 }];
    fresh.observe({ serverId, userId: "u", serverName: "Rustopia EU", mapSize: rust.world.info.mapSize, wipeAt, monuments: [], npcVending: false, markers, now: wipeAt + 1_000 });
    await fresh.settled();
    const ammo = await bot.db.prisma.smartDevice.findFirstOrThrow({ where: { entityId: BigInt(AMMO_SHOP) } });
    expect(ammo.vendingMarkerId).toBe(7);
  });
});
