// Smart devices end to end: entity pairing pushes (the real payload shape) → SmartDevice rows and live cards →
// On/Off through rustplus.js to the fake game server → entityChanged broadcasts edit the cards, also after a
// reconnect → a device gone from the game told once → the tier limit → /device list|rename|remove.
import type { APIMessage } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Drawn } from "../../src/devices/draw-device.ts";
import type { ConnectionState } from "../../src/rustplus/connection.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { EntityType, FakeRustServer } from "../fakes/rustplus/index.ts";
import { seedItems } from "../../src/tools/items/seed-items.ts";
import { linkUser, setUpAndListen, startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let player: ReturnType<FakeDiscord["createUser"]>;
let userId: string;
let steamId: string;
let serverId: string;
const states = new Log<{ serverId: string; state: ConnectionState }>();
const drawn = new Log<Drawn>();
const ANDROID_ID = "5550000000000000042";
const TOKEN = -987_654_321;
const SWITCH = 1001;
const ALARM = 1002;
const TC = 1003;
const GONE = 1005;
const EXTRA = 1006;
const UPKEEP = 2_000_000_000;
let pushes = 0;

const push = (body: Record<string, string>) => ({
  persistentId: `0:${++pushes}%dev`,
  appData: [
    { key: "channelId", value: "pairing" },
    { key: "title", value: body["entityName"] ?? body["name"] ?? "" },
    { key: "message", value: "Tap to pair with this server." },
    { key: "body", value: JSON.stringify({ img: "", port: String(rust.port), ip: "127.0.0.1", name: "Rustopia", id: "4d0b6f0e", url: "", desc: "", playerId: steamId, playerToken: String(TOKEN), ...body }) },
  ],
});
const entityPush = (entityId: number, entityType: "1" | "2" | "3", entityName: string) => push({ type: "entity", entityId: String(entityId), entityType, entityName });

const channel = (name: string) => fake.channels(guildId).find((c) => c.name === name)!.id;
const device = (entityId: number) => bot.db.prisma.smartDevice.findFirst({ where: { pairedServerId: serverId, entityId: BigInt(entityId) } });
/** The device's card, found through the message id the bot stored for it. */
async function card(entityId: number, channelName = "smart-devices"): Promise<APIMessage | undefined> {
  const row = await device(entityId);
  return fake.messages(channel(channelName)).find((m) => m.id === row?.messageId);
}
const field = (m: APIMessage | undefined, name: string) => m?.embeds[0]?.fields?.find((f) => f.name === name)?.value;
const buttonIds = (m: APIMessage | undefined) =>
  (m?.components ?? []).flatMap((row) => ("components" in row ? (row.components as object[]) : [])).map((c) => ("custom_id" in c ? String(c.custom_id) : ""));
const statusTexts = () => fake.messages(channel("server-status")).map((m) => m.embeds[0]?.description ?? "");

async function settle() {
  await bot.pushes.drained();
  await bot.devices.idle();
  await bot.notifier.idle();
}

async function pair(entityId: number, entityType: "1" | "2" | "3", name: string) {
  bot.pushFeed.deliver(ANDROID_ID, entityPush(entityId, entityType, name));
  await settle();
  return device(entityId);
}

/** Waits for the server's connection to reach `kind` after the `from`-th state event. */
async function until(kind: ConnectionState["kind"], from: number) {
  await states.waitFor((e) => e.serverId === serverId && e.state.kind === kind, from);
}

const command = (subcommand: string, options: Record<string, string> = {}, user = player) => fake.sendCommand({ guildId, name: "device", subcommand, options, user }).then((h) => h.reply());
const press = (action: "on" | "off", deviceId: string, user = player) =>
  fake.clickButton({ guildId, channelId: channel("smart-devices"), customId: `device:${action}:${deviceId}`, user }).then((h) => h.reply());

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Base" }).id;
  bot = await startTestBot(fake, { rust: { backoff: { baseMs: 20, maxMs: 200 }, infoEveryMs: 60_000 }, env: { STRIPE_SECRET_KEY: "sk_test_hosted", TIER_LIMITS: JSON.stringify({ SCOUT: { smartDevices: 4 } }) } });
  await seedItems(bot.db.prisma); // the catalog names storage monitor contents, as at every start
  bot.ctx.rust.on("state", (id, state) => states.push({ serverId: id, state }));
  bot.devices.onDrawn((d) => drawn.push(d));
  player = fake.createUser();
  const user = await linkUser(bot.db.prisma, player.id);
  userId = user.id;
  steamId = user.steamId;
  rust = await FakeRustServer.start({
    players: [{ steamId, playerToken: TOKEN }],
    world: {
      entities: {
        [SWITCH]: { type: EntityType.Switch, value: false },
        [ALARM]: { type: EntityType.Alarm, value: false },
        [TC]: { type: EntityType.StorageMonitor, items: [{ itemId: -151838493, quantity: 1000, itemIsBlueprint: false }], capacity: 29, hasProtection: true, protectionExpiry: UPKEEP },
        [EXTRA]: { type: EntityType.Switch, value: false },
      },
    },
  });
  await setUpAndListen(fake, bot, { guildId, player, steamId, androidId: ANDROID_ID });
  bot.pushFeed.deliver(ANDROID_ID, push({ type: "server" }));
  await settle();
  serverId = (await bot.db.prisma.pairedServer.findFirstOrThrow({ where: { userId } })).id;
  const from = states.items.length;
  await fake.sendCommand({ guildId, name: "server", subcommand: "connect", options: { server: serverId }, user: player }).then((h) => h.reply());
  await until("connected", from);
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
});

describe("pairing and switching", () => {
  it("turns an entity pairing push into a device with a card showing its state and On / Off buttons", async () => {
    const row = await pair(SWITCH, "1", "Smart Switch");
    expect(row).toMatchObject({ kind: "SWITCH", name: "Smart Switch", isOn: false, unreachableSince: null });
    const message = await card(SWITCH);
    expect(message?.embeds[0]).toMatchObject({ title: "Smart Switch", description: "Smart switch on Rustopia" });
    expect(field(message, "State")).toBe("🔴 Off");
    expect(buttonIds(message)).toEqual([`device:on:${row!.id}`, `device:off:${row!.id}`]);
    // Reading it subscribed the socket to its changes.
    expect(rust.connectionInfo()[0]?.entities).toContain(SWITCH);
  });

  it("On switches it in the game and edits the same card", async () => {
    const row = (await device(SWITCH))!;
    const before = fake.messages(channel("smart-devices")).length;
    const reply = await press("on", row.id);
    expect(reply).toMatchObject({ ephemeral: true, content: "Switched Smart Switch on." });
    expect(rust.world.entities.get(SWITCH)).toMatchObject({ value: true });
    await bot.devices.idle();
    const message = await card(SWITCH);
    expect(message?.id).toBe(row.messageId);
    expect(field(message, "State")).toBe("🟢 On");
    expect(fake.messages(channel("smart-devices"))).toHaveLength(before);
  });

  it("a switch flipped in game edits the card", async () => {
    const row = (await device(SWITCH))!;
    const redrawn = drawn.next((d) => d.device.id === row.id && d.device.isOn === false);
    rust.setEntityValue(SWITCH, false);
    await redrawn;
    const message = await card(SWITCH);
    expect(message?.id).toBe(row.messageId);
    expect(field(message, "State")).toBe("🔴 Off");
  });

  it("shows an alarm's last trigger and a tool cupboard's contents and upkeep", async () => {
    await pair(ALARM, "2", "Smart Alarm");
    expect(field(await card(ALARM), "Last triggered")).toBe("Not yet");
    const alarm = (await device(ALARM))!;
    const triggered = drawn.next((d) => d.device.id === alarm.id && d.device.lastTriggeredAt !== null);
    rust.triggerAlarm(ALARM);
    await triggered;
    expect(field(await card(ALARM), "Last triggered")).toMatch(/^<t:\d+:f> \(<t:\d+:R>\)$/);

    await pair(TC, "3", "Storage Monitor");
    const tc = await card(TC, "storage-monitors");
    expect(field(tc, "Contents")).toBe("Wood × 1,000");
    expect(field(tc, "Upkeep")).toBe(`Lasts until <t:${UPKEEP}:f> (<t:${UPKEEP}:R>)`);
    expect(buttonIds(tc)).toEqual([]);
    const row = (await device(TC))!;
    const changed = drawn.next((d) => d.device.id === row.id && JSON.stringify(d.device.contents).includes("317398316"));
    // 123456789 is no item of the catalog: shown as the id the game sent.
    rust.setStorage(TC, [{ itemId: 317398316, quantity: 30, itemIsBlueprint: false }, { itemId: 317398316, quantity: 20, itemIsBlueprint: false }, { itemId: 123456789, quantity: 1, itemIsBlueprint: true }], { protectionExpiry: 0 });
    await changed;
    const after = await card(TC, "storage-monitors");
    expect(after?.id).toBe(tc?.id);
    expect(field(after, "Contents")).toBe("High Quality Metal × 50\n`123456789` (blueprint) × 1");
    expect(field(after, "Upkeep")).toBe("⚠️ Decaying: no upkeep left");
  });
});

describe("when things go wrong", () => {
  it("tells the owner once about a device the game no longer knows, and stops asking for it", async () => {
    const row = await pair(GONE, "1", "Old Door");
    expect(row?.unreachableSince).toBeInstanceOf(Date);
    const notices = () => statusTexts().filter((t) => t.includes("Old Door (smart switch) was not found on Rustopia"));
    expect(notices()).toHaveLength(1);
    const message = await card(GONE);
    expect(field(message, "Status")).toContain("Not found in game");
    expect(buttonIds(message)).toEqual([]);
    const refused = await press("on", row!.id);
    expect(refused).toMatchObject({ ephemeral: true, content: expect.stringContaining("was not found in game") });
    expect(notices()).toHaveLength(1);
  });

  it("subscribes again after a reconnect: a change in game still edits the card", async () => {
    const row = (await device(SWITCH))!;
    const reachable = await Promise.all([SWITCH, ALARM, TC].map(async (id) => (await device(id))!.id));
    const asked = rust.requests["getEntityInfo"] ?? 0;
    const from = states.items.length;
    const mark = drawn.items.length;
    rust.dropConnections();
    await until("waiting", from);
    // Each device read after the reconnect redraws its card (unchanged cards send nothing to Discord).
    await Promise.all(reachable.map((id) => drawn.waitFor((d) => d.device.id === id, mark)));
    await bot.devices.idle();
    // The three reachable devices are read again; the one not found is not.
    expect((rust.requests["getEntityInfo"] ?? 0) - asked).toBe(3);
    expect(rust.connectionInfo()[0]?.entities.sort()).toEqual([SWITCH, ALARM, TC]);
    const redrawn = drawn.next((d) => d.device.id === row.id && d.device.isOn === true);
    rust.setEntityValue(SWITCH, true);
    await redrawn;
    const message = await card(SWITCH);
    expect(message?.id).toBe(row.messageId);
    expect(field(message, "State")).toBe("🟢 On");
    await bot.notifier.idle();
    expect(statusTexts().filter((t) => t.includes("Old Door"))).toHaveLength(1);
  });

  it("refuses a device over the tier's limit, tells the owner and creates nothing", async () => {
    expect(await bot.db.prisma.smartDevice.count()).toBe(4);
    expect(await pair(EXTRA, "1", "Garage")).toBeNull();
    expect(await bot.db.prisma.smartDevice.count()).toBe(4);
    expect(statusTexts()).toContain("Garage was not added: Your SCOUT tier allows 4 smart devices and you have 4. Upgrade with /subscribe for more. Remove one with /device remove and pair it again.");
  });

  it("asks for the server to be paired first when a device comes from a server the bot does not know", async () => {
    bot.pushFeed.deliver(ANDROID_ID, push({ type: "entity", entityId: "77", entityType: "1", entityName: "Gate", port: "28999", name: "Elsewhere" }));
    await settle();
    expect(await bot.db.prisma.smartDevice.count()).toBe(4);
    expect(statusTexts()).toContain(
      "You paired Gate on Elsewhere, but that server is not paired with the bot. Pair the server first (menu → Rust+ → Pair with server), then pair the device again.",
    );
  });

  it("lets a guest press the buttons, and nobody else", async () => {
    const row = (await device(SWITCH))!;
    const guest = fake.createUser();
    const guestUser = await linkUser(bot.db.prisma, guest.id);
    await bot.db.prisma.dashboardGuestAccess.create({ data: { ownerUserId: userId, pairedServerId: serverId, guestSteamId: guestUser.steamId, guestUserId: guestUser.id } });
    expect(await press("off", row.id, guest)).toMatchObject({ ephemeral: true, content: "Switched Smart Switch off." });
    expect(rust.world.entities.get(SWITCH)).toMatchObject({ value: false });

    const stranger = fake.createUser();
    await linkUser(bot.db.prisma, stranger.id);
    expect(await press("on", row.id, stranger)).toMatchObject({ ephemeral: true, content: expect.stringContaining("which is not shared with you, so you cannot switch it") });
    expect(rust.world.entities.get(SWITCH)).toMatchObject({ value: false });
    expect(await command("rename", { device: row.id, name: "Mine now" }, guest)).toMatchObject({ ephemeral: true, content: expect.stringContaining("only the player who paired it can rename it") });
    expect(await press("on", "Not-An-Id", stranger)).toMatchObject({ ephemeral: true, content: "This button is not valid any more." });
  });
});

describe("/device", () => {
  it("lists devices with their state and finds them by name", async () => {
    const list = await command("list");
    expect(list.ephemeral).toBe(true);
    expect(list.content).toContain("💡 **Smart Switch** — smart switch, off · Rustopia");
    expect(list.content).toContain("📦 **Storage Monitor** — storage monitor, 3 stacks · Rustopia");
    expect(list.content).toContain("Your devices: 4 of 4 (SCOUT tier).");
    const row = (await device(SWITCH))!;
    const choices = await fake.autocomplete({ guildId, name: "device", subcommand: "rename", options: { device: "swi" }, focused: "device", user: player });
    expect(choices).toEqual([{ name: "Smart Switch — smart switch on Rustopia", value: row.id }]);
  });

  it("answers bad input clearly and changes nothing", async () => {
    const row = (await device(SWITCH))!;
    expect(await command("rename", { device: row.id, name: "   " })).toMatchObject({ ephemeral: true, content: "`name`: Give the device a name." });
    expect(await command("rename", { device: row.id, name: "x".repeat(61) })).toMatchObject({ ephemeral: true, content: "`name`: Keep the name to 60 characters." });
    expect(await command("rename", { device: "not a device", name: "Door" })).toMatchObject({ ephemeral: true, content: "`device`: Pick a device from the list." });
    expect(await command("remove", { device: "abc123" })).toMatchObject({ ephemeral: true, content: expect.stringContaining("That is not one of your devices (or it was removed).") });
    expect(await command("list", { server: "nope" })).toMatchObject({ ephemeral: true, content: expect.stringContaining("That is not one of your servers or one shared with you") });
    expect((await device(SWITCH))?.name).toBe("Smart Switch");
    expect(await bot.db.prisma.smartDevice.count()).toBe(4);
  });

  it("renames a device (its card follows) and removes one (its card goes)", async () => {
    const row = (await device(SWITCH))!;
    expect(await command("rename", { device: row.id, name: "Front door" })).toMatchObject({ ephemeral: true, content: "Renamed Smart Switch to Front door." });
    const message = await card(SWITCH);
    expect(message?.id).toBe(row.messageId);
    expect(message?.embeds[0]?.title).toBe("Front door");

    const gone = (await device(GONE))!;
    expect(await command("remove", { device: gone.id })).toMatchObject({ ephemeral: true, content: "Removed Old Door. Pair it again in game to bring it back." });
    expect(await device(GONE)).toBeNull();
    expect(fake.messages(channel("smart-devices")).some((m) => m.id === gone.messageId)).toBe(false);
    expect(await press("on", gone.id)).toMatchObject({ ephemeral: true, content: expect.stringContaining("This device is not paired any more") });
  });
});
