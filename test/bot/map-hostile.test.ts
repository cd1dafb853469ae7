// /map and /note against odd states, through the real clients (discord.js against the fake Discord, rustplus.js
// against the fake Rust+): a server whose getMap answer is not a usable image, a stored image that cannot be drawn.
// The bot answers plainly and recovers at the next request, never keeping a bad image for the rest of the wipe.
import { PermissionFlagsBits, type APIUser } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeRustServer, type TeamMember } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";

const TOKEN = 737_375;
let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let serverId: string;
let alice: APIUser;
let goodMap: FakeRustServer["world"]["map"];
let wipes = 0;

const member = (steamId: string, name: string, x: number, y: number): TeamMember => ({ steamId, name, x, y, isOnline: true, spawnTime: 0, isAlive: true, deathTime: 0 });

/** The server wipes onto a map whose getMap answer is `map` (over the good one); resolves once the bot has seen it. */
async function newWipe(map: Partial<FakeRustServer["world"]["map"]>): Promise<void> {
  const next = rust.world.info.wipeTime + 86_400 * ++wipes;
  const wiped = new Promise<void>((resolve) => bot.ctx.rust.on("snapshot", (id, s) => id === serverId && s.info.wipeTime === next && resolve()));
  await rust.restart(() => {
    rust.world.info.wipeTime = next;
    rust.world.map = { ...goodMap, ...map };
  });
  await wiped;
  await bot.events.settled();
}

/** /map show's answer: after the public defer, the image edits it in; a refusal replaces it with a private follow-up. */
async function showMap(): Promise<{ content: string; files: number }> {
  const handle = await fake.sendCommand({ guildId, name: "map", subcommand: "show", options: { server: serverId }, user: alice });
  return Promise.race([
    handle.reply().then((r) => ({ content: r.content, files: r.attachments.length })),
    handle.nextFollowup().then((f) => ({ content: (f as { content: string }).content, files: 0 })),
  ]);
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Hostile" }).id;
  bot = await startTestBot(fake, { rust: { backoff: { baseMs: 20, maxMs: 200 }, infoEveryMs: 600_000 } });
  alice = fake.createUser({ username: "alice" });
  const owner = await linkUser(bot.db.prisma, alice.id);
  rust = await FakeRustServer.start({
    players: [{ steamId: owner.steamId, playerToken: TOKEN }],
    world: { team: { leaderSteamId: owner.steamId, members: [member(owner.steamId, "Alice", 1350, 1400)] } },
  });
  goodMap = rust.world.map;
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  serverId = (
    await bot.db.prisma.pairedServer.create({
      data: { userId: owner.id, serverName: "Hostile EU", ip: "127.0.0.1", port: rust.port, playerSteamId: owner.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    })
  ).id;
  const seeded = bot.events.seeded(serverId);
  await bot.ctx.rust.connect(serverId);
  await seeded;
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});

describe("a map image the bot cannot use", () => {
  it.each([
    ["bytes that are not an image", { jpgImage: new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3]) }],
    ["an image of other sizes than the answer states", { width: 2510 }],
  ])("%s: answered plainly, not kept, and the next good answer is drawn", async (_, broken) => {
    await newWipe(broken);
    const refused = await showMap();
    expect(refused.files).toBe(0);
    expect(refused.content).toMatch(/^\*\*Hostile EU\*\* (did not send its map image just now|sent a map image the bot cannot read)\. Try again in a minute\.$/);
    expect(await bot.db.prisma.mapImage.count({ where: { pairedServerId: serverId, wipeKey: { startsWith: `${rust.world.info.wipeTime}-` } } })).toBe(0);
    // The server sends a good image again: the next /map asks for it and draws it.
    const asked = rust.requests["getMap"] ?? 0;
    rust.world.map = goodMap;
    const drawn = await showMap();
    expect(drawn.files).toBe(1);
    expect(rust.requests["getMap"]).toBe(asked + 1);
  });

  it("a stored image that cannot be drawn is answered plainly and asked for again at the next request", async () => {
    await newWipe({});
    const stored = await bot.db.prisma.mapImage.findUniqueOrThrow({ where: { pairedServerId: serverId } });
    await bot.db.prisma.mapImage.update({ where: { pairedServerId: serverId }, data: { image: Buffer.from("not a picture") } });
    // A new process: nothing drawn from the good bytes is kept in memory.
    await bot.restart();
    await new Promise<void>((resolve) => {
      const check = () => bot.ctx.rust.status(serverId)?.state.kind === "connected" && bot.ctx.rust.status(serverId)?.snapshot && resolve();
      bot.ctx.rust.on("snapshot", check);
      check();
    });
    expect(await showMap()).toEqual({ content: "**Hostile EU** sent a map image the bot cannot read. Try again in a minute.", files: 0 });
    const asked = rust.requests["getMap"] ?? 0;
    expect((await showMap()).files).toBe(1);
    expect(rust.requests["getMap"]).toBe(asked + 1);
    expect((await bot.db.prisma.mapImage.findUniqueOrThrow({ where: { pairedServerId: serverId } })).image).toEqual(stored.image);
  });
});

describe("/map live switched off while an update is under way", () => {
  it("leaves no map message in #events", async () => {
    await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: alice, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
    const events = fake.channels(guildId).find((c) => c.name === "events")!.id;
    const livePosts = () => fake.messages(events).filter((m) => m.embeds[0]?.title?.startsWith("Map:"));
    const live = (state: string) => fake.sendCommand({ guildId, name: "map", subcommand: "live", options: { state, server: serverId }, user: alice }).then((h) => h.reply());
    expect((await live("on")).content).toContain(`<#${events}>`);
    // The switch goes off the moment the update reads the team, before the image is drawn and posted.
    let off: Promise<unknown> | undefined;
    const world = rust.world;
    const teamInfo = world.teamInfo.bind(world);
    world.teamInfo = (...args) => {
      off ??= live("off");
      return teamInfo(...args);
    };
    let outcome: string | undefined;
    // A look refused by the server's rate limit reads nothing and posts nothing: look again.
    do outcome = (await bot.liveMaps.tick())[serverId];
    while (outcome === "unreadable" && !off);
    world.teamInfo = teamInfo;
    expect(off).toBeDefined();
    expect(await off).toMatchObject({ content: expect.stringContaining("is off") });
    expect(await bot.db.prisma.liveMap.count()).toBe(0);
    expect(livePosts()).toEqual([]);
    expect(await bot.liveMaps.tick()).toEqual({});
    expect(livePosts()).toEqual([]);
  });
});

describe("a note's label written to deceive", () => {
  it("is listed as text: a masked link shows its brackets, and nobody is pinged", async () => {
    const label = "[free kit](https://evil.example) @everyone";
    const added = await fake.sendCommand({ guildId, name: "note", subcommand: "add", options: { category: "TAG", position: "G12", label }, user: alice });
    expect((await added.reply()).content).toContain("**\\[free kit\\] (https://evil.example) @everyone**");
    const handle = await fake.sendCommand({ guildId, name: "note", subcommand: "list", user: alice });
    const list = await handle.reply();
    expect(list.content).toContain("🏷️ **\\[free kit\\] (https://evil.example) @everyone** at G12");
    expect((await handle.response).data).toMatchObject({ allowed_mentions: { parse: [] } });
    await bot.db.prisma.mapNote.deleteMany({ where: { pairedServerId: serverId } });
  });
});
