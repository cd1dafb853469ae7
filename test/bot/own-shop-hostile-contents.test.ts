// A storage monitor's contents from a hostile or modded server: one invalid item (a negative quantity) or a list longer
// than any box is left out item by item, so a shop's sale in that reading is still posted and saved, and a card still
// shows the valid stock; stacks whose sold total exceeds a 32-bit Int are still saved (ShopSale.quantity is an Int).
// discord.js against the fake Discord, rustplus.js against the fake Rust server (which sends the item list as given).
import { PermissionFlagsBits, type APIMessage } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SyncDrawn } from "../../src/devices/device-sync.ts";
import { seedItems } from "../../src/tools/items/seed-items.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { EntityType, FakeRustServer, type Item } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";

const TOKEN = 727_272;
const SHOP = 5001;
const ROCKET = -742865266;
const SCRAP = -932201673;
const AMMO = -1211166256;
const INT32_MAX = 2 ** 31 - 1;

const stack = (itemId: number, quantity: number): Item => ({ itemId, quantity, itemIsBlueprint: false });

let timers: ManualTimers;
let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let serverId: string;
const drawn = new Log<SyncDrawn>();

const channel = (name: string) => fake.channels(guildId).find((c) => c.name === name)!.id;
const shopPosts = () => fake.messages(channel("shop")).flatMap((m) => m.embeds.map((e) => `${e.title}\n${e.description}`));
const field = (m: APIMessage | undefined, name: string) => m?.embeds[0]?.fields?.find((f) => f.name === name)?.value;
const sales = async () => (await bot.db.prisma.shopSale.findMany({ orderBy: { at: "asc" } })).map((s) => [s.itemId, s.quantity]);

async function delivered() {
  await bot.devices.idle();
  await bot.ownShops.idle();
  await bot.notifier.idle();
}

/** Sets the monitor's contents in game (broadcast as the game does) and waits until the bot has drawn a change. */
async function stock(items: Item[]) {
  const from = drawn.items.length;
  rust.setStorage(SHOP, items);
  await drawn.waitFor((d) => d.device.entityId === BigInt(SHOP) && d.changedAt instanceof Date && d.device.contents !== null, from);
  await delivered();
}

beforeAll(async () => {
  timers = new ManualTimers();
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Shop Base" }).id;
  bot = await startTestBot(fake, { rust: { timers, requestTimeoutMs: 600_000, infoEveryMs: 3_600_000, backoff: { baseMs: 1_000, maxMs: 1_000 } } });
  await seedItems(bot.db.prisma);
  bot.devices.onDrawn((d) => drawn.push(d));
  const player = fake.createUser();
  const user = await linkUser(bot.db.prisma, player.id);
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: player, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
  const items = [stack(ROCKET, 10)];
  rust = await FakeRustServer.start({
    clock: timers.now,
    players: [{ steamId: user.steamId, playerToken: TOKEN }],
    world: { entities: { [SHOP]: { type: EntityType.StorageMonitor, items, capacity: 30, hasProtection: false, protectionExpiry: 0 } } },
  });
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  serverId = (
    await bot.db.prisma.pairedServer.create({
      data: { userId: user.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: rust.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    })
  ).id;
  await bot.db.prisma.smartDevice.create({
    data: { pairedServerId: serverId, kind: "STORAGE_MONITOR", entityId: BigInt(SHOP), name: "Rocket shop", contents: { items: items.map((i) => ({ ...i })), capacity: 30, hasProtection: false, protectionExpiry: 0 } },
  });
  const from = drawn.items.length;
  await bot.ctx.rust.connect(serverId);
  await drawn.waitFor((d) => d.device.entityId === BigInt(SHOP) && d.changedAt === null, from);
  await delivered();
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});

describe("a storage monitor's contents from a hostile server", () => {
  it("posts and saves a sale in a reading that also lists an item with a negative quantity; the card shows the valid stock", async () => {
    await stock([stack(ROCKET, 7), stack(SCRAP, 300), stack(AMMO, -5)]);
    expect(shopPosts()).toEqual(["🛒 Rocket shop\nSold 3 × Rocket"]);
    expect(await sales()).toEqual([[ROCKET, 3]]);
    const row = await bot.db.prisma.smartDevice.findFirstOrThrow({ where: { entityId: BigInt(SHOP) } });
    const card = fake.messages(channel("storage-monitors")).find((m) => m.id === row.messageId);
    expect(field(card, "Stock and takings")).toBe("Scrap × 300\nRocket × 7");
  });

  it("keeps the first 1,000 items of a longer list, so a sale in it is still seen", async () => {
    // 1,200 one-item slots of scrap after the rockets: more than any box has (48 slots), as a hostile server may send.
    await stock([stack(ROCKET, 5), ...Array.from({ length: 1_200 }, () => stack(SCRAP, 1))]);
    expect(shopPosts().slice(1)).toEqual(["🛒 Rocket shop\nSold 2 × Rocket"]);
    expect((await sales()).slice(1)).toEqual([[ROCKET, 2]]);
  });

  it("saves a sale of more items than a 32-bit Int holds at its largest instead of losing it", async () => {
    // A restock (the 999 scrap slots kept from the last reading, as one stack): no sale.
    await stock([stack(ROCKET, INT32_MAX), stack(ROCKET, INT32_MAX), stack(ROCKET, 5), stack(SCRAP, 999)]);
    await stock([stack(ROCKET, 5), stack(SCRAP, 1_000)]);
    expect(shopPosts().slice(2)).toEqual([`🛒 Rocket shop\nSold ${(2 * INT32_MAX).toLocaleString("en-US")} × Rocket`]);
    expect((await sales()).slice(2)).toEqual([[ROCKET, INT32_MAX]]);
  });
});
