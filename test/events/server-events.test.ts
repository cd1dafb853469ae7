// Map events, deaths and logins end to end: the bot (real discord.js client against the fake Discord) connects
// through rustplus.js to the fake Rust server; both run on one virtual clock, so a poll happens when the test
// moves time on by a poll interval, and nothing waits on real time.
import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POLL_EVERY_MS } from "../../src/events/server-events.ts";
import type { AppBroadcast, ConnectionState } from "../../src/rustplus/connection.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { FakeRustServer, MarkerType, type Marker, type TeamMember } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { steamId as newSteamId } from "../helpers/fixtures.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";

const TOKEN = -42_424_242;
const BOB = newSteamId();
let timers: ManualTimers;
let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let serverId: string;
let steamId: string;
let states: Log<{ serverId: string; state: ConnectionState }>;
let broadcasts: Log<AppBroadcast>;
let player: ReturnType<FakeDiscord["createUser"]>;

const cargo: Marker = { id: 100, type: MarkerType.CargoShip, x: 1200, y: 1300 };
const oldShop: Marker = { id: 200, type: MarkerType.VendingMachine, x: 100, y: 100, name: "Old shop", outOfStock: false, sellOrders: [] };
const member = (id: string, name: string, x: number, y: number): TeamMember => ({ steamId: id, name, x, y, isOnline: true, spawnTime: 0, isAlive: true, deathTime: 0 });

const channel = (name: string) => fake.channels(guildId).find((c) => c.name === name)!.id;
const embeds = (name: string) => fake.messages(channel(name)).flatMap((m) => m.embeds);
const titles = (name: string) => embeds(name).map((e) => e.title);

/** One poll interval on the shared clock, then every post it caused is in Discord. */
async function poll(markers?: Marker[]) {
  if (markers) rust.setMarkers(markers);
  timers.advance(POLL_EVERY_MS);
  await delivered();
}

async function delivered() {
  await bot.events.settled();
  await bot.notifier.idle();
}

/** A change in game that sends teamChanged, handled and delivered. */
async function inGame(change: () => void) {
  const next = broadcasts.next((b) => b.teamChanged !== undefined);
  change();
  await next;
  await delivered();
}

beforeAll(async () => {
  timers = new ManualTimers();
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Raid Base" }).id;
  bot = await startTestBot(fake, { rust: { timers, requestTimeoutMs: 600_000, backoff: { baseMs: 1_000, maxMs: 1_000 } } });
  states = new Log();
  broadcasts = new Log();
  bot.ctx.rust.on("state", (id, state) => states.push({ serverId: id, state }));
  bot.ctx.rust.on("broadcast", (_id, broadcast) => broadcasts.push(broadcast));
  player = fake.createUser();
  const user = await linkUser(bot.db.prisma, player.id);
  steamId = user.steamId;
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: player, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
  rust = await FakeRustServer.start({
    clock: timers.now,
    players: [{ steamId, playerToken: TOKEN }],
    world: { markers: [cargo, oldShop], team: { leaderSteamId: steamId, members: [member(steamId, "Me", 1500, 1500), member(BOB, "Bob", 1000, 2000)] } },
  });
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  const server = await bot.db.prisma.pairedServer.create({
    data: { userId: user.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: rust.port, playerSteamId: steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
  });
  serverId = server.id;
  const seeded = bot.events.seeded(serverId);
  await bot.ctx.rust.connect(serverId);
  await seeded;
  await delivered();
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});

describe("map events", () => {
  it("posts nothing for what was already on the map when it connected", async () => {
    await poll();
    expect(embeds("events")).toEqual([]);
    expect(embeds("deaths-and-logins")).toEqual([]);
  });

  it("posts each event once, with its grid, however often it is polled", async () => {
    const heli: Marker = { id: 300, type: MarkerType.PatrolHelicopter, x: -150, y: 1500 };
    const shop: Marker = { ...oldShop, id: 201, x: 500, y: 2500, name: "Cheap Scrap" };
    await poll([cargo, oldShop, heli, shop]);
    await poll();
    expect(titles("events")).toEqual(["🚁 Patrol helicopter entered", "🏪 New vending machine at D3 near Launch Site"]);
    expect(embeds("events")[0]?.description).toBe("A patrol helicopter entered the map from the west.");
    expect(embeds("events")[1]?.description).toBe("A new vending machine opened: Cheap Scrap");
    expect(embeds("events")[0]?.footer?.text).toBe("Rustopia EU");

    await poll([cargo, oldShop, shop, { ...heli, x: 1500 }]);
    await poll([oldShop, shop]);
    await poll();
    expect(titles("events").slice(2)).toEqual(["🚢 Cargo ship left", "🚁 Patrol helicopter destroyed at K10 near Outpost"]);

    const second: Marker = { ...heli, id: 301, x: 3100, y: 2000 };
    await poll([oldShop, shop, second]);
    await poll([oldShop, shop]);
    expect(titles("events").slice(4)).toEqual(["🚁 Patrol helicopter entered", "🚁 Patrol helicopter left"]);
  });

  it("tells when heavy scientists are called at an oil rig, with the crate's unlock time", async () => {
    const before = embeds("events").length;
    const ch47: Marker = { id: 400, type: MarkerType.CH47, x: 3300, y: 800 };
    await poll([oldShop, ch47]);
    await poll([oldShop, { ...ch47, x: 2990, y: 900 }]);
    const calledAt = timers.now();
    await poll([oldShop, { ...ch47, x: 2900, y: 250 }]);
    expect(titles("events").slice(before)).toEqual(["🚁 Chinook entered", "🛢️ Heavy scientists called at T18 near Large Oil Rig"]);
    const unlock = Math.round((calledAt + POLL_EVERY_MS + 15 * 60_000) / 1000);
    expect(embeds("events").at(-1)?.description).toBe(`Heavy scientists are on their way to the Large Oil Rig. Its locked crate unlocks at <t:${unlock}:t> (<t:${unlock}:R>).`);
  });

  it("tells when the travelling vendor arrives and leaves", async () => {
    const before = embeds("events").length;
    await poll([oldShop, { id: 500, type: MarkerType.TravelingVendor, x: 1400, y: 1600 }]);
    await poll([oldShop]);
    expect(titles("events").slice(before)).toEqual(["🐫 Travelling vendor arrived at J9 near Outpost", "🐫 Travelling vendor left"]);
  });

  it("skips a marker it cannot read and still reports the rest", async () => {
    const before = embeds("events").length;
    await poll([oldShop, { id: 600, type: MarkerType.CargoShip, x: Number.NaN, y: 10 }, { id: 601, type: MarkerType.CargoShip, x: 1500, y: -200 }]);
    expect(titles("events").slice(before)).toEqual(["🚢 Cargo ship entered"]);
    expect(embeds("events").at(-1)?.description).toBe("A cargo ship entered the map from the south. It leaves about 50 minutes after it arrived.");
    expect(bot.logs.some((l) => l["msg"] === "skipped an entry the server sent that is not valid" && l["what"] === "map marker")).toBe(true);
  });

  it("does not post again after a reconnect, and stops polling while disconnected", async () => {
    const markers: Marker[] = [oldShop, { id: 601, type: MarkerType.CargoShip, x: 1500, y: 100 }, { id: 700, type: MarkerType.PatrolHelicopter, x: 700, y: 700 }];
    rust.setMarkers(markers);
    const before = embeds("events").length;
    const from = states.items.length;
    rust.dropConnections();
    await states.waitFor((e) => e.serverId === serverId && e.state.kind === "waiting", from);
    const polls = rust.requests["getMapMarkers"];
    const seeded = bot.events.seeded(serverId);
    timers.advance(1_000);
    await seeded;
    await poll();
    await poll();
    expect(rust.requests["getMapMarkers"]).toBe((polls ?? 0) + 3);
    expect(embeds("events").length).toBe(before);
    // Still watching: what changes after the reconnect is news again.
    await poll([oldShop, { id: 601, type: MarkerType.CargoShip, x: 1500, y: 100 }]);
    expect(titles("events").slice(before)).toEqual(["🚁 Patrol helicopter destroyed at E15"]);
  });
});

describe("per-server event switches", () => {
  it("/events set keeps a kind of event quiet for the server, and on again when asked", async () => {
    const events = (subcommand: string, options: Record<string, string | boolean>) => fake.sendCommand({ guildId, name: "events", subcommand, options, user: player }).then((h) => h.reply());
    expect((await events("set", { server: serverId, event: "cargo", post: false })).content).toBe("Cargo ship: not posted for Rustopia EU from now on.");
    expect((await events("show", { server: serverId })).content).toContain("🔕 Cargo ship\n🔔 Patrol helicopter");
    const before = embeds("events").length;
    const ship: Marker = { id: 900, type: MarkerType.CargoShip, x: -100, y: 1000 };
    const heli: Marker = { id: 901, type: MarkerType.PatrolHelicopter, x: -100, y: 900 };
    await poll([oldShop, ship, heli]);
    expect(titles("events").slice(before)).toEqual(["🚁 Patrol helicopter entered"]);

    await events("set", { server: serverId, event: "cargo", post: true });
    await poll([oldShop, heli]);
    expect(titles("events").slice(before)).toEqual(["🚁 Patrol helicopter entered", "🚢 Cargo ship left"]);
    await poll([oldShop]);
    expect(await events("set", { server: serverId, event: "nukes", post: false })).toMatchObject({ ephemeral: true });
  });
});

describe("deaths and logins", () => {
  it("posts a teammate's death once with its grid and records a death note there", async () => {
    await inGame(() => rust.updateMember(BOB, { x: 1000, y: 2000 }));
    expect(embeds("deaths-and-logins")).toEqual([]);
    await inGame(() => rust.killPlayer(BOB));
    await inGame(() => rust.updateMember(BOB, { x: 1001 }));
    expect(titles("deaths-and-logins")).toEqual(["💀 Bob died at G6"]);
    const notes = await bot.db.prisma.mapNote.findMany({ where: { pairedServerId: serverId } });
    expect(notes).toMatchObject([{ category: "DEATH", x: 1000, y: 2000, label: "Bob died at G6" }]);
  });

  it("posts logouts and logins", async () => {
    await inGame(() => rust.updateMember(BOB, { isOnline: false }));
    await inGame(() => rust.updateMember(BOB, { isOnline: true }));
    expect(titles("deaths-and-logins").slice(1)).toEqual(["Bob went offline", "Bob is online"]);
  });

  it("names a death's place by the game's grid (150 m cells here) and the monument it is near, in the post and the note", async () => {
    const before = embeds("deaths-and-logins").length;
    await inGame(() => rust.updateMember(BOB, { isAlive: true, x: 1470, y: 1530 }));
    await inGame(() => rust.updateMember(BOB, { isAlive: false, deathTime: rust.world.member(BOB)!.deathTime + 60 }));
    // The fake map's Outpost is at (1500, 1500); the old fixed 146.25 m cell said K10.
    expect(titles("deaths-and-logins").slice(before)).toEqual(["💀 Bob died at J9 near Outpost"]);
    expect(await bot.db.prisma.mapNote.findFirst({ where: { pairedServerId: serverId, category: "DEATH", x: 1470 } })).toMatchObject({ label: "Bob died at J9 near Outpost" });
  });

  it("after a reconnect, reposts nothing and posts a death it missed while away once", async () => {
    const before = embeds("deaths-and-logins").length;
    const from = states.items.length;
    await rust.stop();
    await states.waitFor((e) => e.serverId === serverId && e.state.kind === "waiting", from);
    // Died while the bot could not hear the broadcast.
    const bob = rust.world.member(BOB)!;
    Object.assign(bob, { isAlive: false, deathTime: bob.deathTime + 120 });
    await rust.resume();
    const seeded = bot.events.seeded(serverId);
    timers.advance(1_000);
    await seeded;
    await delivered();
    expect(titles("deaths-and-logins").slice(before)).toEqual(["💀 Bob died at J9 near Outpost"]);
    expect(await bot.db.prisma.mapNote.count({ where: { pairedServerId: serverId, category: "DEATH" } })).toBe(3);
  });

  it("skips a team member it cannot read, logs it, and still reports the others", async () => {
    const before = embeds("deaths-and-logins").length;
    const team = rust.world.team!;
    const members = team.members.map((m) => (m.steamId === BOB ? { ...m, x: Number.NaN } : { ...m, isOnline: false }));
    await inGame(() => rust.broadcast({ teamChanged: { playerId: steamId, teamInfo: { leaderSteamId: team.leaderSteamId, members, mapNotes: [], leaderMapNotes: [] } } }));
    expect(titles("deaths-and-logins").slice(before)).toEqual(["Me went offline"]);
    expect(bot.logs.some((l) => l["msg"] === "skipped an entry the server sent that is not valid" && l["what"] === "team member")).toBe(true);
  });
});
