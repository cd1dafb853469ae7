// /shop search through the real discord.js client against the fake Discord, on listings stored as the market
// service keeps them (ShopMarket): cheapest first per currency with NPC shops marked, paging buttons, buy mode,
// unknown items, servers that report no vending machines, a frozen listing "as of" its time, and guests.
import type { APIActionRowComponent, APIButtonComponentWithCustomId, APIMessage } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PairedServer } from "../../src/generated/prisma/client.ts";
import type { SellOrder, VendingMachine } from "../../src/shop/types.ts";
import { seedGameData } from "../../src/tools/seed-game-data.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

const SCRAP = -932201673;
const ROCKET = -742865266; // stack 3
const METAL = 69511070; // stack 1000
const SULFUR = -1581843485;
const WOOD = -151838493;

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let owner: ReturnType<FakeDiscord["createUser"]>;
let guest: ReturnType<FakeDiscord["createUser"]>;
let stranger: ReturnType<FakeDiscord["createUser"]>;
let server: PairedServer;

const order = (o: Partial<SellOrder> & Pick<SellOrder, "itemId" | "currencyId" | "costPerItem">): SellOrder => ({ quantity: 1, amountInStock: 10, itemIsBlueprint: false, currencyIsBlueprint: false, ...o });
const machine = (markerId: number, x: number, y: number, name: string, orders: SellOrder[], npc = false): VendingMachine => ({ markerId, x, y, name, outOfStock: false, npc, orders });
const buttons = (message: APIMessage) => ((message.components ?? []) as APIActionRowComponent<APIButtonComponentWithCustomId>[]).flatMap((row) => row.components);
const search = (options: Record<string, string>, user = owner) => fake.sendCommand({ guildId, name: "shop", subcommand: "search", options: { server: server.id, ...options }, user }).then((h) => h.reply());

async function storeListing(machines: VendingMachine[], extra: { reported?: boolean; observedAt?: Date } = {}) {
  const data = { machines: machines as unknown as object, observedAt: extra.observedAt ?? new Date(), reported: extra.reported ?? true };
  await bot.db.prisma.shopMarket.upsert({ where: { pairedServerId: server.id }, create: { pairedServerId: server.id, ...data }, update: data });
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Shop team" }).id;
  bot = await startTestBot(fake);
  await seedGameData(bot.db.prisma, bot.ctx.logger);
  owner = fake.createUser();
  guest = fake.createUser();
  stranger = fake.createUser();
  const user = await linkUser(bot.db.prisma, owner.id);
  const guestUser = await linkUser(bot.db.prisma, guest.id);
  await linkUser(bot.db.prisma, stranger.id);
  server = await bot.db.prisma.pairedServer.create({
    data: { userId: user.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: 28082, playerSteamId: user.steamId, playerToken: Buffer.from("x"), playerTokenKeyVersion: 1 },
  });
  await bot.db.prisma.dashboardGuestAccess.create({ data: { ownerUserId: user.id, pairedServerId: server.id, guestUserId: guestUser.id, guestSteamId: guestUser.steamId } });
  // The map as read from the server once per wipe: 3000 m (150 m cells), Outpost in its middle.
  await bot.db.prisma.mapImage.create({
    data: { pairedServerId: server.id, wipeKey: "w", mapSize: 3000, width: 1, height: 1, oceanMargin: 0, image: Buffer.from([0]), monuments: [{ token: "outpost", x: 1500, y: 1500 }] },
  });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("/shop search", () => {
  it("lists the offers cheapest first per currency, exact fractions, stack prices, stock, blueprints and NPC shops", async () => {
    await storeListing([
      machine(1, 100, 2900, "Bob's *cheap* rockets", [order({ itemId: ROCKET, currencyId: SCRAP, costPerItem: 150, quantity: 1, amountInStock: 4 })]),
      machine(2, 1510, 1490, "Outpost", [order({ itemId: ROCKET, currencyId: SCRAP, costPerItem: 250, quantity: 2, amountInStock: 3 })], true),
      machine(3, 2900, 100, "", [
        order({ itemId: ROCKET, currencyId: SULFUR, costPerItem: 1000, quantity: 1 }),
        order({ itemId: ROCKET, currencyId: SCRAP, costPerItem: 100, quantity: 3, amountInStock: 2 }),
        order({ itemId: ROCKET, currencyId: SCRAP, costPerItem: 1, quantity: 1, amountInStock: 0 }), // sold out: not offered
        order({ itemId: ROCKET, currencyId: SCRAP, costPerItem: 50, quantity: 1, itemIsBlueprint: true, amountInStock: 1 }),
      ]),
    ]);
    const reply = await search({ item: "ammo.rocket.basic" });
    expect(reply.ephemeral).toBe(true);
    const lines = reply.content.split("\n");
    expect(lines[0]).toContain("**Rocket** for sale on **Rustopia EU**");
    expect(lines[0]).toContain("5 offers");
    // Scrap first, by exact unit price: 33.3… (100 per 3), 50, 125 (250 per 2), 150; then sulfur.
    expect(lines.slice(1)).toEqual([
      expect.stringMatching(/^1\. \*\*100 Scrap per 3\*\* · 100 a stack · 6 in stock · T19 · unnamed shop$/),
      expect.stringMatching(/^2\. \*\*50 Scrap each\*\* · 150 a stack · 1 in stock · blueprint · T19 · unnamed shop$/),
      expect.stringMatching(/^3\. \*\*125 Scrap each\*\* · 375 a stack · 6 in stock · K10 near Outpost · NPC shop$/),
      expect.stringMatching(/^4\. \*\*150 Scrap each\*\* · 450 a stack · 4 in stock · A0 · “Bob's cheap rockets”$/),
      expect.stringMatching(/^5\. \*\*1,000 Sulfur each\*\* · 3,000 a stack · 10 in stock · T19 · unnamed shop$/),
    ]);
    expect(buttons(reply)).toEqual([]);
  });

  it("shows a unit price under one as a decimal when exact, and a stack's price from the item's stack size", async () => {
    await storeListing([machine(1, 100, 100, "Frags", [order({ itemId: METAL, currencyId: SCRAP, costPerItem: 1, quantity: 2 }), order({ itemId: METAL, currencyId: SCRAP, costPerItem: 1, quantity: 3 })])]);
    const reply = await search({ item: "Metal Fragments" });
    expect(reply.content).toContain("1. **1 Scrap per 3** · ≈333.3 a stack · 30 in stock");
    expect(reply.content).toContain("2. **0.5 Scrap each** · 500 a stack · 20 in stock");
  });

  it("pages with Previous/Next buttons that show the listing's other offers", async () => {
    const machines = Array.from({ length: 23 }, (_, i) => machine(100 + i, 200 + i * 100, 1000, `Shop ${i}`, [order({ itemId: WOOD, currencyId: SCRAP, costPerItem: 23 - i, quantity: 100 })]));
    await storeListing(machines);
    const first = await search({ item: "wood" });
    expect(first.content).toContain("23 offers");
    expect(first.content).toContain("(page 1/3)");
    expect(first.content).toContain("1. **0.01 Scrap each**");
    expect(first.content).not.toContain("11. ");
    const byLabel = (m: APIMessage, label: string) => buttons(m).find((b) => b.label === label);
    const [previous, next] = [byLabel(first, "Previous"), byLabel(first, "Next")];
    expect(previous).toMatchObject({ label: "Previous", disabled: true });
    expect(next).toMatchObject({ label: "Next", custom_id: `shop-search:${server.id}:${WOOD}:s:1` });
    const second = await fake.clickButton({ guildId, customId: next!.custom_id, user: owner }).then((h) => h.reply());
    expect(second.content).toContain("(page 2/3)");
    expect(second.content).toContain("11. **0.11 Scrap each**");
    expect(second.content).not.toContain("\n1. ");
    const third = await fake.clickButton({ guildId, customId: byLabel(second, "Next")!.custom_id, user: owner }).then((h) => h.reply());
    expect(third.content).toContain("(page 3/3)");
    expect(third.content).toContain("23. **0.23 Scrap each**");
    expect(byLabel(third, "Next")).toMatchObject({ disabled: true });
    // Someone the server is not shared with cannot page it.
    const refused = await fake.clickButton({ guildId, customId: next!.custom_id, user: stranger }).then((h) => h.reply());
    expect(refused.content).not.toContain("Scrap each");
  });

  it("3,000 offers for one item: 300 pages, First and Last one press away, every page within Discord's limits", async () => {
    const machines = Array.from({ length: 500 }, (_, m) =>
      machine(1000 + m, 100 + (m % 25) * 110, 100 + Math.floor(m / 25) * 140, `Shop ${m} ${"x".repeat(40)}`, Array.from({ length: 6 }, (_, o) => order({ itemId: WOOD, currencyId: SCRAP, costPerItem: 1 + m * 6 + o, quantity: 1 }))),
    );
    await storeListing(machines);
    const first = await search({ item: "wood" });
    expect(first.content).toContain("3000 offers");
    expect(first.content).toContain("(page 1/300)");
    expect(buttons(first).map((b) => [b.label, b.disabled])).toEqual([["First", true], ["Previous", true], ["Next", false], ["Last (300)", false]]);
    const last = await fake.clickButton({ guildId, customId: buttons(first)[3]!.custom_id, user: owner }).then((h) => h.reply());
    expect(last.content).toContain("(page 300/300)");
    expect(last.content).toContain("3000. **3,000 Scrap each**");
    expect(last.content!.length).toBeLessThanOrEqual(2_000);
    expect(buttons(last).map((b) => [b.label, b.disabled])).toEqual([["First", false], ["Previous", false], ["Next", true], ["Last (300)", true]]);
    const ids = buttons(last).map((b) => b.custom_id);
    expect(new Set(ids).size).toBe(4);
    const back = await fake.clickButton({ guildId, customId: buttons(last)[0]!.custom_id, user: owner }).then((h) => h.reply());
    expect(back.content).toContain("(page 1/300)");
    // The page before last, whose Next and Last lead to the same page, still has four distinct ids.
    const before = await fake.clickButton({ guildId, customId: buttons(last)[1]!.custom_id, user: owner }).then((h) => h.reply());
    expect(before.content).toContain("(page 299/300)");
    expect(new Set(buttons(before).map((b) => b.custom_id)).size).toBe(4);
  });

  it("buy mode lists the offers that take the item as payment", async () => {
    await storeListing([
      machine(1, 100, 100, "Sulfur for scrap", [order({ itemId: SULFUR, currencyId: SCRAP, costPerItem: 50, quantity: 100 })]),
      machine(2, 200, 100, "Rockets", [order({ itemId: ROCKET, currencyId: SCRAP, costPerItem: 200 })]),
      machine(3, 300, 100, "Scrap for wood", [order({ itemId: WOOD, currencyId: SULFUR, costPerItem: 1, quantity: 1 })]),
    ]);
    const reply = await search({ item: "scrap", mode: "buy" });
    expect(reply.content).toContain("Offers taking **Scrap** as payment");
    expect(reply.content).toContain("2 offers");
    expect(reply.content).toContain("Sulfur: **0.5 Scrap each**");
    expect(reply.content).toContain("Rocket: **200 Scrap each**");
    expect(reply.content).not.toContain("Wood");
  });

  it("an unknown item gets a clear private answer with suggestions", async () => {
    await storeListing([]);
    const none = await search({ item: "zzzzqq" });
    expect(none.ephemeral).toBe(true);
    expect(none.content).toContain("No item matches `zzzzqq`");
    const several = await search({ item: "rocke" });
    expect(several.content).toMatch(/could mean: .*Rocket/);
  });

  it("a server that reports no vending machines is answered honestly, with /shop mine as the way that still works", async () => {
    await storeListing([], { reported: false });
    const reply = await search({ item: "wood" });
    expect(reply.content).toContain("does not report vending machines");
    expect(reply.content).toContain("August 2026");
    expect(reply.content).toContain("/shop mine");
    await bot.db.prisma.shopMarket.delete({ where: { pairedServerId: server.id } });
    await bot.db.prisma.pairedServer.update({ where: { id: server.id }, data: { unreportedMarkers: ["vending"] } });
    expect((await search({ item: "wood" })).content).toContain("does not report vending machines");
    await bot.db.prisma.pairedServer.update({ where: { id: server.id }, data: { unreportedMarkers: [] } });
    expect((await search({ item: "wood" })).content).toContain("no vending machine listing for **Rustopia EU** yet");
  });

  it("a listing of a server not connected now is shown as of the time it was last read", async () => {
    const observedAt = new Date(Date.UTC(2026, 10, 30, 10, 0, 0));
    await storeListing([machine(1, 100, 100, "Wood", [order({ itemId: WOOD, currencyId: SCRAP, costPerItem: 5, quantity: 100 })])], { observedAt });
    const reply = await search({ item: "wood" });
    expect(reply.content).toContain(`(as of <t:${observedAt.getTime() / 1000}:f>, the server is not connected now)`);
  });

  it("a guest searches a server shared with them; others are refused", async () => {
    await storeListing([machine(1, 100, 100, "Wood", [order({ itemId: WOOD, currencyId: SCRAP, costPerItem: 5, quantity: 100 })])]);
    const byGuest = await search({ item: "wood" }, guest);
    expect(byGuest.content).toContain("1. **0.05 Scrap each**");
    const byStranger = await search({ item: "wood" }, stranger);
    expect(byStranger.content).not.toContain("Scrap each");
    expect(byStranger.ephemeral).toBe(true);
  });
});
