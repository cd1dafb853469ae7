// /player through the real discord.js client against the fake Discord, on sessions seeded as the shared poll
// writes them (IntelServer + PlayerSession rows): who is online and name search with the source and its limits;
// a player's names (linked by Steam id), times and heatmap PNG in a remembered time zone; notes, tags, tracking
// within the tier and Steam ids bound by hand, per paired server (another team on the same Rust server sees
// none of them); autocomplete; bad input answered and nothing changed.
import type { APIUser } from "discord.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import type { OptionValue } from "../fakes/discord/interactions.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createServer } from "../helpers/fixtures.ts";

const IP = "203.0.113.7";
const APP_PORT = 28_082;
const TRACK_LIMIT = 2;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const STEAM = "76561198000000042";

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let alice: APIUser; // owner
let bob: APIUser; // guest
let eve: APIUser; // another team, paired to the same Rust server
let loner: APIUser; // a server nobody polled yet
let aliceId: string;
let serverId: string;
let eveServerId: string;
let intelId: string;
const now = Date.now();
const prisma = () => bot.db.prisma;
const ago = (ms: number) => new Date(now - ms);

async function player(user: APIUser, subcommand: string, options: Record<string, OptionValue> = {}) {
  return fake.sendCommand({ guildId, name: "player", subcommand, user, options }).then((h) => h.reply());
}
const notes = (pairedServerId = serverId) => prisma().playerIntelNote.findMany({ where: { pairedServerId }, orderBy: { createdAt: "asc" } });

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Intel team" }).id;
  bot = await startTestBot(fake, { env: { INTEL_POLL_INTERVAL_MS: "3600000", TIER_LIMITS: JSON.stringify({ OVERLORD: { trackedPlayers: TRACK_LIMIT } }) } });
  [alice, bob, eve, loner] = ["alice", "bob", "eve", "loner"].map((username) => fake.createUser({ username })) as [APIUser, APIUser, APIUser, APIUser];
  const owner = await linkUser(prisma(), alice.id);
  aliceId = owner.id;
  const guest = await linkUser(prisma(), bob.id);
  const other = await linkUser(prisma(), eve.id);
  const lonely = await linkUser(prisma(), loner.id);
  serverId = (await createServer(prisma(), owner.id, { ip: IP, port: APP_PORT })).id;
  await prisma().pairedServer.update({ where: { id: serverId }, data: { serverName: "Rustopia EU" } });
  await prisma().dashboardGuestAccess.create({ data: { ownerUserId: owner.id, pairedServerId: serverId, guestSteamId: guest.steamId, guestUserId: guest.id } });
  eveServerId = (await createServer(prisma(), other.id, { ip: IP, port: APP_PORT })).id;
  await createServer(prisma(), lonely.id, { ip: "198.51.100.1", port: 28_015 });
  const intel = await prisma().intelServer.create({
    data: { ip: IP, appPort: APP_PORT, queryPort: APP_PORT + 1, name: "Rustopia EU", players: 5, maxPlayers: 100, queuedPlayers: 2, wipeAt: ago(3 * DAY), lastPolledAt: ago(30_000), lastAnsweredAt: ago(30_000) },
  });
  intelId = intel.id;
  const session = (playerName: string, startedAgo: number, endedAgo: number | null, extra: { steamId?: string; battlemetricsPlayerId?: string } = {}) => ({
    intelServerId: intelId, playerName, startedAt: ago(startedAgo), lastSeenAt: ago(endedAgo ?? 0), endedAt: endedAgo === null ? null : ago(endedAgo), ...extra,
  });
  await prisma().playerSession.createMany({
    data: [
      session("Bob Raider", 90 * MIN, null),
      session("Bob Raider", 2 * DAY, 2 * DAY - 2 * HOUR),
      session("Bob Raider", 5 * DAY, 5 * DAY - HOUR), // before the wipe
      session("ZedX", 10 * MIN, null),
      session("Old Timer", DAY + HOUR, DAY, { battlemetricsPlayerId: "987654" }),
      session("alias1", DAY, DAY - HOUR, { steamId: STEAM }),
      session("alias2", 2 * DAY, 2 * DAY - 30 * MIN, { steamId: STEAM }),
      session("bobby", 4 * HOUR, 3 * HOUR),
    ],
  });
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});
beforeEach(async () => {
  await prisma().playerIntelNote.deleteMany();
  await prisma().playerSteamLink.deleteMany();
  await prisma().intelServer.update({ where: { id: intelId }, data: { streamerMode: false, unreachableSince: null } });
});

describe("/player search", () => {
  it("lists who is online now, longest online first, with the server's count, queue and the source's limits", async () => {
    const reply = await player(alice, "search");
    expect(reply.ephemeral).toBe(true);
    const lines = reply.content.split("\n");
    expect(lines[0]).toBe("**Online on Rustopia EU**: 2 of 100 slots, 2 in the queue");
    expect(lines[1]).toMatch(/^🟢 \*\*Bob Raider\*\* — online 1h 3[01]m$/);
    expect(lines[2]).toMatch(/^🟢 \*\*ZedX\*\* — online 1[01]m$/);
    expect(lines[3]).toMatch(/^-# Source: the server's own Steam query \(A2S: names and time connected only, no Steam ids\), last answer <t:\d+:R>\.$/);
    expect(lines[4]).toBe("⚠️ The server counts 5 players but lists 2: its list is capped, so some players online are not shown.");
    expect(lines).toHaveLength(5);
  });

  it("says when the server stopped answering and when names are streamer-mode names", async () => {
    await prisma().intelServer.update({ where: { id: intelId }, data: { streamerMode: true, unreachableSince: ago(5 * MIN) } });
    const reply = await player(bob, "search");
    expect(reply.content).toMatch(/⚠️ The server has not answered since <t:\d+:R>: this is what it said last\./);
    expect(reply.content).toContain("⚠️ The names look like streamer-mode names");
  });

  it("finds names seen matching a text, online or not, newest first", async () => {
    const reply = await player(alice, "search", { name: "BOB" });
    const lines = reply.content.split("\n");
    expect(lines[0]).toBe('**Players seen on Rustopia EU matching "BOB"** (last 30 days, newest first)');
    expect(lines[1]).toMatch(/^🟢 \*\*Bob Raider\*\* — online now, for 1h 3[01]m$/);
    expect(lines[2]).toMatch(/^⚫ \*\*bobby\*\* — last seen <t:\d+:R>$/);
    expect((await player(alice, "search", { name: "nobody-like-this" })).content).toContain("No one matching that was seen.");
  });

  it("says when the server has not been polled yet", async () => {
    expect((await player(loner, "search")).content).toMatch(/^The bot has no player history for \*\*Rustafied #\d+\*\* yet: it starts with the first query/);
  });
});

describe("/player info", () => {
  it("shows online status, times this wipe and the heatmap PNG in UTC until a zone is chosen, then remembers it", async () => {
    const reply = await player(alice, "info", { player: "Bob Raider" });
    expect(reply.ephemeral).toBe(true);
    expect(reply.content).toMatch(/^\*\*Bob Raider\*\* on \*\*Rustopia EU\*\* — 🟢 online now, for 1h 3[01]m\n/);
    expect(reply.content).toMatch(/\nFirst seen <t:\d+:f> · last seen now\n/);
    // 2 h two days ago and the open 90 min count; the hour 5 days ago was before the wipe.
    expect(reply.content).toMatch(/\nTime online this wipe \(since <t:\d+:d>\): \*\*3h 3[01]m\*\*\n/);
    expect(reply.content).toContain("Activity over the last 30 days, hours in **UTC** (change with `timezone:`).");
    expect(reply.attachments).toEqual([expect.objectContaining({ filename: "activity.png", content_type: "image/png" })]);

    const berlin = await player(alice, "info", { player: "Bob Raider", timezone: "europe/berlin" });
    expect(berlin.content).toContain("hours in **Europe/Berlin**");
    expect((await prisma().user.findUniqueOrThrow({ where: { id: aliceId } })).timeZone).toBe("Europe/Berlin");
    expect((await player(alice, "info", { player: "bob raider" })).content).toContain("hours in **Europe/Berlin**"); // remembered; the name ignoring case
    expect((await player(bob, "info", { player: "ZedX" })).content).toContain("hours in **UTC**"); // per user
  });

  it("gathers every name a Steam id links, and offline players' last seen", async () => {
    const reply = await player(alice, "info", { player: "alias2" });
    expect(reply.content).toMatch(/^\*\*alias2\*\* on \*\*Rustopia EU\*\* — ⚫ offline, last seen <t:\d+:R>\n/);
    expect(reply.content).toContain("\nNames: alias2, alias1\n");
    expect(reply.content).toContain(`\nSteam id: ${STEAM}\n`);
    expect(reply.content).toContain("): **1h 30m**");
  });

  it("refuses an unknown zone and an unknown player, and changes nothing", async () => {
    const zone = await player(bob, "info", { player: "ZedX", timezone: "Mars/Olympus" });
    expect(zone.content).toBe("`Mars/Olympus` is not a time zone. Pick one from the suggestions as you type in `timezone:` (an IANA name like Europe/Berlin or America/New_York).");
    expect((await player(bob, "info", { player: "ZedX", timezone: "+02:00" })).content).toContain("is not a time zone");
    const unknown = await player(alice, "info", { player: "Nobody Here" });
    expect(unknown.ephemeral).toBe(true);
    expect(unknown.content).toBe('No one called "Nobody Here" has been seen on **Rustopia EU** in the last 30 days, and your team has no note on that name. Pick a player from the suggestions as you type in `player:`.');
    expect(unknown.attachments).toEqual([]);
    const bobUser = await prisma().user.findFirstOrThrow({ where: { accounts: { some: { providerAccountId: bob.id } } } });
    expect(bobUser.timeZone).toBeNull();
  });
});

describe("/player note, tag, track, link-steam", () => {
  it("keeps notes and tags per paired server: the owner and guests write, another team on the same Rust server sees none", async () => {
    expect((await player(alice, "note", { player: "Bob Raider", text: "  roofcamps at B4  " })).content).toBe("📝 Saved the note on **Bob Raider** on **Rustopia EU**.");
    expect((await player(bob, "tag", { player: "Bob Raider", action: "add", tag: "Raider" })).content).toBe("Tagged **Bob Raider** on **Rustopia EU** `raider`. Tags now: `raider`.");
    expect((await player(bob, "tag", { player: "Bob Raider", action: "add", tag: "main-base" })).content).toContain("Tags now: `raider` `main-base`.");
    expect(await notes()).toMatchObject([{ playerName: "Bob Raider", note: "roofcamps at B4", tags: ["raider", "main-base"], tracked: false }]);
    const info = await player(bob, "info", { player: "Bob Raider" });
    expect(info.content).toContain("\ntags: `raider` `main-base`\n📝 roofcamps at B4\n");
    const theirs = await player(eve, "info", { player: "Bob Raider" });
    expect(theirs.content).not.toContain("roofcamps");
    expect(theirs.content).not.toContain("raider`");
    expect((await player(alice, "tag", { player: "Bob Raider", action: "remove", tag: "raider" })).content).toContain("Tags now: `main-base`.");
    expect((await player(alice, "note", { player: "Bob Raider", text: "-" })).content).toBe("Cleared the note on **Bob Raider** on **Rustopia EU**.");
    expect((await player(alice, "tag", { player: "Bob Raider", action: "remove", tag: "main-base" })).content).toContain("Tags now: none.");
    expect(await notes()).toEqual([]); // nothing left on it: the row is gone
  });

  it("answers bad notes, tags and player names clearly and changes nothing", async () => {
    await player(alice, "tag", { player: "ZedX", action: "add", tag: "raider" });
    const before = await notes();
    const cases: [string, Record<string, OptionValue>, string | RegExp][] = [
      ["note", { player: "ZedX", text: "x".repeat(1001) }, "A player note is at most 1000 characters (yours has 1001)."],
      ["note", { player: "ZedX", text: "   " }, "The note is empty. Write what to remember, or `-` to clear the note."],
      ["note", { player: "Nobody Here", text: "hi" }, /^No one called "Nobody Here" has been seen/],
      ["tag", { player: "ZedX", action: "add", tag: "bad tag!" }, "A tag is 1 to 20 characters: letters a-z, digits, `-` and `_` (like `raider` or `main-base`)."],
      ["tag", { player: "ZedX", action: "add", tag: "x".repeat(21) }, /^A tag is 1 to 20 characters/],
      ["tag", { player: "ZedX", action: "add", tag: "RAIDER" }, "**ZedX** on **Rustopia EU** already has the tag `raider`."],
      ["tag", { player: "ZedX", action: "remove", tag: "friendly" }, "**ZedX** on **Rustopia EU** has no tag `friendly` (tags: `raider`)."],
      ["tag", { player: "ZedX", action: "add", tag: "x", server: eveServerId }, /^That is not one of your servers/],
      ["track", { player: "" }, /^Give a player's name/],
    ];
    for (const [sub, options, answer] of cases) {
      const reply = await player(alice, sub, options);
      expect(reply.ephemeral, `${sub} ${JSON.stringify(options).slice(0, 60)}`).toBe(true);
      if (typeof answer === "string") expect(reply.content).toBe(answer);
      else expect(reply.content).toMatch(answer);
    }
    expect(await notes()).toEqual(before);
    expect(await notes(eveServerId)).toEqual([]);
  });

  it("a note id from another team's server is not found", async () => {
    await player(eve, "note", { player: "ZedX", text: "eve's secret" });
    const [evesNote] = await notes(eveServerId);
    for (const value of [`note:${evesNote!.id}`, "note:nosuchnote"]) {
      expect((await player(alice, "note", { player: value, text: "mine now" })).content).toBe(
        "That player note was not found (it was removed, or is not one of this server's notes). Pick a player from the suggestions as you type in `player:`.",
      );
    }
    expect(await notes(eveServerId)).toMatchObject([{ note: "eve's secret" }]);
    expect(await notes()).toEqual([]);
    // Their own note by its id works.
    expect((await player(eve, "track", { player: `note:${evesNote!.id}` })).content).toContain("Tracking **ZedX**");
  });

  it("tracks players up to the owner's tier limit, guests' tracking counting too", async () => {
    expect((await player(alice, "track", { player: "Bob Raider" })).content).toBe('📌 Tracking **Bob Raider** on **Rustopia EU**: watchlists with "tracked only" follow them.');
    expect((await player(bob, "track", { player: "ZedX" })).content).toContain("📌 Tracking **ZedX**");
    expect((await player(alice, "track", { player: "ZedX" })).content).toBe("**ZedX** on **Rustopia EU** is already tracked.");
    const refused = await player(alice, "track", { player: "Old Timer" });
    expect(refused.content).toBe(`Your OVERLORD tier allows ${TRACK_LIMIT} tracked players and you have ${TRACK_LIMIT}. On this self-hosted bot the operator sets the tier (SELF_HOSTED_TIER) and its limits (TIER_LIMITS).`);
    expect((await notes()).map((n) => [n.playerName, n.tracked])).toEqual([["Bob Raider", true], ["ZedX", true]]);
    expect((await player(alice, "untrack", { player: "ZedX" })).content).toBe("Stopped tracking **ZedX** on **Rustopia EU**.");
    expect((await player(alice, "untrack", { player: "ZedX" })).content).toBe("**ZedX** on **Rustopia EU** is not tracked.");
    expect((await player(alice, "track", { player: "Old Timer" })).content).toContain("📌 Tracking **Old Timer**");
  });

  it("binds a Steam id by hand, with the BattleMetrics player where sessions name one; wrong ids change nothing", async () => {
    for (const steamid of ["123", "76561190000000000", "76569999999999999", "7656119800000004x", ""]) {
      expect((await player(alice, "link-steam", { player: "Old Timer", steamid })).content).toBe(
        "That is not a Steam id: give the 17-digit SteamID64 of the player's account (7656119…), as on their Steam profile's address.",
      );
    }
    expect(await notes()).toEqual([]);
    expect((await player(alice, "link-steam", { player: "Old Timer" })).content).toBe(
      "BattleMetrics is not set up on this bot (no BATTLEMETRICS_TOKEN). Give the player's Steam id in `steamid:` (17 digits, 7656119…).",
    );
    const bound = await player(alice, "link-steam", { player: "Old Timer", steamid: STEAM });
    expect(bound.content).toBe(`🔗 Bound **Old Timer** on **Rustopia EU** and BattleMetrics player 987654 to Steam id ${STEAM}. Their sessions under other names with this Steam id now show in \`/player info\`.`);
    expect(await notes()).toMatchObject([{ playerName: "Old Timer", steamId: STEAM }]);
    expect(await prisma().playerSteamLink.findMany()).toMatchObject([{ battlemetricsPlayerId: "987654", steamId: STEAM, source: "manual" }]);
    // The Steam id now links alias1 and alias2's sessions to Old Timer.
    expect((await player(alice, "info", { player: "Old Timer" })).content).toContain("\nNames: Old Timer, alias1, alias2\n");
    expect((await player(alice, "link-steam", { player: "ZedX", steamid: STEAM })).content).toBe(`Steam id ${STEAM} is already bound to **Old Timer** on **Rustopia EU**. Bind it to one name only.`);
    expect(await notes()).toHaveLength(1);
  });
});

describe("autocomplete and /help", () => {
  it("suggests names seen (online first), noted names by note id, tags, zones; and /help lists /player", async () => {
    await player(alice, "tag", { player: "Old Timer", action: "add", tag: "raider" });
    await prisma().playerIntelNote.create({ data: { pairedServerId: serverId, playerName: "Bobcat (gone)", note: "seen 40 days ago" } });
    const noted = await prisma().playerIntelNote.findFirstOrThrow({ where: { playerName: "Bobcat (gone)" } });
    const ask = (user: APIUser, focused: string, options: Record<string, OptionValue>, subcommand = "info") => fake.autocomplete({ guildId, name: "player", subcommand, user, options, focused });
    expect(await ask(alice, "player", { player: "bo" })).toEqual([
      { name: "🟢 Bob Raider", value: "Bob Raider" },
      { name: "bobby", value: "bobby" },
      { name: "Bobcat (gone) (noted)", value: `note:${noted.id}` },
    ]);
    expect((await ask(alice, "player", { player: "" })).slice(0, 2)).toEqual([{ name: "🟢 Bob Raider", value: "Bob Raider" }, { name: "🟢 ZedX", value: "ZedX" }]);
    expect(await ask(eve, "player", { player: "bobcat" })).toEqual([]); // another team's noted name
    expect(await ask(loner, "player", { player: "" })).toEqual([]);
    expect(await ask(bob, "tag", { player: "ZedX", action: "add", tag: "ra" }, "tag")).toEqual([{ name: "ra", value: "ra" }, { name: "raider", value: "raider" }]);
    expect((await ask(alice, "timezone", { player: "ZedX", timezone: "berl" }))[0]).toEqual({ name: "Europe/Berlin", value: "Europe/Berlin" });
    expect((await player(alice, "info", { player: `note:${noted.id}` })).content).toMatch(/^\*\*Bobcat \(gone\)\*\* on \*\*Rustopia EU\*\* — ⚫ not seen in the sessions kept\nTime online this wipe \(since <t:\d+:d>\): \*\*0s\*\*\n📝 seen 40 days ago\n-# Source: /);
    const help = await fake.sendCommand({ guildId, name: "help", user: bob }).then((h) => h.reply());
    for (const sub of ["search", "info", "note", "tag", "track", "untrack", "link-steam"]) expect(help.embeds[0]?.description).toContain(`**/player ${sub}** — `);
  });
});
