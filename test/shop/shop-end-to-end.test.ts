// Shop tracking as one product: the bot (discord.js against the fake Discord, rustplus.js against the fake Rust+
// server, one virtual clock) on a world with Outpost and Bandit Camp NPC shops, players' shops and the team's own
// vending machine with its storage monitor. /shop search, a tracked item's alerts (appears → drops → sold out → back),
// an own shop's sale and sell-out, undercuts (same currency lower; another currency and an equal price are none),
// /shop price's PNG, a socket drop and reconnect in the middle (nothing gone, nothing repeated), then the server
// switching its vending markers off like official servers in August 2026: search says so, own shop sales still come.
// Finally /server remove leaves no shop rows.
import { PermissionFlagsBits, type APIUser } from "discord.js";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SyncDrawn } from "../../src/devices/device-sync.ts";
import { POLL_EVERY_MS } from "../../src/events/server-events.ts";
import type { ConnectionState } from "../../src/rustplus/connection.ts";
import { seedItems } from "../../src/tools/items/seed-items.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import type { OptionValue } from "../fakes/discord/interactions.ts";
import { EntityType, FakeRustServer, OFFICIAL_2026_REPORTED_MARKERS, type Item, type Marker } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";
import { BANDIT_CAMP, banditCampShops, ITEM, OUTPOST, outpostShops, sellOrder, vendingMachine } from "../helpers/shop.ts";

const TOKEN = 707_070;
const MONITOR = 4001;
let timers: ManualTimers;
let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let serverId: string;
let alice: APIUser;
const drawn = new Log<SyncDrawn>();
const states = new Log<{ serverId: string; state: ConnectionState }>();

// Our machine (its storage monitor holds its stock and takings) sells rockets at 100 scrap each.
const ours = (left: number) => vendingMachine(501, 400, 500, [sellOrder(ITEM.rocket, { costPerItem: 100, amountInStock: left })], "Our rockets");
const akShop = vendingMachine(601, 2400, 2400, [sellOrder(ITEM.ak, { costPerItem: 400, amountInStock: 1 })], "AK corner");
const rocketsAt = (id: number, cost: number, left = 5, currencyId: number = ITEM.scrap) =>
  vendingMachine(id, 600 + id, 2000, [sellOrder(ITEM.rocket, { costPerItem: cost, amountInStock: left, currencyId })], `Shop ${id}`);
const npc = () => [...outpostShops(), ...banditCampShops()];
const rockets = (n: number): Item[] => [{ itemId: ITEM.rocket, quantity: n, itemIsBlueprint: false }];
const scrap = (n: number): Item[] => [{ itemId: ITEM.scrap, quantity: n, itemIsBlueprint: false }];

const shopPosts = () => {
  const channel = fake.channels(guildId).find((c) => c.name === "shop");
  return channel ? fake.messages(channel.id).flatMap((m) => m.embeds.map((e) => `${e.title}\n${e.description ?? ""}`)) : [];
};
const cmd = (subcommand: string, options: Record<string, OptionValue> = {}, name = "shop") =>
  fake.sendCommand({ guildId, name, subcommand, user: alice, options, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());

async function delivered() {
  await bot.devices.idle();
  await bot.ownShops.idle();
  await bot.events.settled();
  await bot.shops.settled();
  await bot.notifier.idle();
}
/** One marker poll with these player shops (NPC shops always stand), everything it caused delivered. */
async function poll(...markers: Marker[]) {
  rust.setMarkers([...npc(), ...markers]);
  timers.advance(POLL_EVERY_MS);
  await delivered();
}
/** The monitor's new contents in game, drawn and handled by the bot. */
async function stock(items: Item[]) {
  const from = drawn.items.length;
  rust.setStorage(MONITOR, items);
  await drawn.waitFor((d) => d.device.entityId === BigInt(MONITOR) && d.changedAt instanceof Date && JSON.stringify((d.device.contents as { items: unknown }).items) === JSON.stringify(items), from);
  await delivered();
}

beforeAll(async () => {
  timers = new ManualTimers();
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Shop Base" }).id;
  bot = await startTestBot(fake, {
    env: { SELF_HOSTED_TIER: "SCOUT", INTEL_POLL_INTERVAL_MS: "3600000" },
    rust: { timers, requestTimeoutMs: 600_000, infoEveryMs: 3_600_000, backoff: { baseMs: 1_000, maxMs: 1_000 } },
  });
  await seedItems(bot.db.prisma);
  bot.devices.onDrawn((d) => drawn.push(d));
  bot.ctx.rust.on("state", (id, state) => states.push({ serverId: id, state }));
  alice = fake.createUser({ username: "alice" });
  const user = await linkUser(bot.db.prisma, alice.id);
  await cmd("run", {}, "setup");
  await bot.db.prisma.user.update({ where: { id: user.id }, data: { notificationGuildId: guildId } });
  rust = await FakeRustServer.start({
    clock: timers.now,
    players: [{ steamId: user.steamId, playerToken: TOKEN }],
    world: {
      map: { monuments: [OUTPOST, BANDIT_CAMP, { token: "launchsite", x: 700, y: 2300 }] },
      entities: { [MONITOR]: { type: EntityType.StorageMonitor, items: rockets(10), capacity: 30, hasProtection: false, protectionExpiry: 0 } },
      markers: [...npc(), ours(10), akShop],
    },
  });
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  serverId = (
    await bot.db.prisma.pairedServer.create({
      data: { userId: user.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: rust.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    })
  ).id;
  // The monitor was paired earlier: the bot read its contents then.
  await bot.db.prisma.smartDevice.create({
    data: { pairedServerId: serverId, kind: "STORAGE_MONITOR", entityId: BigInt(MONITOR), name: "Rocket shop", contents: { items: rockets(10).map((i) => ({ ...i })), capacity: 30, hasProtection: false, protectionExpiry: 0 } },
  });
  const from = drawn.items.length;
  const seeded = bot.events.seeded(serverId);
  await bot.ctx.rust.connect(serverId);
  await seeded;
  await drawn.waitFor((d) => d.device.entityId === BigInt(MONITOR) && d.changedAt === null, from);
  await delivered();
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});

describe("shop tracking end to end", () => {
  it("lists /shop in /help and finds NPC and player offers with /shop search", async () => {
    const help = await fake.sendCommand({ guildId, name: "help", user: alice }).then((h) => h.reply());
    for (const sub of ["search", "track", "list", "untrack", "mine", "price"]) expect(help.embeds[0]?.description).toContain(`**/shop ${sub}**`);
    const hqm = await cmd("search", { item: "metal.refined", server: serverId });
    expect(hqm.content).toContain("**High Quality Metal** for sale on **Rustopia EU**");
    expect(hqm.content).toMatch(/\*\*25 Scrap each\*\* .* near Outpost · NPC shop/);
    const ownRockets = await cmd("search", { item: "ammo.rocket.basic", server: serverId });
    expect(ownRockets.content).toMatch(/1\. \*\*100 Scrap each\*\* .*10 in stock .*“Our rockets”/);
    expect(shopPosts()).toEqual([]);
  });

  it("tells a tracked item's transitions once each, and undercuts in the same currency only", async () => {
    expect((await cmd("track", { item: "ammo.rocket.basic", "max-price": "90", server: serverId })).content).toContain("Tracking **Rocket** at or under 90 Scrap each");
    await poll(ours(10), akShop, rocketsAt(603, 120));
    // Over the limit and dearer than ours: nothing.
    expect(shopPosts()).toEqual([]);
    await poll(ours(10), akShop, rocketsAt(603, 85)); // drops under the limit and under our price
    await poll(ours(10), akShop, rocketsAt(603, 85), rocketsAt(604, 50, 5, ITEM.metalFragments), rocketsAt(605, 100)); // other currency, equal price
    await poll(ours(10), akShop, rocketsAt(603, 85, 0)); // sold out
    await poll(ours(10), akShop, rocketsAt(603, 85, 2)); // back
    await poll(ours(10), akShop, rocketsAt(603, 85, 2), rocketsAt(606, 80)); // a new cheaper shop appears
    await poll(ours(10), akShop, rocketsAt(603, 85, 2), rocketsAt(606, 80));
    const posts = shopPosts();
    expect(posts.filter((p) => p.startsWith("🛒 Tracked items"))).toEqual([
      expect.stringMatching(/^🛒 Tracked items: 1 offered\n📉 Rocket: now 85 Scrap each \(limit 90\) · 5 in stock · .* · Shop 603$/),
      expect.stringMatching(/^🛒 Tracked items: 1 gone\n❌ Rocket: gone: sold out \(was 85 Scrap each\) · .* · Shop 603$/),
      expect.stringMatching(/^🛒 Tracked items: 1 offered\n🔄 Rocket: back in stock, 85 Scrap each · 2 in stock · .* · Shop 603$/),
      expect.stringMatching(/^🛒 Tracked items: 1 offered\n🆕 Rocket: 80 Scrap each · 5 in stock · .* · Shop 606$/),
    ]);
    // Undercut when 603 went under 100 scrap, again when it was back in stock (a new transition), and for 606; never
    // for 604 (metal fragments) or 605 (100 scrap, equal).
    const undercuts = posts.filter((p) => p.startsWith("🛒 Rocket shop: undercut"));
    expect(undercuts).toEqual([
      expect.stringMatching(/^🛒 Rocket shop: undercut\nUndercut: 1 Rocket for 85 Scrap at .* \("Shop 603"\); yours: 1 Rocket for 100 Scrap$/),
      expect.stringMatching(/^🛒 Rocket shop: undercut\nUndercut: 1 Rocket for 85 Scrap at .* \("Shop 603"\); yours: 1 Rocket for 100 Scrap$/),
      expect.stringMatching(/^🛒 Rocket shop: undercut\nUndercut: 1 Rocket for 80 Scrap at .* \("Shop 606"\); yours: 1 Rocket for 100 Scrap$/),
    ]);
    expect(posts.join("\n")).not.toMatch(/Shop 60[45]/);
  });

  it("posts our shop's sale and its sell-out once each", async () => {
    const before = shopPosts().length;
    await stock([...rockets(7), ...scrap(300)]);
    await poll(ours(7), akShop, rocketsAt(603, 85, 2), rocketsAt(606, 80));
    await stock(scrap(1000));
    await poll(ours(0), akShop, rocketsAt(603, 85, 2), rocketsAt(606, 80));
    expect(shopPosts().slice(before)).toEqual(["🛒 Rocket shop\nSold 3 × Rocket", "🛒 Rocket shop\nSold 7 × Rocket\nSold out: Rocket"]);
    expect((await bot.db.prisma.shopSale.findMany()).map((s) => s.quantity)).toEqual([3, 7]);
  });

  it("answers /shop price with a PNG chart", async () => {
    const reply = await cmd("price", { item: "ammo.rocket.basic", server: serverId });
    expect(reply.attachments).toEqual([expect.objectContaining({ filename: "price.png", content_type: "image/png" })]);
    const png = PNG.sync.read(Buffer.from(fake.attachment(reply.attachments[0]!.url)!));
    expect(png.width).toBeGreaterThan(100);
  });

  it("reads a socket drop and reconnect as nothing gone and nothing new, then tells the next change once", async () => {
    const before = shopPosts().length;
    const at = states.items.length;
    rust.dropConnections();
    await states.waitFor((e) => e.serverId === serverId && e.state.kind !== "connected", at);
    await delivered();
    // Meanwhile 606 was taken down and 603 restocked: no news when the bot is back (it did not see them happen).
    rust.setMarkers([...npc(), ours(0), akShop, rocketsAt(603, 85, 4)]);
    const seeded = bot.events.seeded(serverId);
    timers.advance(1_000);
    await seeded;
    await delivered();
    await poll(ours(0), akShop, rocketsAt(603, 85, 4));
    expect(shopPosts().slice(before)).toEqual([]);
    await poll(ours(0), akShop, rocketsAt(603, 85, 4), rocketsAt(607, 70));
    await poll(ours(0), akShop, rocketsAt(603, 85, 4), rocketsAt(607, 70));
    expect(shopPosts().slice(before)).toEqual([expect.stringMatching(/^🛒 Tracked items: 1 offered\n🆕 Rocket: 70 Scrap each · 5 in stock · .* · Shop 607$/)]);
  });

  it("says plainly that the server reports no vending machines once it stops, and still tells our shop's sales", async () => {
    const before = shopPosts().length;
    rust.world.reportedMarkers = new Set(OFFICIAL_2026_REPORTED_MARKERS);
    await poll(ours(5), akShop, rocketsAt(603, 85, 4), rocketsAt(607, 70));
    await poll(ours(5), akShop, rocketsAt(603, 85, 4), rocketsAt(607, 70));
    const search = await cmd("search", { item: "ammo.rocket.basic", server: serverId });
    expect(search.content).toContain("**Rustopia EU** does not report vending machines through Rust+");
    expect(search.content).toContain("`/shop mine`");
    expect(shopPosts().slice(before)).toEqual([]); // nothing reads as gone
    await stock([...rockets(5), ...scrap(1000)]); // restocked: not a sale
    await stock([...rockets(4), ...scrap(1100)]);
    expect(shopPosts().slice(before)).toEqual(["🛒 Rocket shop\nSold 1 × Rocket"]);
  });

  it("leaves no shop rows once the server is removed", async () => {
    expect(await bot.db.prisma.shopMarket.count()).toBe(1);
    expect(await bot.db.prisma.shopPriceHour.count()).toBeGreaterThan(0);
    const reply = await cmd("remove", { server: serverId }, "server");
    expect(reply.content).toMatch(/[Rr]emoved/);
    await delivered();
    expect([await bot.db.prisma.shopMarket.count(), await bot.db.prisma.shopPriceHour.count(), await bot.db.prisma.trackedShopItem.count(), await bot.db.prisma.shopSale.count()]).toEqual([0, 0, 0, 0]);
  });
});
