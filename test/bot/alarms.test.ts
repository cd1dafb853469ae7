// Alarms and raids end to end: a smart alarm triggering in the fake game (entityChanged) posts once to the
// alarms channel with the chosen role mentioned, and the FCM push for the same trigger does not post again
// (whichever comes first); two alarms at once post twice; a tool cupboard running out of upkeep and a raid
// plugin's push are raid warnings; /alarm notify|quiet|list with bad input refused.
import type { APIMessage } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Drawn } from "../../src/devices/draw-device.ts";
import type { ConnectionState } from "../../src/rustplus/connection.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { EntityType, FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser, setUpAndListen, startTestBot, type TestBot } from "../helpers/bot.ts";

const FRONT = 2001;
const BACK = 2002;
const TC = 2003;
const TOKEN = 424_242;
const ANDROID_ID = "5550000000000000077";

let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guild: ReturnType<FakeDiscord["createGuild"]>;
let player: ReturnType<FakeDiscord["createUser"]>;
let steamId: string;
let serverId: string;
let raiders: string;
let backDoor: string;
let pushes = 0;
const states = new Log<{ serverId: string; state: ConnectionState }>();
const drawn = new Log<Drawn>();

const body = (extra: Record<string, string> = {}) => JSON.stringify({ img: "", port: String(rust.port), ip: "127.0.0.1", name: "Rustopia", id: "4d0b6f0e", url: "", desc: "", playerId: steamId, playerToken: String(TOKEN), ...extra });
const push = (channelId: string, title: string, message: string, extra: Record<string, string> = {}) => ({
  persistentId: `0:${++pushes}%alarms`,
  appData: [{ key: "channelId", value: channelId }, { key: "title", value: title }, { key: "message", value: message }, { key: "body", value: body(extra) }],
});
const alarmsChannel = () => fake.channels(guild.id).find((c) => c.name === "alarms-and-raids")!.id;
const posts = (): APIMessage[] => fake.messages(alarmsChannel());

async function settle() {
  await bot.pushes.drained();
  await bot.devices.idle();
  await bot.alarms.idle();
  await bot.notifier.idle();
}

/** Changes an entity in the fake game and waits until the bot has recorded the change. */
async function inGame(entityId: number, change: () => void) {
  const from = drawn.items.length;
  change();
  await drawn.waitFor((d) => d.device.entityId === BigInt(entityId), from);
  await settle();
}

const command = (subcommand: string, options: Record<string, string>, user = player) => fake.sendCommand({ guildId: guild.id, name: "alarm", subcommand, options, user }).then((h) => h.reply());

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guild = fake.createGuild({ name: "Base" });
  raiders = guild.createRole("Raid defence", 0n, { mentionable: true }).id;
  bot = await startTestBot(fake, { rust: { backoff: { baseMs: 20, maxMs: 200 }, infoEveryMs: 60_000 } });
  bot.ctx.rust.on("state", (id, state) => states.push({ serverId: id, state }));
  bot.devices.onDrawn((d) => drawn.push(d));
  player = fake.createUser();
  steamId = (await linkUser(bot.db.prisma, player.id)).steamId;
  rust = await FakeRustServer.start({
    players: [{ steamId, playerToken: TOKEN }],
    world: {
      entities: {
        [FRONT]: { type: EntityType.Alarm, value: false },
        [BACK]: { type: EntityType.Alarm, value: false },
        [TC]: { type: EntityType.StorageMonitor, items: [], capacity: 29, hasProtection: true, protectionExpiry: 2_000_000_000 },
      },
    },
  });
  await setUpAndListen(fake, bot, { guildId: guild.id, player, steamId, androidId: ANDROID_ID });
  bot.pushFeed.deliver(ANDROID_ID, push("pairing", "Rustopia", "Tap to pair", { type: "server" }));
  await settle();
  serverId = (await bot.db.prisma.pairedServer.findFirstOrThrow({ where: { port: rust.port } })).id;
  const from = states.items.length;
  await fake.sendCommand({ guildId: guild.id, name: "server", subcommand: "connect", options: { server: serverId }, user: player }).then((h) => h.reply());
  await states.waitFor((e) => e.serverId === serverId && e.state.kind === "connected", from);
  for (const [id, type, name] of [[FRONT, "2", "Front door"], [BACK, "2", "Back door"], [TC, "3", "Main TC"]] as const) {
    const seen = drawn.items.length;
    bot.pushFeed.deliver(ANDROID_ID, push("pairing", name, "Tap to pair", { type: "entity", entityId: String(id), entityType: type, entityName: name }));
    await drawn.waitFor((d) => d.device.entityId === BigInt(id) && d.result.outcome !== "no-channel", seen);
  }
  await settle();
  backDoor = (await bot.db.prisma.smartDevice.findFirstOrThrow({ where: { entityId: BigInt(BACK) } })).id;
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
});

describe("/alarm", () => {
  it("chooses the role a server's alarms mention, and refuses @everyone, strangers and unknown alarms", async () => {
    expect((await command("notify", { server: serverId, role: raiders })).content).toContain(`now mention <@&${raiders}>`);
    expect(await command("notify", { server: serverId, role: guild.id })).toMatchObject({ ephemeral: true, content: expect.stringContaining("other than @everyone") });
    const stranger = fake.createUser();
    await linkUser(bot.db.prisma, stranger.id);
    expect(await command("notify", { server: serverId, role: raiders }, stranger)).toMatchObject({ ephemeral: true, content: expect.stringContaining("You have no paired server yet. Pair one first") });
    expect(await command("quiet", { server: serverId, alarm: "nosuchalarm" })).toMatchObject({ ephemeral: true, content: expect.stringContaining("not a smart alarm") });
    expect((await command("list", { server: serverId })).content).toContain(`🚨 Front door → <@&${raiders}> (server)`);
    expect((await bot.db.prisma.pairedServer.findUniqueOrThrow({ where: { id: serverId } })).alarmRoleId).toBe(raiders);
  });
});

describe("an alarm triggering", () => {
  it("posts once from the socket with the role mentioned; the push for the same trigger adds nothing", async () => {
    await inGame(FRONT, () => rust.triggerAlarm(FRONT));
    expect(posts()).toHaveLength(1);
    expect(posts()[0]).toMatchObject({ content: `<@&${raiders}>`, embeds: [{ title: "🚨 Front door", footer: { text: "Rustopia" } }] });
    bot.pushFeed.deliver(ANDROID_ID, push("alarm", "Front door", "Your base is under attack!"));
    await settle();
    expect(posts()).toHaveLength(1);
  });

  it("posts once when the push comes first and the broadcast after", async () => {
    await inGame(FRONT, () => rust.setEntityValue(FRONT, false));
    bot.pushFeed.deliver(ANDROID_ID, push("alarm", "Front door", "Your base is under attack!"));
    await settle();
    expect(posts()).toHaveLength(2);
    expect(posts()[1]?.embeds[0]).toMatchObject({ title: "🚨 Front door", description: "Your base is under attack!" });
    await inGame(FRONT, () => rust.triggerAlarm(FRONT));
    expect(posts()).toHaveLength(2);
  });

  it("posts two alarms going off together twice, each with its own role when it has one", async () => {
    const guards = guild.createRole("Back guards", 0n, { mentionable: true }).id;
    await command("notify", { server: serverId, role: guards, alarm: backDoor });
    await inGame(FRONT, () => rust.setEntityValue(FRONT, false));
    await inGame(FRONT, () => rust.triggerAlarm(FRONT));
    await inGame(BACK, () => rust.triggerAlarm(BACK));
    bot.pushFeed.deliver(ANDROID_ID, push("alarm", "Alarm", "Triggered"));
    bot.pushFeed.deliver(ANDROID_ID, push("alarm", "Alarm", "Triggered"));
    await settle();
    const fresh = posts().slice(2);
    expect(fresh.flatMap((m) => m.embeds.map((e) => e.title)).sort()).toEqual(["🚨 Back door", "🚨 Front door"]);
    expect(fresh.map((m) => m.content).sort()).toEqual([`<@&${guards}>`, `<@&${raiders}>`].sort());
  });
});

describe("raid warnings", () => {
  it("warns once when a tool cupboard's upkeep runs out", async () => {
    const before = posts().length;
    await inGame(TC, () => rust.setStorage(TC, [], { protectionExpiry: 0 }));
    await inGame(TC, () => rust.setStorage(TC, [], { protectionExpiry: 0 }));
    const warnings = posts().slice(before);
    expect(warnings.flatMap((m) => m.embeds.map((e) => e.title))).toEqual(["💥 Tool cupboard decaying: Main TC"]);
    expect(warnings[0]?.content).toBe(`<@&${raiders}>`);
  });

  it("posts a raid plugin's push with the grid it names and the server's role", async () => {
    const before = posts().length;
    bot.pushFeed.deliver(ANDROID_ID, push("alarm", "You're getting raided!", "chair destroyed at N18"));
    await settle();
    const raid = posts().slice(before);
    expect(raid.flatMap((m) => m.embeds.map((e) => e.title))).toEqual(["💥 You're getting raided! at N18"]);
    expect(raid[0]?.content).toBe(`<@&${raiders}>`);
  });
});
