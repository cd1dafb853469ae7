// Price history and /shop price: marker answers given to the bot's market service (as server events give them at
// every getMapMarkers answer) keep the lowest in-stock unit price per item, currency and UTC hour this wipe; frozen
// answers record nothing; a new wipe prunes the old one; /shop price answers a PNG chart of it through discord.js
// against the fake Discord; a month with two listed hours, one hour alone, huge and tiny prices, 400 currencies.
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PairedServer } from "../../src/generated/prisma/client.ts";
import { CHART_HEIGHT, CHART_WIDTH } from "../../src/shop/price-chart.ts";
import { seedGameData } from "../../src/tools/seed-game-data.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

const SCRAP = -932201673;
const SULFUR = -1581843485;
const ROCKET = -742865266;
const HOUR = 3_600_000;
const WIPE = Date.UTC(2026, 10, 26, 18, 0, 0);
const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let owner: ReturnType<FakeDiscord["createUser"]>;
let server: PairedServer;

interface RawOrder { itemId: number; currencyId: number; costPerItem: number; quantity?: number; amountInStock?: number; itemIsBlueprint?: boolean }
/** A vending marker as Rust+ sends it (AppMarker type 3): fields at their default may be absent. */
const vending = (id: number, orders: RawOrder[]) => ({ id, type: 3, x: 500 + id, y: 500, name: `Shop ${id}`, sellOrders: orders.map((o) => ({ quantity: 1, amountInStock: 5, ...o })) });

async function observe(now: number, markers: unknown[], wipeAt = WIPE) {
  bot.shops.observe({ serverId: server.id, userId: server.userId, serverName: server.serverName, mapSize: 3000, wipeAt, monuments: [{ token: "outpost", x: 1500, y: 1500 }], npcVending: true, markers, now });
  await bot.shops.settled();
}
const rows = () => bot.db.prisma.shopPriceHour.findMany({ where: { pairedServerId: server.id }, orderBy: [{ hour: "asc" }, { currencyId: "asc" }] });
const price = (options: Record<string, string>) => fake.sendCommand({ guildId, name: "shop", subcommand: "price", options: { server: server.id, ...options }, user: owner }).then((h) => h.reply());

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Price team" }).id;
  bot = await startTestBot(fake);
  await seedGameData(bot.db.prisma, bot.ctx.logger);
  owner = fake.createUser();
  const user = await linkUser(bot.db.prisma, owner.id);
  server = await bot.db.prisma.pairedServer.create({
    data: { userId: user.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: 28083, playerSteamId: user.steamId, playerToken: Buffer.from("x"), playerTokenKeyVersion: 1 },
  });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("price history", () => {
  it("keeps the lowest in-stock unit price per item, currency and hour; frozen answers and blueprints record nothing", async () => {
    expect((await price({ item: "ammo.rocket.basic" })).content).toContain("no vending machine listing");
    // The seeding answer is a real listing: it counts. The out-of-stock 10 and the blueprint 1 are not prices.
    await observe(T0 + 60_000, [
      vending(1, [{ itemId: ROCKET, currencyId: SCRAP, costPerItem: 300, quantity: 2 }, { itemId: ROCKET, currencyId: SCRAP, costPerItem: 10, amountInStock: 0 }]),
      vending(2, [{ itemId: ROCKET, currencyId: SCRAP, costPerItem: 1, itemIsBlueprint: true }, { itemId: ROCKET, currencyId: SULFUR, costPerItem: 1400 }]),
    ]);
    expect((await rows()).map((r) => [r.hour.getTime(), r.itemId, r.currencyId, r.cost, r.quantity])).toEqual([
      [T0, ROCKET, SULFUR, 1400, 1],
      [T0, ROCKET, SCRAP, 300, 2],
    ]);
    // Later that hour: 140 for 1 is lower than 300 for 2 (150): kept; 151 afterwards is not.
    await observe(T0 + 20 * 60_000, [vending(1, [{ itemId: ROCKET, currencyId: SCRAP, costPerItem: 140 }])]);
    await observe(T0 + 40 * 60_000, [vending(1, [{ itemId: ROCKET, currencyId: SCRAP, costPerItem: 151 }])]);
    // No vending machines on a map with NPC shops: not believed (frozen), nothing recorded.
    await observe(T0 + 50 * 60_000, []);
    // The next hour starts its own row, even at a higher price.
    await observe(T0 + HOUR + 60_000, [vending(1, [{ itemId: ROCKET, currencyId: SCRAP, costPerItem: 151 }])]);
    await observe(T0 + 3 * HOUR + 60_000, [vending(1, [{ itemId: ROCKET, currencyId: SCRAP, costPerItem: 500, quantity: 3 }])]);
    expect((await rows()).filter((r) => r.currencyId === SCRAP).map((r) => [r.hour.getTime(), r.cost, r.quantity, r.wipeAt.getTime()])).toEqual([
      [T0, 140, 1, WIPE],
      [T0 + HOUR, 151, 1, WIPE],
      [T0 + 3 * HOUR, 500, 3, WIPE],
    ]);
  });

  it("/shop price answers a PNG chart of the hours this wipe in the most listed currency", async () => {
    const reply = await price({ item: "rocket" });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toContain("Lowest listed price of **Rocket** in Scrap per hour on **Rustopia EU** this wipe (3 hours with a listing)");
    expect(reply.content).toContain(`Latest (hour of <t:${(T0 + 3 * HOUR) / 1000}:f>): 500 Scrap per 3.`);
    expect(reply.content).toContain(`Lowest this wipe: 140 Scrap each (hour of <t:${T0 / 1000}:f>)`);
    expect(reply.content).toContain("Also listed for: Sulfur");
    expect(reply.attachments).toEqual([expect.objectContaining({ filename: "price.png", content_type: "image/png" })]);
    const bytes = fake.attachment(reply.attachments[0]!.url)!;
    expect([...bytes.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const png = PNG.sync.read(Buffer.from(bytes));
    expect([png.width, png.height]).toEqual([CHART_WIDTH, CHART_HEIGHT]);
    // The line is drawn: pixels of its colour (#ce422b) are there.
    let line = 0;
    for (let i = 0; i < png.data.length; i += 4) if (png.data[i] === 0xce && png.data[i + 1] === 0x42 && png.data[i + 2] === 0x2b) line++;
    expect(line).toBeGreaterThan(100);

    const sulfur = await price({ item: "rocket", currency: "sulfur" });
    expect(sulfur.content).toContain("in Sulfur per hour");
    expect(sulfur.content).toContain("1,400 Sulfur each");
    const wood = await price({ item: "rocket", currency: "wood" });
    expect(wood.content).toContain("Rocket was not listed for Wood on **Rustopia EU** this wipe; it was for: Scrap, Sulfur.");
    expect(wood.attachments).toEqual([]);
    const none = await price({ item: "metal.fragments" });
    expect(none.content).toContain("has listed Metal Fragments in stock this wipe");
    expect(none.attachments).toEqual([]);
  });

  it("a new wipe prunes the old wipe's hours", async () => {
    const next = WIPE + 7 * 24 * HOUR;
    await observe(next + HOUR, [vending(1, [{ itemId: ROCKET, currencyId: SCRAP, costPerItem: 99 }])], next);
    expect((await rows()).map((r) => [r.wipeAt.getTime(), r.cost])).toEqual([[next, 99]]);
    expect((await price({ item: "rocket" })).content).toContain("(1 hour with a listing)");
  });

  describe("at the chart's and the reply's limits", () => {
    const WOOD = -151838493;
    const STONES = -2099697608;
    const chartOf = async (options: Record<string, string>) => {
      const reply = await price(options);
      expect(reply.attachments, reply.content).toHaveLength(1);
      expect(reply.content!.length).toBeLessThanOrEqual(2_000);
      const png = PNG.sync.read(Buffer.from(fake.attachment(reply.attachments[0]!.url)!));
      let line = 0;
      for (let i = 0; i < png.data.length; i += 4) if (png.data[i] === 0xce && png.data[i + 1] === 0x42 && png.data[i + 2] === 0x2b) line++;
      return { content: reply.content!, line };
    };
    const hourRows = async (itemId: number, rows: { hour: number; cost: number; quantity: number; currencyId?: number }[]) => {
      const wipeAt = (await bot.db.prisma.shopPriceHour.findFirstOrThrow({ where: { pairedServerId: server.id }, orderBy: { wipeAt: "desc" } })).wipeAt;
      await bot.db.prisma.shopPriceHour.createMany({ data: rows.map((r) => ({ pairedServerId: server.id, itemId, currencyId: r.currencyId ?? SCRAP, hour: new Date(r.hour), wipeAt, cost: r.cost, quantity: r.quantity })) });
      return wipeAt.getTime();
    };

    it("a month of hours with the item listed in only two of them draws both hours", async () => {
      const wipe = await hourRows(WOOD, []);
      await hourRows(WOOD, [{ hour: wipe + HOUR, cost: 2 ** 31 - 1, quantity: 1 }, { hour: wipe + 720 * HOUR, cost: 1, quantity: 1000 }]);
      const { content, line } = await chartOf({ item: "wood" });
      expect(content).toContain("(2 hours with a listing)");
      expect(content).toContain("Latest (hour of");
      expect(content).toMatch(/: 0\.001 Scrap each\. Lowest this wipe: 0\.001 Scrap each/);
      // Two points of radius 3 (about 28 pixels each): drawn, where before the chart was empty.
      expect(line).toBeGreaterThan(30);
    });

    it("one listed hour alone, at 2,147,483,647 each: a solid point, the price written out exactly", async () => {
      const wipe = await hourRows(STONES, []);
      await hourRows(STONES, [{ hour: wipe + 2 * HOUR, cost: 2 ** 31 - 1, quantity: 1 }]);
      const one = await chartOf({ item: "stones" });
      expect(one.content).toContain("(1 hour with a listing)");
      expect(one.content).toContain("2,147,483,647 Scrap each");
      expect(one.line).toBeGreaterThan(10);
    });

    it("an item listed for 400 currencies names the first ones and counts the rest, within Discord's 2,000 characters", async () => {
      const currencies = (await bot.db.prisma.item.findMany({ where: { id: { notIn: [SCRAP, STONES] } }, orderBy: { id: "asc" }, take: 400, select: { id: true } })).map((i) => i.id);
      const wipe = await hourRows(STONES, []);
      await hourRows(STONES, currencies.map((currencyId) => ({ hour: wipe + 3 * HOUR, cost: 5, quantity: 1, currencyId })));
      const { content } = await chartOf({ item: "stones", currency: "scrap" });
      expect(content).toMatch(/Also listed for: .+ and \d+ more \(`currency:`\)\.$/);
      const refused = await price({ item: "stones", currency: "wood" });
      expect(refused.content!.length).toBeLessThanOrEqual(2_000);
    });
  });
});
