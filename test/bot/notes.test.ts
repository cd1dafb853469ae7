// Map notes through the real discord.js client against the fake Discord, with positions and in-game markers from
// the fake Rust+ server through rustplus.js: /note add by grid, x,y, me and a teammate; list with deaths and the
// team's in-game markers; remove; clear with its confirm; autocomplete; guests read but do not write; another
// team's note is "not found"; the tier's limit; bad input answered and nothing changed; a TTL ending across a
// restart (the sweep driven on demand, not by waiting); and a wipe clearing every note of the server.
import type { APIUser } from "discord.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { sweepOnce } from "../../src/maintenance/sweep.ts";
import { notesForMap } from "../../src/notes/read.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import type { OptionValue } from "../fakes/discord/interactions.ts";
import { FakeRustServer, type TeamMember } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createServer, steamId as newSteamId } from "../helpers/fixtures.ts";

const TOKEN = 737_373;
const LIMIT = 6;

let fake: FakeDiscord;
let rust: FakeRustServer;
let bot: TestBot;
let guildId: string;
let serverId: string;
let otherServerId: string;
let alice: APIUser; // owner
let bob: APIUser; // guest, in the in-game team
let dave: APIUser; // guest, not in the team: reads only
let eve: APIUser; // another team
let bobSteamId: string;

const member = (steamId: string, name: string, x: number, y: number, isOnline = true): TeamMember => ({ steamId, name, x, y, isOnline, spawnTime: 0, isAlive: true, deathTime: 0 });
const prisma = () => bot.db.prisma;
const notes = () => prisma().mapNote.findMany({ where: { pairedServerId: serverId }, orderBy: { createdAt: "asc" } });

async function note(user: APIUser, subcommand: string, options: Record<string, OptionValue> = {}) {
  return fake.sendCommand({ guildId, name: "note", subcommand, user, options }).then((h) => h.reply());
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Map notes" }).id;
  bot = await startTestBot(fake, { env: { TIER_LIMITS: JSON.stringify({ OVERLORD: { mapNotesPerServer: LIMIT } }) }, rust: { backoff: { baseMs: 20, maxMs: 200 }, infoEveryMs: 600_000 } });
  [alice, bob, dave, eve] = ["alice", "bob", "dave", "eve"].map((username) => fake.createUser({ username })) as [APIUser, APIUser, APIUser, APIUser];
  const owner = await linkUser(prisma(), alice.id);
  const bobUser = await linkUser(prisma(), bob.id);
  const daveUser = await linkUser(prisma(), dave.id);
  const eveUser = await linkUser(prisma(), eve.id);
  bobSteamId = bobUser.steamId;
  rust = await FakeRustServer.start({
    players: [{ steamId: owner.steamId, playerToken: TOKEN }],
    world: {
      team: {
        leaderSteamId: owner.steamId,
        members: [member(owner.steamId, "Alice", 1350, 1400), member(bobSteamId, "Bob", 1000, 2000), member(newSteamId(), "Carol", 0, 0, false)],
        mapNotes: [{ type: 1, x: 750, y: 2250 }, { type: 0, x: 2100, y: 300 }],
      },
    },
  });
  const sealed = bot.ctx.secrets.seal("PairedServer.playerToken", String(TOKEN));
  const server = await prisma().pairedServer.create({
    data: { userId: owner.id, serverName: "Rustopia EU", ip: "127.0.0.1", port: rust.port, playerSteamId: owner.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
  });
  serverId = server.id;
  for (const guest of [bobUser, daveUser]) await prisma().dashboardGuestAccess.create({ data: { ownerUserId: owner.id, pairedServerId: serverId, guestSteamId: guest.steamId, guestUserId: guest.id } });
  otherServerId = (await createServer(prisma(), eveUser.id)).id;
  await prisma().mapNote.create({ data: { pairedServerId: otherServerId, category: "TAG", x: 10, y: 10, label: "eve's stash" } });
  const seeded = bot.events.seeded(serverId);
  await bot.ctx.rust.connect(serverId);
  await seeded;
  await bot.notes.settled();
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
  await rust?.close();
  expect(rust.faults).toEqual([]);
});
beforeEach(async () => {
  await prisma().mapNote.deleteMany({ where: { pairedServerId: serverId } });
});

describe("/note add", () => {
  it("places a note at a grid cell's centre, at x,y, where the caller stands and where a teammate stands", async () => {
    // 3000 m map, 150 m cells: G12 is column 6, row 12 from the north.
    expect(await note(alice, "add", { category: "TAG", position: "g12", label: "stash" })).toMatchObject({ ephemeral: true, content: "🏷️ Saved **stash** at G12 on **Rustopia EU**, until the wipe." });
    const before = Date.now();
    const custom = await note(alice, "add", { category: "CUSTOM", position: "1500,2100", label: "roof camper", emoji: "🏠", color: "#FF8800", ttl: "2h" });
    expect(custom.content).toMatch(/^🏠 Saved \*\*roof camper\*\* at K6 on \*\*Rustopia EU\*\*, until <t:\d+:f>\.$/);
    expect((await note(alice, "add", { category: "SAM", position: "me" })).content).toBe("🚀 Saved a SAM site at J10 on **Rustopia EU**, until the wipe.");
    expect((await note(alice, "add", { category: "TAG", position: "bob", label: "bob here" })).content).toContain("at G6 on");
    expect((await note(alice, "add", { category: "TAG", position: `<@${bob.id}>`, label: "bob again" })).content).toContain("at G6 on");
    const rows = await notes();
    expect(rows).toMatchObject([
      { category: "TAG", x: 975, y: 1125, label: "stash", expiresAt: null, emoji: null, color: null },
      { category: "CUSTOM", x: 1500, y: 2100, label: "roof camper", emoji: "🏠", color: "#ff8800" },
      { category: "SAM", x: 1350, y: 1400, label: null },
      { category: "TAG", x: 1000, y: 2000 },
      { category: "TAG", x: 1000, y: 2000 },
    ]);
    const ttl = rows[1]!.expiresAt!.getTime() - before;
    expect(ttl).toBeGreaterThanOrEqual(2 * 3_600_000);
    expect(ttl).toBeLessThan(2 * 3_600_000 + 60_000);
  });

  it("answers bad input clearly and changes nothing", async () => {
    const cases: [Record<string, OptionValue>, string | RegExp][] = [
      [{ category: "TAG", position: "3500,10" }, "3500,10 is off the map: x and y run 0 … 3000 metres (x east, y north)."],
      [{ category: "TAG", position: "ZZ99" }, "ZZ99 is not a cell of this map: its grid runs A0 … T19 (3000 m)."],
      [{ category: "TAG", position: "G12", ttl: "-5m" }, /is not a time to keep the note/],
      [{ category: "TAG", position: "G12", ttl: "0m" }, "A note has to stay at least 1 minute (`1m`)."],
      [{ category: "TAG", position: "G12", ttl: "soon" }, /is not a time to keep the note/],
      [{ category: "TAG", position: "G12", label: "x".repeat(10_000) }, "`label`: A note's label is at most 100 characters (yours has 10000)."],
      [{ category: "CUSTOM", position: "G12", emoji: "abc" }, /`emoji` takes one emoji/],
      [{ category: "CUSTOM", position: "G12", color: "red" }, /`color` is a colour like `#ff8800`/],
      [{ category: "TAG", position: "G12", emoji: "🏠" }, /`emoji` and `color` are for `custom` notes/],
      [{ category: "TAG", position: "carol" }, "The server gives no position for Carol (offline). Give a grid cell like `G12` instead."],
      [{ category: "TAG", position: "zed" }, /^No one called "zed" is in this server's team\. Teammates: Alice, Bob, Carol\.$/],
      [{ category: "TAG", position: "G12", server: otherServerId }, /That is not one of your servers/],
    ];
    for (const [options, answer] of cases) {
      const reply = await note(alice, "add", options);
      expect(reply.ephemeral, JSON.stringify(options).slice(0, 80)).toBe(true);
      if (typeof answer === "string") expect(reply.content).toBe(answer);
      else expect(reply.content).toMatch(answer);
    }
    expect(await prisma().mapNote.count()).toBe(1); // only Eve's
  });

  it("stops at the owner's tier limit; death notes and in-game markers do not count", async () => {
    await prisma().mapNote.create({ data: { pairedServerId: serverId, category: "DEATH", x: 5, y: 5, label: "Bob died" } });
    for (let i = 0; i < LIMIT; i++) expect((await note(bob, "add", { category: "TAG", position: `A${i}` })).content).toContain("Saved");
    const refused = await note(alice, "add", { category: "TAG", position: "B1" });
    expect(refused.content).toBe(`Your OVERLORD tier allows ${LIMIT} map notes per paired server and you have ${LIMIT}. On this self-hosted bot the operator sets the tier (SELF_HOSTED_TIER) and its limits (TIER_LIMITS).`);
    expect(await prisma().mapNote.count({ where: { pairedServerId: serverId } })).toBe(LIMIT + 1);
  });
});

describe("/note list and access", () => {
  it("lists notes, deaths with their time and the team's in-game markers (read-only), for the owner and guests", async () => {
    await note(alice, "add", { category: "TAG", position: "G12", label: "stash" });
    const died = await prisma().mapNote.create({ data: { pairedServerId: serverId, category: "DEATH", x: 1000, y: 2000, label: "Bob died at G6" } });
    const list = await note(dave, "list");
    expect(list.ephemeral).toBe(true);
    expect(list.content).toBe(
      [
        "**Notes on Rustopia EU** (shared with you)",
        `💀 **Bob died at G6** at G6 — <t:${Math.floor(died.createdAt.getTime() / 1000)}:f>`,
        "🏷️ **stash** at G12 — until the wipe",
        "📌 in-game marker at F5 — read-only, set in game",
        "☠️ last death (in game) at O18 — read-only, set in game",
        `Notes: 1 of ${LIMIT} (OVERLORD tier; deaths and in-game markers do not count).`,
      ].join("\n"),
    );
    const deaths = await note(alice, "list", { category: "DEATH" });
    expect(deaths.content).toContain("💀 **Bob died at G6**");
    expect(deaths.content).not.toContain("stash");
    expect(deaths.content).not.toContain("📌");
  });

  it("a guest outside the team reads but cannot add, remove or clear; a guest in the team can", async () => {
    await note(alice, "add", { category: "TAG", position: "G12", label: "stash" });
    const [stash] = await notes();
    const readOnly = "**Rustopia EU** is shared with you to read its notes; only its owner and players in its in-game team change them.";
    expect((await note(dave, "add", { category: "TAG", position: "A1" })).content).toBe(readOnly);
    expect((await note(dave, "remove", { note: stash!.id })).content).toBe(readOnly);
    expect((await note(dave, "clear", { category: "TAG" })).content).toBe(readOnly);
    expect(await notes()).toHaveLength(1);
    expect((await note(bob, "add", { category: "TAG", position: "me", label: "bob's" })).content).toContain("Saved **bob's** at G6");
    expect(await notes()).toHaveLength(2);
  });

  it("another team's note id is not found and nothing changes", async () => {
    const [theirs] = await prisma().mapNote.findMany({ where: { pairedServerId: otherServerId } });
    for (const id of [theirs!.id, "nosuchnote", "x".repeat(100)]) {
      expect((await note(alice, "remove", { note: id })).content).toBe(
        "That note was not found (it expired, was removed, or is not on one of your servers). Pick one from the suggestions as you type in `note:`.",
      );
    }
    expect(await prisma().mapNote.count({ where: { pairedServerId: otherServerId } })).toBe(1);
  });
});

describe("/note remove, clear and autocomplete", () => {
  it("suggests notes of the user's servers by label, and removes the one picked", async () => {
    await note(alice, "add", { category: "TAG", position: "G12", label: "stash north" });
    await note(alice, "add", { category: "SAM", position: "B2", label: "sam on hill" });
    const choices = await fake.autocomplete({ guildId, name: "note", subcommand: "remove", user: bob, options: { note: "STASH" }, focused: "note" });
    const [stash] = await notes();
    expect(choices).toEqual([{ name: "🏷️ stash north — G12 · Rustopia EU", value: stash!.id }]);
    expect(await fake.autocomplete({ guildId, name: "note", subcommand: "remove", user: eve, options: { note: "" }, focused: "note" })).toEqual([
      expect.objectContaining({ name: expect.stringContaining("eve's stash") }),
    ]);
    expect(await fake.autocomplete({ guildId, name: "note", subcommand: "list", user: dave, options: { server: "rust" }, focused: "server" })).toEqual([{ name: "Rustopia EU", value: serverId }]);
    expect((await note(alice, "remove", { note: stash!.id })).content).toBe("Removed 🏷️ **stash north** from **Rustopia EU**.");
    expect((await notes()).map((n) => n.label)).toEqual(["sam on hill"]);
  });

  it("clears one category at once, and every note only after the confirm button", async () => {
    await note(alice, "add", { category: "TAG", position: "G12", label: "a" });
    await note(alice, "add", { category: "SAM", position: "B2", label: "b" });
    await prisma().mapNote.create({ data: { pairedServerId: serverId, category: "DEATH", x: 5, y: 5, label: "Bob died" } });
    expect((await note(alice, "clear", { category: "TAG" })).content).toBe("Removed 1 tag note from **Rustopia EU**.");
    expect((await notes()).map((n) => n.category)).toEqual(["SAM", "DEATH"]);
    const ask = await note(alice, "clear");
    expect(ask.content).toBe("Remove **every** note on **Rustopia EU**, deaths included? This cannot be undone.");
    expect(await notes()).toHaveLength(2);
    const customId = (ask.components?.[0] as { components: { custom_id: string }[] }).components[0]!.custom_id;
    expect(customId).toBe(`note-clear:${serverId}`);
    const done = await fake.clickButton({ guildId, user: alice, customId }).then((h) => h.reply());
    expect(done.content).toBe("Removed 2 notes from **Rustopia EU**.");
    expect(await notes()).toEqual([]);
    expect(await prisma().mapNote.count({ where: { pairedServerId: otherServerId } })).toBe(1);
  });
});

describe("the end of a note", () => {
  it("a wipe deletes every note of the server made before it, deaths included, and no other server's", async () => {
    await note(alice, "add", { category: "TAG", position: "G12", label: "old map" });
    await prisma().mapNote.create({ data: { pairedServerId: serverId, category: "DEATH", x: 5, y: 5, label: "Bob died" } });
    const seeded = bot.events.seeded(serverId);
    // The server restarts on its new map; its info says when.
    await rust.restart(() => {
      rust.world.info.wipeTime = Math.ceil(Date.now() / 1000) + 1;
    });
    await seeded;
    await bot.notes.settled();
    expect(await notes()).toEqual([]);
    expect(await prisma().mapNote.count({ where: { pairedServerId: otherServerId } })).toBe(1);
    // Notes made after the wipe stay through later infos of the same wipe.
    rust.world.info.wipeTime = Math.floor(Date.now() / 1000) - 60;
    const again = bot.events.seeded(serverId);
    await rust.restart();
    await again;
    await note(alice, "add", { category: "TAG", position: "G12", label: "new map" });
    await bot.notes.settled();
    expect((await notes()).map((n) => n.label)).toEqual(["new map"]);
  });

  it("a note with a TTL ends on time across a restart; one until the wipe stays", async () => {
    await note(alice, "add", { category: "TAG", position: "G12", label: "half hour", ttl: "30m" });
    await note(alice, "add", { category: "TAG", position: "B2", label: "until wipe", ttl: "until wipe" });
    const [short] = await notes();
    await bot.restart();
    expect((await note(alice, "list")).content).toContain("**half hour**");
    const later = new Date(short!.expiresAt!.getTime() + 1);
    // Readers stop seeing it at its expiry, before any sweep.
    expect((await notesForMap(prisma(), serverId, { now: later })).map((n) => n.label)).toEqual(["until wipe"]);
    expect((await sweepOnce(prisma(), new Date(short!.expiresAt!.getTime() - 1))).notes).toBe(0);
    expect((await sweepOnce(prisma(), later)).notes).toBe(1);
    expect((await notes()).map((n) => n.label)).toEqual(["until wipe"]);
    const list = await note(alice, "list");
    expect(list.content).not.toContain("half hour");
    expect(list.content).toContain("**until wipe**");
  });
});
