// Tracked shop items end to end: the bot (real discord.js against the fake Discord) polls the fake Rust server's
// vending markers through rustplus.js on one virtual clock. /shop track|list|untrack with their refusals, the tier's
// limit, a guest's own items and alerts, and #shop alerts once per transition, coalesced per user and poll.
import { PermissionFlagsBits, type APIUser } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLL_EVERY_MS } from "../../src/events/server-events.ts";
import { seedItems } from "../../src/tools/items/seed-items.ts";
import type { ConnectionState } from "../../src/rustplus/connection.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import type { OptionValue } from "../fakes/discord/interactions.ts";
import { FakeRustServer, MarkerType, type Marker, type SellOrder } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createServer } from "../helpers/fixtures.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";

const TOKEN = -42_424_216;
const SCRAP = -932201673;
const ROCKET = -742865266;
const AK = 1545779598;
let timers: ManualTimers;
let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let guestGuildId: string;
let serverId: string;
let alice: APIUser;
let bob: APIUser;
let carol: APIUser;
let states: Log<{ serverId: string; state: ConnectionState }>;
const prisma = () => bot.db.prisma;

const order = (o: Partial<SellOrder> = {}): SellOrder => ({ itemId: ROCKET, quantity: 1, currencyId: SCRAP, costPerItem: 25, amountInStock: 5, itemIsBlueprint: false, currencyIsBlueprint: false, ...o });
const shop = (id: number, orders: SellOrder[], x = 500, y = 2500): Marker => ({ id, type: MarkerType.VendingMachine, x, y, name: `Shop ${id}`, outOfStock: false, sellOrders: orders });
// Outpost's NPC shops always stand (and keep the market believed); they sell no rockets.
const npc = shop(100, [order({ itemId: SCRAP, currencyId: -151838493, costPerItem: 1000, quantity: 10 })], 1500, 1510);

const posts = (guild: string) => {
  const channel = fake.channels(guild).find((c) => c.name === "shop");
  return channel ? fake.messages(channel.id).flatMap((m) => m.embeds.map((e) => `${e.title}\n${e.description ?? ""}`)) : [];
};
async function cmd(user: APIUser, subcommand: string, options: Record<string, OptionValue> = {}) {
  return fake.sendCommand({ guildId, name: "shop", subcommand, user, options }).then((h) => h.reply());
}
/** One poll with these markers, everything it caused delivered. */
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
  guestGuildId = fake.createGuild({ name: "Bob's own" }).id;
  bot = await startTestBot(fake, { env: { SELF_HOSTED_TIER: "SCOUT", INTEL_POLL_INTERVAL_MS: "3600000" }, rust: { timers, requestTimeoutMs: 600_000, backoff: { baseMs: 1_000, maxMs: 1_000 } } });
  await seedItems(prisma());
  states = new Log();
  bot.ctx.rust.on("state", (id, state) => states.push({ serverId: id, state }));
  [alice, bob, carol] = [fake.createUser({ username: "alice" }), fake.createUser({ username: "bob" }), fake.createUser({ username: "carol" })];
  const owner = await linkUser(prisma(), alice.id);
  const guest = await linkUser(prisma(), bob.id);
  const other = await linkUser(prisma(), carol.id);
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: alice, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
  await fake.sendCommand({ guildId: guestGuildId, name: "setup", subcommand: "run", user: bob, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
  await prisma().user.update({ where: { id: owner.id }, data: { notificationGuildId: guildId } });
  await prisma().user.update({ where: { id: guest.id }, data: { notificationGuildId: guestGuildId } });
  rust = await FakeRustServer.start({ clock: timers.now, players: [{ steamId: owner.steamId, playerToken: TOKEN }], world: { markers: [npc, shop(201, [order()])] } });
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  serverId = (
    await prisma().pairedServer.create({
      data: { userId: owner.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: rust.port, playerSteamId: owner.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    })
  ).id;
  await prisma().dashboardGuestAccess.create({ data: { ownerUserId: owner.id, pairedServerId: serverId, guestSteamId: guest.steamId, guestUserId: guest.id } });
  // Carol's own team and server, and one item she tracks there.
  const carolServer = await createServer(prisma(), other.id);
  await prisma().trackedShopItem.create({ data: { pairedServerId: carolServer.id, userId: other.id, itemId: ROCKET } });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});

describe("/shop track refusals", () => {
  it("answers bad input with a sentence and saves nothing", async () => {
    const bad = async (options: Record<string, OptionValue>, expected: string) => {
      const reply = await cmd(alice, "track", { server: serverId, ...options });
      expect(reply.ephemeral).toBe(true);
      expect(reply.content).toContain(expected);
    };
    await bad({ item: "zzqx unobtainium" }, "No item matches `zzqx unobtainium`");
    await bad({ item: "ammo.rocket.basic", "max-price": "-1" }, "is not a price. `max-price` is the highest price per item: a number from 0.001 to 1,000,000");
    await bad({ item: "ammo.rocket.basic", "max-price": "1000000000000" }, "from 0.001 to 1,000,000");
    await bad({ item: "ammo.rocket.basic", "max-price": "abc" }, "`abc` is not a price");
    await bad({ item: "ammo.rocket.basic", "max-price": "0" }, "A price of 0 matches nothing");
    await bad({ item: "ammo.rocket.basic", currency: "zzqx unobtainium" }, "No item matches");
    expect(await prisma().trackedShopItem.count({ where: { pairedServerId: serverId } })).toBe(0);
  });
});

describe("alerts in #shop", () => {
  it("tracks and is silent on the first poll after connecting, for the offers already there", async () => {
    const reply = await cmd(alice, "track", { item: "ammo.rocket.basic", "max-price": "30", server: serverId });
    expect(reply.content).toContain("Tracking **Rocket** at or under 30 Scrap each on **Rustopia EU**");
    expect(reply.content).toContain("Tracked shop items: 1 of 5 (SCOUT tier).");
    const seeded = bot.events.seeded(serverId);
    await bot.ctx.rust.connect(serverId);
    await seeded;
    await poll(shop(201, [order()]));
    await poll(shop(201, [order()]));
    expect(posts(guildId)).toEqual([]);
  });

  it("tells each transition once: drops to the limit, sold out, back in stock, appears, machine gone", async () => {
    const s201 = (o: Partial<SellOrder> = {}) => shop(201, [order(o)]);
    await poll(s201(), shop(202, [order({ costPerItem: 35 })]));
    expect(posts(guildId)).toEqual([]); // over the limit
    await poll(s201(), shop(202, [order({ costPerItem: 60, quantity: 2 })])); // exactly 30 each
    await poll(s201(), shop(202, [order({ costPerItem: 60, quantity: 2 })]));
    await poll(s201({ amountInStock: 0 }), shop(202, [order({ costPerItem: 60, quantity: 2 })]));
    await poll(s201({ amountInStock: 3 }), shop(202, [order({ costPerItem: 60, quantity: 2 })]));
    await poll(s201({ amountInStock: 3 }), shop(202, [order({ costPerItem: 60, quantity: 2 })]), shop(203, [order({ costPerItem: 10 })], 1500, 1630));
    await poll(s201({ amountInStock: 3 }), shop(202, [order({ costPerItem: 60, quantity: 2 })]));
    await poll(s201({ amountInStock: 3 }), shop(202, [order({ costPerItem: 60, quantity: 2 })]));
    expect(posts(guildId)).toEqual([
      // 5 purchases of 2 rockets: 10 rockets in stock.
      "🛒 Tracked items: 1 offered\n📉 Rocket: now 2 for 60 Scrap (30 each) (limit 30) · 10 in stock · D3 near Launch Site · Shop 202",
      "🛒 Tracked items: 1 gone\n❌ Rocket: gone: sold out (was 25 Scrap each) · D3 near Launch Site · Shop 201",
      "🛒 Tracked items: 1 offered\n🔄 Rocket: back in stock, 25 Scrap each · 3 in stock · D3 near Launch Site · Shop 201",
      "🛒 Tracked items: 1 offered\n🆕 Rocket: 10 Scrap each · 5 in stock · K9 near Outpost · Shop 203",
      "🛒 Tracked items: 1 gone\n❌ Rocket: gone: the machine was removed (was 10 Scrap each) · K9 near Outpost · Shop 203",
    ]);
    const row = await prisma().trackedShopItem.findFirstOrThrow({ where: { pairedServerId: serverId, itemId: ROCKET } });
    expect(row.lastNotifiedAt?.getTime()).toBe(timers.now() - POLL_EVERY_MS);
  });

  it("keeps a newly tracked item's existing offers silent, and coalesces two items changing in one poll into one post", async () => {
    const base = [shop(201, [order({ amountInStock: 3 }), order({ itemId: AK, costPerItem: 400, quantity: 1 })]), shop(202, [order({ costPerItem: 60, quantity: 2 })])];
    await poll(...base);
    const before = posts(guildId).length;
    expect((await cmd(alice, "track", { item: "rifle.ak", server: serverId })).content).toContain("Tracking **Assault Rifle** at any price");
    await poll(...base);
    await poll(...base, shop(204, []));
    expect(posts(guildId).slice(before)).toEqual([]);
    await poll(shop(201, [order({ amountInStock: 3 }), order({ itemId: AK, costPerItem: 400, quantity: 1 })]), shop(202, [order({ costPerItem: 70, quantity: 2 })]), shop(204, [order({ itemId: AK, currencyId: 69511070, costPerItem: 2000 })]));
    expect(posts(guildId).slice(before)).toEqual([
      "🛒 Tracked items: 1 offered, 1 gone\n🆕 Assault Rifle: 2,000 Metal Fragments each · 5 in stock · D3 near Launch Site · Shop 204\n❌ Rocket: gone: now over your limit (now 2 for 70 Scrap (35 each) (limit 30)) · D3 near Launch Site · Shop 202",
    ]);
  });

  it("alerts a guest's own tracked item to the guest's own Discord server, not the owner's", async () => {
    const reply = await cmd(bob, "track", { item: "ammo.rocket.basic", "max-price": "50", server: serverId });
    expect(reply.content).toContain("(a server shared with you: the alerts are yours)");
    const ownerPosts = posts(guildId).length;
    await poll(shop(201, [order({ amountInStock: 3 }), order({ itemId: AK, costPerItem: 400, quantity: 1 })]), shop(202, [order({ costPerItem: 70, quantity: 2 })]), shop(204, [order({ itemId: AK, currencyId: 69511070, costPerItem: 2000 })]), shop(205, [order({ costPerItem: 45 })]));
    expect(posts(guestGuildId)).toEqual(["🛒 Tracked items: 1 offered\n🆕 Rocket: 45 Scrap each · 5 in stock · D3 near Launch Site · Shop 205"]);
    expect(posts(guildId)).toHaveLength(ownerPosts);
  });

  it("tells a guest nothing more once their access is revoked", async () => {
    await prisma().dashboardGuestAccess.updateMany({ where: { pairedServerId: serverId }, data: { revokedAt: new Date() } });
    try {
      await poll(shop(201, [order({ amountInStock: 3 }), order({ itemId: AK, costPerItem: 400, quantity: 1 })]), shop(202, [order({ costPerItem: 70, quantity: 2 })]), shop(204, [order({ itemId: AK, currencyId: 69511070, costPerItem: 2000 })]), shop(205, [order({ costPerItem: 45 })]), shop(206, [order({ costPerItem: 40 })]));
      expect(posts(guestGuildId)).toHaveLength(1);
    } finally {
      await prisma().dashboardGuestAccess.updateMany({ where: { pairedServerId: serverId }, data: { revokedAt: null } });
    }
  });
});

describe("/shop list, untrack and the tier's limit", () => {
  it("lists each tracked item with its rule and the best offer now", async () => {
    const { content } = await cmd(alice, "list");
    expect(content).toContain("**Rocket** at or under 30 Scrap each — Rustopia EU: best now 25 Scrap each, 3 in stock");
    expect(content).toContain("**Assault Rifle** at any price — Rustopia EU: best now 400 Scrap each, 5 in stock");
    expect(content).toContain("Tracked shop items: 2 of 5 (SCOUT tier).");
  });

  it("refuses a sixth tracked item on SCOUT (counted per user: a guest's own), but re-tracking one changes its limit", async () => {
    for (const item of ["rifle.ak", "scrap", "wood", "stones"]) expect((await cmd(bob, "track", { item, server: serverId })).content).toContain("Tracking");
    const refused = await cmd(bob, "track", { item: "metal.fragments", server: serverId });
    expect(refused.content).toBe("Your SCOUT tier allows 5 tracked shop items and you have 5. On this self-hosted bot the operator sets the tier (SELF_HOSTED_TIER) and its limits (TIER_LIMITS).");
    const again = await cmd(bob, "track", { item: "ammo.rocket.basic", "max-price": "0.5", currency: "metal.fragments", server: serverId });
    expect(again.content).toContain("Now tracking **Rocket** at or under 0.5 Metal Fragments each");
    const guest = await prisma().user.findFirstOrThrow({ where: { accounts: { some: { providerAccountId: bob.id } } } });
    expect(await prisma().trackedShopItem.count({ where: { userId: guest.id } })).toBe(5);
    expect(await prisma().trackedShopItem.findFirst({ where: { userId: guest.id, itemId: ROCKET } })).toMatchObject({ maxUnitPriceMilli: 500, currencyItemId: 69511070 });
  });

  it("untracks only the user's own: another team's id or garbage is not one of theirs, and nothing changes", async () => {
    const carolsRow = await prisma().trackedShopItem.findFirstOrThrow({ where: { user: { accounts: { some: { providerAccountId: carol.id } } } } });
    const total = await prisma().trackedShopItem.count();
    for (const tracked of [carolsRow.id, "not an id!", "c0000000000000000000000000"]) {
      const reply = await cmd(alice, "untrack", { tracked });
      expect(reply.content).toContain("That is not one of your tracked items");
    }
    expect(await prisma().trackedShopItem.count()).toBe(total);
    const choices = await fake.autocomplete({ guildId, name: "shop", subcommand: "untrack", user: alice, options: { tracked: "rock" }, focused: "tracked" });
    expect(choices).toEqual([{ name: "Rocket at or under 30 Scrap each — Rustopia EU", value: expect.any(String) }]);
    expect((await cmd(alice, "untrack", { tracked: String(choices[0]!.value) })).content).toBe("Stopped tracking **Rocket** on **Rustopia EU**.");
    expect(await prisma().trackedShopItem.count()).toBe(total - 1);
  });
});

describe("a dropped connection", () => {
  it("is silent on the first poll after reconnecting, then alerts again", async () => {
    const markers = [shop(201, [order({ amountInStock: 3 }), order({ itemId: AK, costPerItem: 400, quantity: 1 })])];
    await poll(...markers);
    const before = posts(guildId).length;
    const from = states.items.length;
    rust.dropConnections();
    await states.waitFor((e) => e.serverId === serverId && e.state.kind === "waiting", from);
    const seeded = bot.events.seeded(serverId);
    // While down, an AK offer appears and another goes: the reconnect's first answer only seeds.
    rust.setMarkers([npc, shop(201, [order({ amountInStock: 3 })]), shop(207, [order({ itemId: AK, costPerItem: 300 })])]);
    timers.advance(1_000);
    await seeded;
    await poll(shop(201, [order({ amountInStock: 3 })]), shop(207, [order({ itemId: AK, costPerItem: 300 })]));
    expect(posts(guildId).slice(before)).toEqual([]);
    await poll(shop(201, [order({ amountInStock: 3 })]));
    expect(posts(guildId).slice(before)).toEqual(["🛒 Tracked items: 1 gone\n❌ Assault Rifle: gone: the machine was removed (was 300 Scrap each) · D3 near Launch Site · Shop 207"]);
  });
});
