// Tool cupboards are recognised by what the game's storage monitor sends for them (hasProtection, and an upkeep
// expiry while there is upkeep), not by their slot count, which the game has changed before: a cupboard with 24 or
// 31 slots still shows its upkeep and warns when it starts decaying; a large box never does. Pairing pushes in the
// real shape, rustplus.js against the fake Rust server, discord.js against the fake Discord.
import type { APIMessage } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Drawn } from "../../src/devices/draw-device.ts";
import type { ConnectionState } from "../../src/rustplus/connection.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { EntityType, FakeRustServer, type Item } from "../fakes/rustplus/index.ts";
import { linkUser, setUpAndListen, startTestBot, type TestBot } from "../helpers/bot.ts";

const SMALL_TC = 3001;
const BIG_TC = 3002;
const BOX = 3003;
const TOKEN = 515_151;
const ANDROID_ID = "5550000000000000099";
const UPKEEP = 2_000_000_000;
const wood: Item[] = [{ itemId: -151838493, quantity: 1000, itemIsBlueprint: false }];
const RED = 0xe74c3c;

let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let steamId: string;
let pushes = 0;
const states = new Log<{ serverId: string; state: ConnectionState }>();
const drawn = new Log<Drawn>();

const push = (channelId: string, title: string, extra: Record<string, string> = {}) => ({
  persistentId: `0:${++pushes}%tc`,
  appData: [
    { key: "channelId", value: channelId },
    { key: "title", value: title },
    { key: "message", value: "Tap to pair with this server." },
    { key: "body", value: JSON.stringify({ img: "", port: String(rust.port), ip: "127.0.0.1", name: "Rustopia", id: "4d0b6f0e", url: "", desc: "", playerId: steamId, playerToken: String(TOKEN), ...extra }) },
  ],
});
const channel = (name: string) => fake.channels(guildId).find((c) => c.name === name)!.id;
async function card(entityId: number): Promise<APIMessage | undefined> {
  const row = await bot.db.prisma.smartDevice.findFirst({ where: { entityId: BigInt(entityId) } });
  return fake.messages(channel("storage-monitors")).find((m) => m.id === row?.messageId);
}
const field = (m: APIMessage | undefined, name: string) => m?.embeds[0]?.fields?.find((f) => f.name === name)?.value;
const raidTitles = () => fake.messages(channel("alarms-and-raids")).flatMap((m) => m.embeds.map((e) => e.title));

async function settle() {
  await bot.pushes.drained();
  await bot.devices.idle();
  await bot.alarms.idle();
  await bot.notifier.idle();
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Base" }).id;
  bot = await startTestBot(fake, { rust: { backoff: { baseMs: 20, maxMs: 200 }, infoEveryMs: 60_000 } });
  bot.ctx.rust.on("state", (id, state) => states.push({ serverId: id, state }));
  bot.devices.onDrawn((d) => drawn.push(d));
  const player = fake.createUser();
  steamId = (await linkUser(bot.db.prisma, player.id)).steamId;
  rust = await FakeRustServer.start({
    players: [{ steamId, playerToken: TOKEN }],
    world: {
      entities: {
        // As the game sends them: hasProtection for a cupboard, decaying or not; an expiry only while it has upkeep.
        [SMALL_TC]: { type: EntityType.StorageMonitor, items: wood, capacity: 24, hasProtection: true, protectionExpiry: UPKEEP },
        [BIG_TC]: { type: EntityType.StorageMonitor, items: [], capacity: 31, hasProtection: true, protectionExpiry: 0 },
        [BOX]: { type: EntityType.StorageMonitor, items: wood, capacity: 48, hasProtection: false, protectionExpiry: 0 },
      },
    },
  });
  await setUpAndListen(fake, bot, { guildId, player, steamId, androidId: ANDROID_ID });
  bot.pushFeed.deliver(ANDROID_ID, push("pairing", "Rustopia", { type: "server" }));
  await settle();
  const serverId = (await bot.db.prisma.pairedServer.findFirstOrThrow({ where: { port: rust.port } })).id;
  const from = states.items.length;
  await fake.sendCommand({ guildId, name: "server", subcommand: "connect", options: { server: serverId }, user: player }).then((h) => h.reply());
  await states.waitFor((e) => e.serverId === serverId && e.state.kind === "connected", from);
  for (const id of [SMALL_TC, BIG_TC, BOX]) {
    const seen = drawn.items.length;
    bot.pushFeed.deliver(ANDROID_ID, push("pairing", "Storage Monitor", { type: "entity", entityId: String(id), entityType: "3", entityName: "Storage Monitor" }));
    await drawn.waitFor((d) => d.device.entityId === BigInt(id) && d.result.outcome !== "no-channel", seen);
  }
  await settle();
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});

describe("tool cupboards whatever their slot count", () => {
  it("shows the upkeep of a 24-slot cupboard and a 31-slot one that is decaying; a large box has none", async () => {
    const small = await card(SMALL_TC);
    expect(field(small, "Slots")).toBe("1 / 24");
    expect(field(small, "Upkeep")).toBe(`Lasts until <t:${UPKEEP}:f> (<t:${UPKEEP}:R>)`);
    const big = await card(BIG_TC);
    expect(field(big, "Upkeep")).toBe("⚠️ Decaying: no upkeep left");
    expect(big?.embeds[0]?.color).toBe(RED);
    const box = await card(BOX);
    expect(field(box, "Slots")).toBe("1 / 48");
    expect(field(box, "Upkeep")).toBeUndefined();
    expect(box?.embeds[0]?.color).not.toBe(RED);
  });

  it("warns once when the 24-slot cupboard runs out of upkeep", async () => {
    for (let i = 0; i < 2; i++) {
      const from = drawn.items.length;
      rust.setStorage(SMALL_TC, [], { protectionExpiry: 0 });
      await drawn.waitFor((d) => d.device.entityId === BigInt(SMALL_TC) && JSON.stringify(d.device.contents).includes('"protectionExpiry":0'), from);
      await settle();
    }
    expect(raidTitles()).toEqual(["💥 Tool cupboard decaying: Storage Monitor"]);
    expect(field(await card(SMALL_TC), "Upkeep")).toBe("⚠️ Decaying: no upkeep left");
  });
});
