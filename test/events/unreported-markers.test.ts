// A server that does not report some map markers through Rust+ (as official servers since the August 2026
// update): the bot (real discord.js against the fake Discord, rustplus.js against the fake Rust server, one
// virtual clock) tells the owner once per kind in #server-status, /events show says so, a restart does not
// repeat it, and when the markers come back it says that once and posts events again.
import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VENDING_SILENT_AFTER } from "../../src/events/marker-watch.ts";
import { POLL_EVERY_MS } from "../../src/events/server-events.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { DEFAULT_REPORTED_MARKERS, FakeRustServer, MarkerType, OFFICIAL_2026_REPORTED_MARKERS, type Marker } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";

const TOKEN = -42_424_243;
const HOUR = 3_600_000;
let timers: ManualTimers;
let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let serverId: string;
let player: ReturnType<FakeDiscord["createUser"]>;

// On the map in game, but an official server since August 2026 does not send them.
const cargo: Marker = { id: 100, type: MarkerType.CargoShip, x: 1200, y: 1300 };
const outpostShop: Marker = { id: 200, type: MarkerType.VendingMachine, x: 1500, y: 1510, name: "Outpost", outOfStock: false, sellOrders: [] };

const channel = (name: string) => fake.channels(guildId).find((c) => c.name === name)!.id;
const texts = (name: string) => fake.messages(channel(name)).flatMap((m) => m.embeds.map((e) => e.description ?? ""));
const aboutRustPlus = () => texts("server-status").filter((t) => t.includes("Rust+"));
const show = () => fake.sendCommand({ guildId, name: "events", subcommand: "show", options: { server: serverId }, user: player }).then((h) => h.reply());

async function delivered() {
  await bot.events.settled();
  await bot.notifier.idle();
}

/** Polls for `ms` of game time, one poll interval at a time, and delivers what they caused. */
async function pollFor(ms: number) {
  for (let t = 0; t < ms; t += POLL_EVERY_MS) {
    timers.advance(POLL_EVERY_MS);
    await bot.events.settled();
  }
  await delivered();
}

async function connect() {
  const seeded = bot.events.seeded(serverId);
  await bot.ctx.rust.connect(serverId);
  await seeded;
  await delivered();
}

beforeAll(async () => {
  timers = new ManualTimers();
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Raid Base" }).id;
  bot = await startTestBot(fake, { rust: { timers, requestTimeoutMs: 600_000, infoEveryMs: HOUR, backoff: { baseMs: 1_000, maxMs: 1_000 } } });
  player = fake.createUser();
  const user = await linkUser(bot.db.prisma, player.id);
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: player, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
  // The fake's default map has Outpost, whose vending machines are always there.
  rust = await FakeRustServer.start({ clock: timers.now, players: [{ steamId: user.steamId, playerToken: TOKEN }], world: { markers: [cargo, outpostShop], reportedMarkers: OFFICIAL_2026_REPORTED_MARKERS } });
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  serverId = (
    await bot.db.prisma.pairedServer.create({
      data: { userId: user.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: rust.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    })
  ).id;
  await connect();
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});

describe("a server that does not report events and vending machines", () => {
  it("says once, within minutes, that it reports no vending machines although the map has Outpost", async () => {
    await pollFor(VENDING_SILENT_AFTER.ms);
    await pollFor(10 * 60_000);
    expect(aboutRustPlus()).toEqual([expect.stringContaining("Rust+ reports no vending machines on this server, not even the ones Outpost and Bandit Camp always have")]);
  });

  it("says once, after 6 hours of polling, that it reports no cargo ship, patrol helicopter or Chinook; the vendor after 8", async () => {
    await pollFor(6 * HOUR - 20 * 60_000);
    expect(aboutRustPlus()).toHaveLength(1);
    await pollFor(20 * 60_000);
    expect(aboutRustPlus().slice(1)).toEqual([
      expect.stringContaining("Rust+ has not reported the cargo ship, the patrol helicopter and the Chinook (CH47) on this server in 6 hours of watching"),
    ]);
    await pollFor(2 * HOUR);
    expect(aboutRustPlus().slice(2)).toEqual([expect.stringContaining("Rust+ has not reported the travelling vendor on this server in 8 hours of watching")]);
    expect(embedsOf("events")).toEqual([]);
  });

  it("/events show names what the server does not report", async () => {
    const { content } = await show();
    expect(content).toContain("🔔 Cargo ship: this server does not report the cargo ship through Rust+");
    expect(content).toContain("🔔 Heavy scientists at oil rigs: this server does not report the Chinook (CH47) through Rust+");
    expect(content).toContain("🔔 New vending machines: this server does not report vending machines through Rust+");
  });

  it("does not say it again after a restart, and still knows it", async () => {
    const before = aboutRustPlus().length;
    expect(before).toBe(3);
    const polls = rust.requests["getMapMarkers"] ?? 0;
    await bot.restart();
    const seeded = bot.events.seeded(serverId);
    timers.advance(1_000);
    await seeded;
    await pollFor(8 * HOUR);
    expect(rust.requests["getMapMarkers"]).toBeGreaterThan(polls + (8 * HOUR) / POLL_EVERY_MS);
    expect(aboutRustPlus()).toHaveLength(before);
    expect((await show()).content).toContain("🔔 Travelling vendor: this server does not report the travelling vendor through Rust+");
  });

  it("when the markers come back, says so once, posts no old news, then posts events again", async () => {
    const before = aboutRustPlus().length;
    rust.world.reportedMarkers = new Set(DEFAULT_REPORTED_MARKERS);
    await pollFor(10 * POLL_EVERY_MS);
    // The first helicopter seen again may have been flying for a while: not announced as entering.
    rust.setMarkers([cargo, outpostShop, { id: 300, type: MarkerType.PatrolHelicopter, x: 1000, y: 1500 }]);
    await pollFor(10 * POLL_EVERY_MS);
    expect(aboutRustPlus().slice(before)).toEqual([
      "Rust+ reports the cargo ship and vending machines on this server again: their map events are posted again.",
      "Rust+ reports the patrol helicopter on this server again: its map events are posted again.",
    ]);
    expect(embedsOf("events")).toEqual([]);
    rust.setMarkers([outpostShop, { id: 300, type: MarkerType.PatrolHelicopter, x: 3100, y: 1500 }, { id: 201, type: MarkerType.VendingMachine, x: 500, y: 2500, name: "Cheap Scrap" }]);
    await pollFor(POLL_EVERY_MS);
    rust.setMarkers([outpostShop, { id: 201, type: MarkerType.VendingMachine, x: 500, y: 2500, name: "Cheap Scrap" }]);
    await pollFor(10 * POLL_EVERY_MS);
    expect(embedsOf("events").map((e) => e.title)).toEqual(["🏪 New vending machine at D3 near Launch Site", "🚢 Cargo ship left", "🚁 Patrol helicopter left"]);
    expect(aboutRustPlus()).toHaveLength(before + 2);
    const { content } = await show();
    expect(content).toContain("🔔 Cargo ship\n🔔 Patrol helicopter\n");
    expect(content).toContain("🔔 Chinook (CH47): this server does not report the Chinook (CH47) through Rust+");
  });
});

const embedsOf = (name: string) => fake.messages(channel(name)).flatMap((m) => m.embeds);
