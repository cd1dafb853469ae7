// Own shops at their limits and against their neighbours: the team's second shop selling cheaper and an NPC shop at
// Outpost are no undercut (only a player rival is); /shop mine with 20 shops of 30 items each, and one shop of 30
// items, counts whatever it leaves out; a monitor whose readings turn into a large box's stops being a shop and its
// changes are no sale; the daily summary on a day whose midnight the clocks skip, and 620 lines in UTC+14 split into
// posts, none cut. discord.js against the fake Discord, rustplus.js against the fake Rust server, one virtual clock.
import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SyncDrawn } from "../../src/devices/device-sync.ts";
import { POLL_EVERY_MS } from "../../src/events/server-events.ts";
import { postDailySummaries } from "../../src/shop/own/daily-summary.ts";
import { seedItems } from "../../src/tools/items/seed-items.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { EntityType, FakeRustServer, MarkerType, type Item, type Marker, type SellOrder } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";
import { npcShops, OUTPOST } from "../helpers/shop.ts";

const TOKEN = 727_272;
const FIRST = 5001; // the ammo shop
const SECOND = 5002; // the team's second shop: ammo and a rocket
const BIG_FIRST = 5100; // 20 shops of 30 distinct items each
const ROCKET = -742865266;
const SCRAP = -932201673;
const AMMO = -1211166256;

const stack = (itemId: number, quantity: number): Item => ({ itemId, quantity, itemIsBlueprint: false });
const order = (itemId: number, quantity: number, costPerItem: number, amountInStock: number): SellOrder => ({
  itemId, quantity, currencyId: SCRAP, costPerItem, amountInStock, itemIsBlueprint: false, currencyIsBlueprint: false,
});
const machine = (id: number, x: number, name: string, sellOrders: SellOrder[]): Marker => ({ id, type: MarkerType.VendingMachine, x, y: 500, name, outOfStock: false, sellOrders });

const firstStock = [stack(AMMO, 128)];
const secondStock = [stack(AMMO, 64), stack(ROCKET, 1)];
const ours = machine(601, 400, "Ammo", [order(AMMO, 64, 50, 2)]);
const oursSecond = (cost: number) => machine(602, 800, "Ammo too", [order(AMMO, 64, cost, 1), order(ROCKET, 1, 100, 1)]);
const rival = (cost: number) => machine(603, 2000, "Rival", [order(AMMO, 64, cost, 4)]);
// Outpost's NPC shop (test/helpers/shop.ts places it inside the fake map's Outpost).
const outpost = (cost: number) => npcShops(OUTPOST, 9000, [[order(AMMO, 64, cost, 10)]]);

let timers: ManualTimers;
let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let serverId: string;
let player: ReturnType<FakeDiscord["createUser"]>;
let itemIds: number[];
let userId: string;
const drawn = new Log<SyncDrawn>();

const channel = (name: string) => fake.channels(guildId).find((c) => c.name === name)!.id;
const shopPosts = () => fake.messages(channel("shop")).flatMap((m) => m.embeds.map((e) => `${e.title}\n${e.description}`));
const mine = (options: Record<string, string> = {}) => fake.sendCommand({ guildId, name: "shop", subcommand: "mine", options, user: player }).then((h) => h.reply());
const deviceId = async (entityId: number) => (await bot.db.prisma.smartDevice.findFirstOrThrow({ where: { entityId: BigInt(entityId) } })).id;
const bigStock = (n: number) => itemIds.map((id, i) => stack(id, 1000 + n * 30 + i));
const contents = (items: readonly Item[]) => ({ items: items.map((i) => ({ ...i })), capacity: 30, hasProtection: false, protectionExpiry: 0 });

async function delivered() {
  await bot.devices.idle();
  await bot.ownShops.idle();
  await bot.events.settled();
  await bot.shops.settled();
  await bot.notifier.idle();
}

async function poll(markers: Marker[]) {
  rust.setMarkers(markers);
  timers.advance(POLL_EVERY_MS);
  await delivered();
}

beforeAll(async () => {
  timers = new ManualTimers();
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Shop Limits" }).id;
  bot = await startTestBot(fake, { rust: { timers, requestTimeoutMs: 600_000, infoEveryMs: 3_600_000, backoff: { baseMs: 1_000, maxMs: 1_000 } } });
  await seedItems(bot.db.prisma);
  // 30 distinct items with long-ish names, none of them ammo, rocket or scrap.
  itemIds = (await bot.db.prisma.item.findMany({ where: { id: { notIn: [ROCKET, SCRAP, AMMO] } }, orderBy: { name: "desc" }, take: 30, select: { id: true } })).map((i) => i.id);
  bot.devices.onDrawn((d) => drawn.push(d));
  player = fake.createUser();
  const user = await linkUser(bot.db.prisma, player.id);
  userId = user.id;
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: player, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
  const monitors: [number, string, Item[]][] = [
    [FIRST, "Ammo shop", firstStock],
    [SECOND, "Second shop", secondStock],
    ...Array.from({ length: 20 }, (_, n): [number, string, Item[]] => [BIG_FIRST + n, `Big shop ${String(n + 1).padStart(2, "0")}`, bigStock(n)]),
  ];
  rust = await FakeRustServer.start({
    clock: timers.now,
    players: [{ steamId: user.steamId, playerToken: TOKEN }],
    world: {
      entities: Object.fromEntries(monitors.map(([id, , items]) => [id, { type: EntityType.StorageMonitor, items, capacity: 30, hasProtection: false, protectionExpiry: 0 }])),
      markers: [ours, oursSecond(60), rival(60), ...outpost(60)],
    },
  });
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  serverId = (
    await bot.db.prisma.pairedServer.create({
      data: { userId: user.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: rust.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: false },
    })
  ).id;
  for (const [entityId, name, items] of monitors) {
    await bot.db.prisma.smartDevice.create({ data: { pairedServerId: serverId, kind: "STORAGE_MONITOR", entityId: BigInt(entityId), name, contents: contents(items) } });
  }
  const from = drawn.items.length;
  // Live only once its devices exist, and waited on before: a fleet round may connect a live server at any
  // time, and a session seeded before seeded() was asked would never be seen (the hook then timed out in CI).
  const seeded = bot.events.seeded(serverId);
  await bot.db.prisma.pairedServer.update({ where: { id: serverId }, data: { live: true } });
  await bot.ctx.rust.connect(serverId);
  await seeded;
  // 22 readings are more than the player's request bucket holds (src/rustplus/rate-budget.ts): the clock refills it.
  const read = () => new Set(drawn.items.slice(from).filter((d) => d.changedAt === null).map((d) => d.device.entityId)).size;
  for (let i = 0; read() < monitors.length && i < 60; i++) {
    timers.advance(1_000);
    await new Promise((r) => setImmediate(r));
    await bot.events.settled();
  }
  await delivered();
  expect(read()).toBe(monitors.length);
}, 60_000);
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});

describe("undercuts: who is a rival", () => {
  it("the team's second shop selling cheaper and Outpost's NPC shop are no undercut; a player rival is", async () => {
    await poll([ours, oursSecond(60), rival(60), ...outpost(60)]);
    const links = await bot.db.prisma.smartDevice.findMany({ where: { entityId: { in: [BigInt(FIRST), BigInt(SECOND)] } }, orderBy: { name: "asc" }, select: { name: true, vendingMarkerId: true } });
    expect(links).toEqual([{ name: "Ammo shop", vendingMarkerId: 601 }, { name: "Second shop", vendingMarkerId: 602 }]);
    const before = shopPosts().length;
    await poll([ours, oursSecond(40), rival(60), ...outpost(10)]);
    await poll([ours, oursSecond(40), rival(45), ...outpost(10)]);
    expect(shopPosts().slice(before)).toEqual(['🛒 Ammo shop: undercut\nUndercut: 64 5.56 Rifle Ammo for 45 Scrap at N16 ("Rival"); yours: 64 5.56 Rifle Ammo for 50 Scrap']);
    const { content } = await mine({ shop: await deviceId(FIRST) });
    expect(content).toContain("undercut 1 time\n");
    expect(content).not.toMatch(/NPC|Ammo too/);
  });
});

describe("/shop mine at Discord's limits", () => {
  it("one shop of 30 distinct items lists all 30", async () => {
    const { content } = await mine({ shop: await deviceId(BIG_FIRST) });
    const stockLine = content!.split("\n").find((l) => l.startsWith("Stock and takings: "))!;
    expect(stockLine.split(", ")).toHaveLength(30);
    expect(stockLine).not.toMatch(/…|more items/);
  });

  it("22 shops, 20 of them with 30 items: each cut list and each left-out shop is counted", async () => {
    const reply = await mine();
    const content = reply.content!;
    expect(content.length).toBeLessThanOrEqual(2_000);
    expect(content).toMatch(/… and \d+ more \(narrow it with `server:` or `shop:`\)$/);
    const stockLines = content.split("\n").filter((l) => l.startsWith("Stock and takings: "));
    expect(stockLines.length).toBeGreaterThan(0);
    for (const line of stockLines.filter((l) => l.includes("Big shop") || l.split(", ").length > 5)) {
      expect(line).toMatch(/, and \d+ more items \(pick `shop:` to see more\)$/);
      expect(line).not.toContain("…");
    }
    const shown = content.split("\n").filter((l) => l.startsWith("🛒 ")).length;
    const left = Number(/… and (\d+) more/.exec(content)![1]);
    expect(shown + left).toBe(22);
  });
});

describe("a monitor whose box is no vending machine", () => {
  it("is no shop once its readings say a large box (48 slots): changes are no sale, /shop mine leaves it out", async () => {
    const before = shopPosts().length;
    const from = drawn.items.length;
    rust.setStorage(SECOND, [stack(AMMO, 10), stack(SCRAP, 500)], { capacity: 48 });
    await drawn.waitFor((d) => d.device.entityId === BigInt(SECOND) && d.changedAt instanceof Date, from);
    await delivered();
    await poll([ours, oursSecond(40), rival(45), ...outpost(10)]);
    expect(shopPosts().slice(before)).toEqual([]);
    expect((await mine({ shop: await deviceId(SECOND) })).content).toContain("That is not one of your shops");
    expect((await bot.db.prisma.smartDevice.findFirstOrThrow({ where: { entityId: BigInt(SECOND) } })).vendingMarkerId).toBeNull();
  });
});

describe("the daily summary", () => {
  const sale = async (entityId: number, itemId: number, quantity: number, at: string) =>
    bot.db.prisma.shopSale.create({ data: { deviceId: await deviceId(entityId), itemId, itemIsBlueprint: false, quantity, at: new Date(at) } });
  const summary = async (timeZone: string, now: string) => {
    await bot.db.prisma.user.update({ where: { id: userId }, data: { timeZone } });
    const before = fake.messages(channel("shop")).length;
    await postDailySummaries(bot.db.prisma, bot.notifier, new Date(now));
    await bot.notifier.idle();
    return fake.messages(channel("shop")).slice(before).flatMap((m) => m.embeds);
  };

  it("on a day whose midnight the clocks skip (Chile, 6 Sep 2026: 00:00 → 01:00) holds that day's sales only", async () => {
    await sale(FIRST, AMMO, 64, "2026-09-06T03:30:00Z"); // 23:30 on 5 Sep (UTC−4)
    await sale(FIRST, AMMO, 128, "2026-09-06T05:00:00Z"); // 02:00 on 6 Sep (UTC−3)
    const posts = await summary("America/Santiago", "2026-09-07T04:30:00Z");
    expect(posts.map((e) => `${e.title}\n${e.description}`)).toEqual(["🛒 Sales on 2026-09-06\nAmmo shop: 128 items sold\n· 128 × 5.56 Rifle Ammo"]);
  });

  it("in UTC+14 (Kiritimati), 20 shops × 30 items sold are split into posts that fit, none cut", async () => {
    // 1 Oct in Kiritimati is 30 Sep 10:00 to 1 Oct 10:00 UTC.
    for (let n = 0; n < 20; n++) {
      const id = await deviceId(BIG_FIRST + n);
      await bot.db.prisma.shopSale.createMany({ data: itemIds.map((itemId, i) => ({ deviceId: id, itemId, itemIsBlueprint: false, quantity: 1 + i, at: new Date("2026-09-30T11:00:00Z") })) });
    }
    await sale(BIG_FIRST, itemIds[0]!, 5, "2026-09-30T09:30:00Z"); // 23:30 on 30 Sep there: not in the summary
    const posts = await summary("Pacific/Kiritimati", "2026-10-01T10:30:00Z");
    expect(posts.length).toBeGreaterThan(1);
    expect(posts.map((e) => e.title)).toEqual(posts.map((_, i) => `🛒 Sales on 2026-10-01 (${i + 1}/${posts.length})`));
    const lines = posts.flatMap((e) => e.description!.split("\n"));
    expect(lines).toHaveLength(20 * 31);
    expect(lines.filter((l) => l.endsWith(": 465 items sold"))).toHaveLength(20);
    for (const e of posts) expect(e.description!.length).toBeLessThanOrEqual(4_096);
    expect(lines.join("\n")).not.toContain("…");
  });
});
