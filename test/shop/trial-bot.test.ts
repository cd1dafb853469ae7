// /shop against odd users and a hostile game server, end to end: the bot (real discord.js against the fake Discord)
// polls the fake Rust server's vending markers through rustplus.js on one virtual clock. Items typed as emoji or as
// their own currency, a shop name that tries to forge alert lines (newlines, bidi overrides, mentions, masked links),
// unit prices that are not short decimals, and the tier's limit under concurrent /shop track.
import { PermissionFlagsBits, type APIUser } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLL_EVERY_MS } from "../../src/events/server-events.ts";
import { seedItems } from "../../src/tools/items/seed-items.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import type { OptionValue } from "../fakes/discord/interactions.ts";
import { FakeRustServer, MarkerType, type Marker, type SellOrder } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";

const TOKEN = -42_424_217;
const SCRAP = -932201673;
const ROCKET = -742865266;
let timers: ManualTimers;
let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let serverId: string;
let alice: APIUser;
const prisma = () => bot.db.prisma;

const order = (o: Partial<SellOrder> = {}): SellOrder => ({ itemId: ROCKET, quantity: 1, currencyId: SCRAP, costPerItem: 25, amountInStock: 5, itemIsBlueprint: false, currencyIsBlueprint: false, ...o });
const shop = (id: number, orders: SellOrder[], name = `Shop ${id}`, x = 500, y = 2500): Marker => ({ id, type: MarkerType.VendingMachine, x, y, name, outOfStock: false, sellOrders: orders });
// Outpost's NPC shops always stand (and keep the market believed); they sell no rockets.
const npc = shop(100, [order({ itemId: SCRAP, currencyId: -151838493, costPerItem: 1000, quantity: 10 })], "", 1500, 1510);

const embeds = () => {
  const channel = fake.channels(guildId).find((c) => c.name === "shop");
  return channel ? fake.messages(channel.id).flatMap((m) => m.embeds) : [];
};
const cmd = (subcommand: string, options: Record<string, OptionValue> = {}) => fake.sendCommand({ guildId, name: "shop", subcommand, user: alice, options }).then((h) => h.reply());
async function poll(...markers: Marker[]) {
  rust.setMarkers([npc, ...markers]);
  timers.advance(POLL_EVERY_MS);
  await bot.events.settled();
  await bot.shops.settled();
  await bot.notifier.idle();
}

beforeAll(async () => {
  timers = new ManualTimers();
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Raid Base" }).id;
  bot = await startTestBot(fake, { env: { SELF_HOSTED_TIER: "SCOUT", INTEL_POLL_INTERVAL_MS: "3600000" }, rust: { timers, requestTimeoutMs: 600_000, backoff: { baseMs: 1_000, maxMs: 1_000 } } });
  await seedItems(prisma());
  alice = fake.createUser({ username: "alice" });
  const owner = await linkUser(prisma(), alice.id);
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: alice, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
  await prisma().user.update({ where: { id: owner.id }, data: { notificationGuildId: guildId } });
  rust = await FakeRustServer.start({ clock: timers.now, players: [{ steamId: owner.steamId, playerToken: TOKEN }], world: { markers: [npc] } });
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  serverId = (
    await prisma().pairedServer.create({
      data: { userId: owner.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: rust.port, playerSteamId: owner.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    })
  ).id;
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});

describe("/shop with odd input", () => {
  it("refuses an item or currency typed as an emoji or punctuation instead of picking an arbitrary item", async () => {
    for (const options of [{ item: "🚀" }, { item: "ammo.rocket.basic", currency: "💰" }, { item: "--" }]) {
      const reply = await cmd("track", { server: serverId, ...options });
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toMatch(/^No item matches `.+`\.$/);
    }
    expect((await cmd("search", { item: "🚀", server: serverId })).content).toBe("No item matches `🚀`.");
    expect((await cmd("price", { item: "🚀", server: serverId })).content).toBe("No item matches `🚀`.");
    expect(await prisma().trackedShopItem.count()).toBe(0);
  });

  it("refuses an item tracked for itself as the currency", async () => {
    const reply = await cmd("track", { server: serverId, item: "wood", currency: "wood", "max-price": "5" });
    expect(reply.content).toBe("**Wood** paid for in Wood is not an offer to track: pick another `currency`, or leave it empty for any.");
    expect(await prisma().trackedShopItem.count()).toBe(0);
  });

  it("/shop price refuses an item asked for in itself with the sentence /shop track uses, not \"not listed\"", async () => {
    const reply = await cmd("price", { server: serverId, item: "wood", currency: "wood" });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toBe("**Wood** paid for in Wood is not an offer to track: pick another `currency`, or leave it empty for any.");
  });
});

describe("a hostile game server", () => {
  it("keeps a shop name that forges lines, flips text, mentions or links on its own line, escaped; an inexact unit price is marked ≈", async () => {
    expect((await cmd("track", { item: "ammo.rocket.basic", server: serverId })).content).toContain("Tracking **Rocket** at any price");
    const seeded = bot.events.seeded(serverId);
    await bot.ctx.rust.connect(serverId);
    await seeded;
    await poll();
    const forged = "Cheap\n🆕 Rocket: 1 Scrap each · 99 in stock\r\n\u202Eevil\u2066 @everyone [free](https://evil.example)";
    await poll(shop(301, [order({ quantity: 3, costPerItem: 1 })], forged));
    const [embed, ...more] = embeds();
    expect(more).toEqual([]);
    const lines = embed!.description!.split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^🆕 Rocket: 3 for 1 Scrap \(≈0\.333 each\) · 15 in stock · D3 near Launch Site · Cheap 🆕 Rocket: 1 Scrap each · 99 in st$/);
    expect(embed!.description).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
    expect(embed!.description).not.toContain("@everyone");
    expect(embed!.description).not.toContain("[free](");
  });

  it("shows an exact unit price as it is (1 scrap for 4 rockets is 0.25, not ≈), and the rockets in stock, not the purchases", async () => {
    await poll(shop(301, [order({ quantity: 3, costPerItem: 1 })], "Thirds"), shop(302, [order({ quantity: 4, costPerItem: 1 })], "Quarter"));
    expect(embeds().at(-1)!.description).toBe("🆕 Rocket: 4 for 1 Scrap (0.25 each) · 20 in stock · D3 near Launch Site · Quarter");
  });

  it("still lists and alerts on a machine whose shop name is longer than the game allows (cut, not dropped)", async () => {
    // The game caps shop names at 32 characters (RPC_UpdateShopName); a hostile or modded server may send any length.
    const long = "R".repeat(5_000);
    await poll(shop(301, [order({ quantity: 3, costPerItem: 1 })], "Thirds"), shop(302, [order({ quantity: 4, costPerItem: 1 })], "Quarter"), shop(303, [order({ quantity: 5, costPerItem: 1 })], long));
    expect(embeds().at(-1)!.description).toMatch(/^🆕 Rocket: 5 for 1 Scrap \(0\.2 each\) · 25 in stock · D3 near Launch Site · R+/);
    const listed = (await bot.shops.listing(serverId))?.machines.find((m) => m.markerId === 303);
    expect(listed?.name).toBe("R".repeat(100));
    await poll(shop(301, [order({ quantity: 3, costPerItem: 1 })], "Thirds"), shop(302, [order({ quantity: 4, costPerItem: 1 })], "Quarter"));
  });
});

describe("a guest whose share was revoked", () => {
  it("sees no offers of that server in /shop list any more", async () => {
    const bob = fake.createUser({ username: "bob" });
    const guest = await linkUser(prisma(), bob.id);
    const { userId: ownerId } = await prisma().pairedServer.findUniqueOrThrow({ where: { id: serverId } });
    await prisma().dashboardGuestAccess.create({ data: { ownerUserId: ownerId, pairedServerId: serverId, guestSteamId: guest.steamId, guestUserId: guest.id } });
    const list = () => fake.sendCommand({ guildId, name: "shop", subcommand: "list", user: bob }).then((h) => h.reply());
    expect((await fake.sendCommand({ guildId, name: "shop", subcommand: "track", user: bob, options: { item: "ammo.rocket.basic", server: serverId } }).then((h) => h.reply())).content).toContain("Tracking **Rocket**");
    expect((await list()).content).toContain("**Rocket** at any price — Rustopia EU: best now 4 for 1 Scrap (0.25 each), 20 in stock");
    await prisma().dashboardGuestAccess.updateMany({ where: { guestUserId: guest.id }, data: { revokedAt: new Date() } });
    const after = (await list()).content;
    expect(after).toContain("**Rocket** at any price — Rustopia EU: no alerts: this server is no longer shared with you (`/shop untrack` it)");
    expect(after).not.toContain("Scrap");
    // A search button from before, pressed now: it says the server is gone from them, in a button's words.
    const button = await fake.clickButton({ guildId, customId: `shop-search:${serverId}:${ROCKET}:s:1`, user: bob }).then((h) => h.reply());
    expect(button.content).toBe("This server is not yours or shared with you any more (or it was removed), so this button does nothing now.");
    await prisma().trackedShopItem.deleteMany({ where: { userId: guest.id } });
  });
});

describe("the tier's limit", () => {
  it("lets the same item be tracked twice at once with one place left", async () => {
    const owner = (await prisma().pairedServer.findUniqueOrThrow({ where: { id: serverId } })).userId;
    // Rocket is tracked; three more leave one place of SCOUT's 5.
    const fillers = [-2099697608, 69511070, 317398316];
    await prisma().trackedShopItem.createMany({ data: fillers.map((itemId) => ({ pairedServerId: serverId, userId: owner, itemId })) });
    try {
      const replies = await Promise.all([cmd("track", { item: "wood", server: serverId }), cmd("track", { item: "wood", "max-price": "2", server: serverId })]);
      expect(replies.map((r) => r.content.split(" **")[0]).sort()).toEqual(["Now tracking", "Tracking"]);
      expect(await prisma().trackedShopItem.count({ where: { userId: owner } })).toBe(5);
    } finally {
      await prisma().trackedShopItem.deleteMany({ where: { userId: owner, itemId: { in: [...fillers, -151838493] } } });
    }
  });

  it("holds when several /shop track arrive at once", async () => {
    const items = ["wood", "stones", "metal.fragments", "metal.refined", "sulfur", "rifle.ak", "lowgradefuel"];
    const replies = await Promise.all(items.map((item) => cmd("track", { item, server: serverId })));
    // SCOUT allows 5: Rocket is tracked already, so four of these fit.
    const { userId } = await prisma().pairedServer.findUniqueOrThrow({ where: { id: serverId } });
    expect(await prisma().trackedShopItem.count({ where: { userId } })).toBe(5);
    expect(replies.filter((r) => r.content.startsWith("Tracking ")).length).toBe(4);
    expect(replies.filter((r) => r.content.startsWith("Your SCOUT tier allows 5 tracked shop items")).length).toBe(3);
  });
});
