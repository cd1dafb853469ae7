// Pairing to a live server, end to end: a pairing push (the real payload shape) → PairedServer and a status
// message with Connect / Remove → Connect opens a rustplus.js socket to the fake Rust server → the card in the
// status channel → /server list|info|disconnect, the tier limit, a wipe told once, re-pairing, a bot restart.
import type { APIMessage } from "discord.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { ConnectionState } from "../../src/rustplus/connection.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser, setUpAndListen, startTestBot, type TestBot } from "../helpers/bot.ts";

let fake: FakeDiscord;
let rust: FakeRustServer;
let second: FakeRustServer;
let bot: TestBot;
let guildId: string;
let player: ReturnType<FakeDiscord["createUser"]>;
let userId: string;
let steamId: string;
let states: Log<{ serverId: string; state: ConnectionState }>;
const ANDROID_ID = "5550000000000000001";
const TOKEN = -1_234_567_890;
let pushes = 0;

const pairingPush = (server: FakeRustServer, name: string, playerToken: number) => ({
  persistentId: `0:${++pushes}%pair`,
  appData: [
    { key: "channelId", value: "pairing" },
    { key: "title", value: name },
    { key: "message", value: "Tap to pair with this server." },
    {
      key: "body",
      value: JSON.stringify({ img: "", port: String(server.port), ip: "127.0.0.1", name, id: "4d0b6f0e", type: "server", url: "", desc: "", playerId: steamId, playerToken: String(playerToken) }),
    },
  ],
});

const statusChannel = () => fake.channels(guildId).find((c) => c.name === "server-status")!.id;
const statusMessages = () => fake.messages(statusChannel());
const card = (serverName: string) => statusMessages().find((m) => m.embeds[0]?.title === serverName && m.embeds[0]?.fields?.some((f) => f.name === "Status"));
const cardStatus = (serverName: string) => card(serverName)?.embeds[0]?.fields?.find((f) => f.name === "Status")?.value;
const buttonIds = (m: APIMessage | undefined) =>
  (m?.components ?? []).flatMap((row) => ("components" in row ? (row.components as object[]) : [])).map((c) => ("custom_id" in c ? String(c.custom_id) : ""));

function watchStates() {
  states = new Log();
  bot.ctx.rust.on("state", (serverId, state) => states.push({ serverId, state }));
}

/** Waits for the server's connection to reach `kind` (after the `from`-th state event, when given). */
async function until(serverId: string, kind: ConnectionState["kind"], from = 0) {
  for (;;) {
    const last = states.items.slice(from).findLast((e) => e.serverId === serverId);
    if (last?.state.kind === kind) break;
    await states.next((e) => e.serverId === serverId);
  }
  await bot.ctx.rust.settled();
  await bot.ctx.cards.idle();
  await bot.notifier.idle();
}

async function pair(server: FakeRustServer, name: string, token: number) {
  bot.pushFeed.deliver(ANDROID_ID, pairingPush(server, name, token));
  await bot.pushes.drained();
  await bot.ctx.cards.idle();
  await bot.notifier.idle();
  return bot.db.prisma.pairedServer.findUniqueOrThrow({ where: { userId_ip_port: { userId, ip: "127.0.0.1", port: server.port } } });
}

const command = (subcommand: string, options: Record<string, string> = {}) => fake.sendCommand({ guildId, name: "server", subcommand, options, user: player }).then((h) => h.reply());

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Raid Base" }).id;
  // Quick retries so the test does not wait out real backoff; the schedule itself is tested on a virtual clock.
  // A hosted bot (billing on), so a user without a subscription has the free tier's limits.
  bot = await startTestBot(fake, { rust: { backoff: { baseMs: 20, maxMs: 200 }, infoEveryMs: 60_000 }, env: { STRIPE_SECRET_KEY: "sk_test_hosted" } });
  watchStates();
  player = fake.createUser();
  const user = await linkUser(bot.db.prisma, player.id);
  userId = user.id;
  steamId = user.steamId;
  rust = await FakeRustServer.start({ players: [{ steamId, playerToken: TOKEN }] });
  second = await FakeRustServer.start({ players: [{ steamId, playerToken: 7 }], world: { info: { name: "Second Server" } } });
  await setUpAndListen(fake, bot, { guildId, player, steamId, androidId: ANDROID_ID });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  await second?.close();
});

describe("pairing and connecting", () => {
  it("turns a pairing push into a PairedServer and a status message with Connect and Remove", async () => {
    const server = await pair(rust, "Rustopia EU Main", TOKEN);
    expect(server).toMatchObject({ serverName: "Rustopia EU Main", live: false, playerSteamId: steamId });
    const message = statusMessages().find((m) => m.embeds[0]?.description?.startsWith("Paired with Rustopia EU Main"));
    expect(message?.embeds[0]?.description).toMatch(new RegExp(`^Paired with Rustopia EU Main \\(127\\.0\\.0\\.1:${rust.port}\\)\\. Connect to keep it live\\.\n\nNotifications for your servers go to \\*\\*`));
    expect(buttonIds(message)).toEqual([`server:connect:${server.id}`, `server:remove:${server.id}`]);
    expect(rust.connections).toBe(0);
  });

  it("Connect opens a socket to the game server and the card shows its info", async () => {
    const server = await pair(rust, "Rustopia EU Main", TOKEN);
    const message = statusMessages().find((m) => buttonIds(m).includes(`server:connect:${server.id}`))!;
    const reply = await fake.clickButton({ guildId, channelId: statusChannel(), messageId: message.id, customId: `server:connect:${server.id}`, user: player }).then((h) => h.reply());
    expect(reply).toMatchObject({ ephemeral: true, content: expect.stringContaining("Connecting to Rustopia EU Main") });
    await until(server.id, "connected");
    expect(rust.connections).toBe(1);
    expect(cardStatus("Rustopia EU Main")).toBe("🟢 connected");
    const fields = Object.fromEntries(card("Rustopia EU Main")!.embeds[0]!.fields!.map((f) => [f.name, f.value]));
    expect(fields).toMatchObject({ Players: expect.stringMatching(/^\d+ \/ 200/), Map: expect.stringContaining("3000 m"), Wiped: expect.stringMatching(/^<t:\d+:R>$/) });
    expect(fields["Time"]).toMatch(/^\d\d:\d\d (☀️|🌙)$/);
    expect(buttonIds(card("Rustopia EU Main"))).toEqual([`server:disconnect:${server.id}`, `server:remove:${server.id}`]);
  });

  it("lists servers with their state, and shows info to the owner", async () => {
    const list = await command("list");
    expect(list.content).toContain("🟢 **Rustopia EU Main** — connected");
    expect(list.content).toContain("Live: 1 of 1 (SCOUT tier).");
    const server = await bot.db.prisma.pairedServer.findFirstOrThrow({ where: { userId, port: rust.port } });
    const info = await command("info", { server: server.id });
    expect(info.embeds[0]?.fields?.find((f) => f.name === "Players")?.value).toMatch(/ \/ 200/);
    const choices = await fake.autocomplete({ guildId, name: "server", subcommand: "info", options: { server: "rusto" }, focused: "server", user: player });
    expect(choices).toEqual([{ name: "Rustopia EU Main", value: server.id }]);
  });

  it("posts a live server's death push its team state did not show, and pushes for other servers", async () => {
    const push = (server: FakeRustServer, channelId: string, body: object) => ({
      persistentId: `0:${++pushes}%${channelId}`,
      appData: [
        { key: "channelId", value: channelId },
        { key: "title", value: "Team" },
        { key: "body", value: JSON.stringify({ ip: "127.0.0.1", port: String(server.port), name: "A server", ...body }) },
      ],
    });
    bot.pushFeed.deliver(ANDROID_ID, push(rust, "player", { type: "death", targetId: "" }));
    bot.pushFeed.deliver(ANDROID_ID, push(second, "team", { type: "login", targetId: "76561198000000009", targetName: "Mate elsewhere" }));
    await bot.pushes.drained();
    const deaths = () => fake.messages(fake.channels(guildId).find((c) => c.name === "deaths-and-logins")!.id).map((m) => m.embeds[0]?.title);
    // The death is held until matched with the team state (which saw none here), so it may follow the login; on a
    // busy machine one post may still be on its way when the notifier first goes idle: wait for both.
    await vi.waitFor(() => expect(deaths().sort()).toEqual(["Mate elsewhere is online", "💀 Linked player died"].sort()), { timeout: 20_000, interval: 100 });
  });

  it("refuses a second live server beyond the tier, and says how to get more", async () => {
    const other = await pair(second, "Second Server", 7);
    const reply = await command("connect", { server: other.id });
    expect(reply).toMatchObject({ ephemeral: true, content: expect.stringContaining("Your SCOUT tier allows 1 paired servers live at once") });
    expect((await bot.db.prisma.pairedServer.findUniqueOrThrow({ where: { id: other.id } })).live).toBe(false);
    expect(second.connections).toBe(0);
  });

  it("refuses bad input and other players' servers without changing anything", async () => {
    const stranger = fake.createUser();
    await linkUser(bot.db.prisma, stranger.id);
    const server = await bot.db.prisma.pairedServer.findFirstOrThrow({ where: { userId, port: rust.port } });
    const refused = await fake.sendCommand({ guildId, name: "server", subcommand: "disconnect", options: { server: server.id }, user: stranger }).then((h) => h.reply());
    expect(refused).toMatchObject({ ephemeral: true, content: expect.stringContaining("You have no paired server yet. Pair one first") });
    const unknown = await command("info", { server: "nope" });
    expect(unknown).toMatchObject({ ephemeral: true, content: expect.stringContaining("That is not one of your servers or one shared with you") });
    expect(rust.connections).toBe(1);
  });
});

describe("when things go wrong", () => {
  it("reconnects after the game server restarts", async () => {
    const server = await bot.db.prisma.pairedServer.findFirstOrThrow({ where: { userId, port: rust.port } });
    const from = states.items.length;
    await rust.restart();
    const dropped = await states.waitFor((e) => e.serverId === server.id && e.state.kind === "waiting", from);
    await until(server.id, "connected", states.items.indexOf(dropped));
    expect(rust.connections).toBe(1);
    expect(cardStatus("Rustopia EU Main")).toBe("🟢 connected");
  });

  it("detects a wipe, tells the owner once, and reconnects when the server is paired again", async () => {
    const server = await bot.db.prisma.pairedServer.findFirstOrThrow({ where: { userId, port: rust.port } });
    await rust.restart(() => rust.wipe());
    await until(server.id, "rejected");
    const notices = () => statusMessages().filter((m) => m.embeds[0]?.description?.includes("no longer accepts the bot's pairing"));
    expect(notices()).toHaveLength(1);
    expect(cardStatus("Rustopia EU Main")).toBe("🔴 needs pairing again (wiped or revoked)");
    const reply = await command("connect", { server: server.id });
    expect(reply.content).toContain("Pair it again in game");
    expect(notices()).toHaveLength(1);

    rust.addPlayer(steamId, 4242);
    await pair(rust, "Rustopia EU Main", 4242);
    await until(server.id, "connected");
    expect(rust.connections).toBe(1);
    expect(statusMessages().some((m) => m.embeds[0]?.description?.startsWith("Paired again with Rustopia EU Main"))).toBe(true);
    expect(cardStatus("Rustopia EU Main")).toBe("🟢 connected");
  });

  it("restores the live connection after a bot restart without replaying old pushes", async () => {
    const server = await bot.db.prisma.pairedServer.findFirstOrThrow({ where: { userId, port: rust.port } });
    const before = statusMessages().length;
    await bot.restart();
    watchStates();
    // The restart's first fleet round may have connected already; otherwise wait for it.
    if (bot.ctx.rust.status(server.id)?.state.kind !== "connected") await until(server.id, "connected");
    await bot.ctx.rust.settled();
    await bot.pushes.drained();
    expect(rust.connections).toBe(1);
    expect(second.connections).toBe(0);
    expect(statusMessages()).toHaveLength(before);
  });
});

describe("disconnecting and removing", () => {
  it("disconnects, then removes after a confirmation, taking its card and its devices' cards away", async () => {
    const server = await bot.db.prisma.pairedServer.findFirstOrThrow({ where: { userId, port: rust.port } });
    const devicesChannel = fake.channels(guildId).find((c) => c.name === "smart-devices")!.id;
    const body = { img: "", port: String(rust.port), ip: "127.0.0.1", name: "Rustopia EU Main", id: "4d0b6f0e", url: "", desc: "", playerId: steamId, playerToken: "4242" };
    const entity = { type: "entity", entityId: "1001", entityType: "1", entityName: "Front door" };
    bot.pushFeed.deliver(ANDROID_ID, {
      persistentId: `0:${++pushes}%entity`,
      appData: [{ key: "channelId", value: "pairing" }, { key: "title", value: "Front door" }, { key: "body", value: JSON.stringify({ ...body, ...entity }) }],
    });
    await bot.pushes.drained();
    await bot.devices.idle();
    expect(fake.messages(devicesChannel)).toHaveLength(1);
    expect((await command("disconnect", { server: server.id })).content).toContain("Disconnected from Rustopia EU Main");
    await bot.ctx.cards.idle();
    expect(cardStatus("Rustopia EU Main")).toBe("⚪ offline (not connected)");
    expect(bot.ctx.rust.status(server.id)).toBeNull();

    const ask = await fake.clickButton({ guildId, channelId: statusChannel(), messageId: card("Rustopia EU Main")!.id, customId: `server:remove:${server.id}`, user: player }).then((h) => h.reply());
    expect(ask).toMatchObject({ ephemeral: true, content: expect.stringContaining("Remove **Rustopia EU Main**?") });
    expect(await bot.db.prisma.pairedServer.count({ where: { id: server.id } })).toBe(1);
    const done = await fake.clickButton({ guildId, channelId: statusChannel(), customId: `server:remove-confirm:${server.id}`, user: player }).then((h) => h.reply());
    expect(done.content).toContain("Removed Rustopia EU Main");
    expect(await bot.db.prisma.pairedServer.count({ where: { id: server.id } })).toBe(0);
    expect(card("Rustopia EU Main")).toBeUndefined();
    expect(fake.messages(devicesChannel)).toEqual([]);
  });
});
