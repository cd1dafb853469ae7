// Watchlist alerts, name changes and streamer-mode notices, from IntelPollResult objects built on sessions
// seeded in the database (the poller is another part), posted through the real notifier and discord.js REST to
// the fake Discord's #player-intel: once per transition, coalesced per user and poll, by tag, by name pattern
// and for tracked players, with the watchlists' roles mentioned; a bad stored watchlist is skipped and logged.
import { PermissionFlagsBits, type APIMessage, type APIUser } from "discord.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { IntelWatch } from "../../src/intel/watch/alerts.ts";
import type { IntelPollResult, ListedPlayer, PlayerTransition } from "../../src/intel/types.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createServer, steamId as newSteamId } from "../helpers/fixtures.ts";

const IP = "203.0.113.7";
const PORT = 28_082;

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let alice: APIUser;
let aliceId: string;
let bobId: string;
let aliceServer: string;
let bobServer: string;
let intelId: string;
let raiders: string;
/** Messages in #player-intel before the current test. */
let seen = 0;
let clock = Date.UTC(2026, 10, 30, 12, 0, 0);

const prisma = () => bot.db.prisma;
const intelChannel = () => fake.channels(guildId).find((c) => c.name === "player-intel")!.id;
async function posts(): Promise<APIMessage[]> {
  await bot.notifier.idle();
  return fake.messages(intelChannel()).slice(seen);
}
const descriptions = (messages: APIMessage[]) => messages.map((m) => `${m.embeds[0]?.title}\n${m.embeds[0]?.description}`);

/** Opens (or closes) sessions in the database as the poller would, and the transitions it would report. */
async function open(names: string[], steamIds: Record<string, string> = {}): Promise<PlayerTransition[]> {
  const at = new Date(clock);
  return Promise.all(
    names.map(async (playerName) => {
      const s = await prisma().playerSession.create({ data: { intelServerId: intelId, playerName, startedAt: at, lastSeenAt: at, ...(steamIds[playerName] && { steamId: steamIds[playerName] }) } });
      return { sessionId: s.id, playerName, online: true, at, ...(s.steamId && { steamId: s.steamId }) };
    }),
  );
}
async function close(names: string[]): Promise<PlayerTransition[]> {
  const at = new Date(clock);
  const sessions = await prisma().playerSession.findMany({ where: { intelServerId: intelId, endedAt: null, playerName: { in: names } } });
  await prisma().playerSession.updateMany({ where: { id: { in: sessions.map((s) => s.id) } }, data: { endedAt: at } });
  return sessions.map((s) => ({ sessionId: s.id, playerName: s.playerName, online: false, at }));
}
function result(transitions: PlayerTransition[], extra: Partial<IntelPollResult> = {}): IntelPollResult {
  clock += 60_000;
  const listed: ListedPlayer[] = transitions.filter((t) => t.online).map((t) => ({ name: t.playerName, ...(t.steamId && { steamId: t.steamId }) }));
  return {
    server: { id: intelId, ip: IP, appPort: PORT, queryPort: PORT + 1, name: "Rustopia", battlemetricsServerId: null },
    at: new Date(clock),
    source: "a2s",
    listed,
    transitions,
    streamerMode: false,
    wiped: false,
    ...extra,
  };
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  const guild = fake.createGuild({ name: "Intel" });
  guildId = guild.id;
  raiders = guild.createRole("raid-watch", 0n, { mentionable: true }).id; // an unmentionable role is not mentioned (guild-roles.ts)
  bot = await startTestBot(fake);
  alice = fake.createUser({ username: "alice" });
  const bob = fake.createUser({ username: "bob" });
  aliceId = (await linkUser(prisma(), alice.id)).id;
  bobId = (await linkUser(prisma(), bob.id)).id;
  await fake.sendCommand({ guildId, name: "setup", subcommand: "run", user: alice, memberPermissions: PermissionFlagsBits.ManageGuild }).then((h) => h.reply());
  await prisma().user.update({ where: { id: bobId }, data: { notificationGuildId: guildId } });
  aliceServer = (await createServer(prisma(), aliceId, { ip: IP, port: PORT })).id;
  bobServer = (await createServer(prisma(), bobId, { ip: IP, port: PORT })).id;
  // Live: followed. A server elsewhere, and a paired server not live, are not.
  await prisma().pairedServer.updateMany({ where: { id: { in: [aliceServer, bobServer] } }, data: { live: true, serverName: "Rustopia" } });
  intelId = (await prisma().intelServer.create({ data: { ip: IP, appPort: PORT, queryPort: PORT + 1, lastAnsweredAt: new Date(clock) } })).id;
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});
beforeEach(async () => {
  await bot.notifier.idle();
  await prisma().notificationOutbox.deleteMany();
  await prisma().watchlist.deleteMany();
  await prisma().playerIntelNote.deleteMany();
  await prisma().playerSession.deleteMany();
  await prisma().pairedServer.updateMany({ where: { id: bobServer }, data: { live: false } });
  seen = fake.messages(intelChannel()).length;
});

describe("alerts", () => {
  it("posts a tracked player coming online once, however often the same poll is delivered; the first poll posts nothing", async () => {
    await prisma().playerIntelNote.create({ data: { pairedServerId: aliceServer, playerName: "Roofcamper", tracked: true } });
    await bot.intelWatch.onPoll(result([])); // a server's first poll has no transitions by contract
    const poll = result(await open(["Roofcamper", "Stranger"]));
    await bot.intelWatch.onPoll(poll);
    await bot.intelWatch.onPoll(poll);
    // A second process (or a restart) running the same poll again.
    await new IntelWatch({ prisma: prisma(), notifier: bot.notifier, logger: bot.ctx.logger }).onPoll(poll);
    expect(descriptions(await posts())).toEqual(["👁 1 came online\n🟢 Roofcamper — tracked"]);
    // Going offline is a transition of its own.
    await bot.intelWatch.onPoll(result(await close(["Roofcamper", "Stranger"])));
    expect(descriptions(await posts())).toEqual(["👁 1 came online\n🟢 Roofcamper — tracked", "👁 1 went offline\n🔴 Roofcamper — tracked"]);
  });

  it("coalesces ten raiders logging in together into one message, by tag and by name pattern, with the watchlists' role", async () => {
    const tagged = ["Axe", "Bow", "Crow", "Dune", "Echo"];
    for (const name of tagged) await prisma().playerIntelNote.create({ data: { pairedServerId: aliceServer, playerName: name, tags: ["Raider"] } });
    await prisma().watchlist.create({ data: { userId: aliceId, name: "raiders", filter: { tags: ["raider"], mentionRoleId: raiders } } });
    await prisma().watchlist.create({ data: { userId: aliceId, name: "abc clan", pairedServerId: aliceServer, filter: { pattern: "^\\[abc\\]" } } });
    const clan = ["[ABC] Fox", "[ABC] Gale", "[abc]Hex", "[ABC] Ion", "[ABC] Jay"];
    await bot.intelWatch.onPoll(result(await open([...tagged, ...clan, "Nobody", "ABC Lookalike"])));
    const messages = await posts();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.content).toBe(`<@&${raiders}>`);
    expect(messages[0]!.embeds[0]!.title).toBe("👁 10 came online");
    expect(messages[0]!.embeds[0]!.description!.split("\n")).toEqual([
      "🟢 [ABC] Fox — abc clan", "🟢 [ABC] Gale — abc clan", "🟢 [ABC] Ion — abc clan", "🟢 [ABC] Jay — abc clan", "🟢 [abc]Hex — abc clan",
      "🟢 Axe — raiders", "🟢 Bow — raiders", "🟢 Crow — raiders", "🟢 Dune — raiders", "🟢 Echo — raiders",
    ].sort((a, b) => a.slice(3).localeCompare(b.slice(3))));
  });

  it("posts 45 long markdown names coming online in several posts, each within Discord's limits, no one left out", async () => {
    await prisma().watchlist.create({ data: { userId: aliceId, name: "zerg", filter: { pattern: "^zerg" } } });
    const names = Array.from({ length: 45 }, (_, i) => `zerg${"_*".repeat(70)}${String(i).padStart(3, "0")}`);
    await bot.intelWatch.onPoll(result(await open(names)));
    const messages = await posts();
    expect(messages.length).toBeGreaterThan(1);
    const text = messages.flatMap((m) => m.embeds.map((e) => e.description ?? "")).join("\n");
    for (const m of messages) for (const e of m.embeds) expect((e.description ?? "").length).toBeLessThanOrEqual(4096);
    for (let i = 0; i < 45; i++) expect(text).toContain(`${String(i).padStart(3, "0")} — zerg`);
  });

  it("tells each following user in a message of their own, by their own notes; a user not following hears nothing", async () => {
    await prisma().pairedServer.update({ where: { id: bobServer }, data: { live: true } });
    await prisma().playerIntelNote.create({ data: { pairedServerId: aliceServer, playerName: "Vex", tracked: true } });
    await prisma().playerIntelNote.create({ data: { pairedServerId: bobServer, playerName: "Wren", tags: ["enemy"] } });
    await prisma().watchlist.create({ data: { userId: bobId, name: "enemies", filter: { tags: ["enemy"] } } });
    await prisma().watchlist.create({ data: { userId: aliceId, name: "enemies too", filter: { tags: ["enemy"] } } }); // Alice has no note tagged so
    await bot.intelWatch.onPoll(result(await open(["Vex", "Wren"])));
    const rows = await prisma().notificationOutbox.findMany({ orderBy: { seq: "asc" } });
    expect(rows.map((r) => [r.userId, (r.payload as { lines: string[] }).lines])).toEqual([
      [aliceId, ["🟢 Vex — tracked"]],
      [bobId, ["🟢 Wren — enemies"]],
    ]);
  });

  it("posts nothing for a wipe's mass close, and skips a bad stored watchlist with a log line", async () => {
    await prisma().playerIntelNote.create({ data: { pairedServerId: aliceServer, playerName: "Kite", tracked: true } });
    await prisma().watchlist.create({ data: { userId: aliceId, name: "broken", filter: { pattern: "(?=x)" } } });
    await prisma().watchlist.create({ data: { userId: aliceId, name: "odd", filter: { tags: 5 } } });
    await bot.intelWatch.onPoll(result(await open(["Kite"])));
    expect(descriptions(await posts())).toEqual(["👁 1 came online\n🟢 Kite — tracked"]);
    expect(bot.logs.filter((l) => l.msg === "a stored watchlist is invalid: skipped").map((l) => l.reason)).toEqual(
      expect.arrayContaining([expect.stringContaining("invalid or unsupported Perl syntax"), expect.stringContaining("tags")]),
    );
    // The wipe closed every session at once: not Kite leaving. Kite on the new map is news.
    const wipe = result([...(await close(["Kite"])), ...(await open(["Kite"]))], { wiped: true });
    await bot.intelWatch.onPoll(wipe);
    expect(descriptions(await posts())).toEqual(["👁 1 came online\n🟢 Kite — tracked", "👁 1 came online\n🟢 Kite — tracked"]);
  });
});

describe("hostile player names", () => {
  it("posts a name as text: no masked link, no heading, no mention, only the watchlist's role", async () => {
    await prisma().watchlist.create({ data: { userId: aliceId, name: "everyone", filter: { pattern: ".", mentionRoleId: raiders } } });
    await bot.intelWatch.onPoll(result(await open(["[free skins](https://evil.example)", "@everyone"])));
    const [message] = await posts();
    expect(message!.content).toBe(`<@&${raiders}>`);
    expect(message!.embeds[0]!.description!.split("\n")).toEqual(["🟢 \\[free skins](https://evil.example) — everyone", "🟢 @\u200beveryone — everyone"]);
    // A rename's text starts with the old name: "# …" there would be a heading.
    const steam = newSteamId();
    await prisma().playerIntelNote.create({ data: { pairedServerId: aliceServer, playerName: "# HUGE", steamId: steam } });
    await bot.intelWatch.onPoll(result([], { listed: [{ name: "Quiet", steamId: steam }] }));
    expect((await posts()).at(-1)!.embeds[0]!.description).toBe("\\# HUGE is now Quiet");
  });
});

describe("streamer mode and name changes", () => {
  it("tells each follower once that names are streamer-mode names, also after a restart; patterns pause there", async () => {
    await prisma().watchlist.create({ data: { userId: aliceId, name: "everyone", filter: { pattern: "." } } });
    await bot.intelWatch.onPoll(result(await open(["Zyx"]), { streamerMode: true }));
    await bot.intelWatch.onPoll(result([], { streamerMode: true }));
    await new IntelWatch({ prisma: prisma(), notifier: bot.notifier, logger: bot.ctx.logger }).onPoll(result([], { streamerMode: true }));
    expect(descriptions(await posts())).toEqual([
      "⚠️ Streamer-mode names\nNames on Rustopia are streamer-mode names: unreliable. Watchlist patterns are paused there; notes are matched by Steam id only.",
    ]);
    // Names are real again: the pattern matches.
    await bot.intelWatch.onPoll(result(await open(["Real"])));
    expect(descriptions(await posts()).at(-1)).toBe("👁 1 came online\n🟢 Real — everyone");
  });

  it("records a noted player's new name (same Steam id) and posts it once", async () => {
    const steam = newSteamId();
    const note = await prisma().playerIntelNote.create({ data: { pairedServerId: aliceServer, playerName: "OldName", steamId: steam, tracked: true } });
    const poll = result(await open(["NewName"], { NewName: steam }), { source: "battlemetrics" });
    await bot.intelWatch.onPoll(poll);
    await bot.intelWatch.onPoll(poll);
    await bot.intelWatch.onPoll(result([], { source: "battlemetrics", listed: [{ name: "NewName", steamId: steam }] }));
    expect(await prisma().playerIntelNote.findUniqueOrThrow({ where: { id: note.id } })).toMatchObject({ playerName: "NewName", knownNames: ["OldName"] });
    const messages = await posts();
    expect(messages.flatMap((m) => m.embeds.map((e) => `${e.title}: ${e.description}`)).sort()).toEqual(
      ["👁 1 came online: 🟢 NewName — tracked", "👁 NewName: OldName is now NewName"].sort(),
    );
  });
});
