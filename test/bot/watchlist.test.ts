// /watchlist through the real discord.js client against the fake Discord: create (tags, pattern, tracked-only,
// role, one server or all), list, show (the filter and its matches online now, from sessions in the database),
// delete, autocomplete; bad input answered and nothing changed (a 300-character pattern, an invalid regex, a
// lookaround RE2 lacks, a catastrophic pattern made harmless, an unknown or another user's watchlist, another
// user's server); the tier's limit.
import type { APIUser } from "discord.js";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { FakeDiscord } from "../fakes/discord/index.ts";
import type { OptionValue } from "../fakes/discord/interactions.ts";
import { linkUser, routeTo, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createServer } from "../helpers/fixtures.ts";

const LIMIT = 3;
let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let role: string;
let alice: APIUser;
let eve: APIUser;
let aliceId: string;
let eveId: string;
let serverId: string;
let eveServer: string;
let intelId: string;

const prisma = () => bot.db.prisma;
const watchlist = (user: APIUser, subcommand: string, options: Record<string, OptionValue> = {}) =>
  fake.sendCommand({ guildId, name: "watchlist", subcommand, user, options }).then((h) => h.reply());

beforeAll(async () => {
  fake = await FakeDiscord.start();
  const guild = fake.createGuild({ name: "Watch" });
  guildId = guild.id;
  role = guild.createRole("raid-watch", 0n, { mentionable: true }).id;
  bot = await startTestBot(fake, { env: { INTEL_POLL_INTERVAL_MS: "3600000", TIER_LIMITS: JSON.stringify({ OVERLORD: { watchlists: LIMIT } }) } });
  alice = fake.createUser({ username: "alice" });
  eve = fake.createUser({ username: "eve" });
  aliceId = (await linkUser(prisma(), alice.id)).id;
  await routeTo(prisma(), aliceId, { guildId, guildName: "Watch" }); // a role is mentioned where alerts are posted
  eveId = (await linkUser(prisma(), eve.id)).id;
  const server = await createServer(prisma(), aliceId, { ip: "198.51.100.4", port: 28_015 });
  await prisma().pairedServer.update({ where: { id: server.id }, data: { serverName: "Rustopia" } });
  serverId = server.id;
  eveServer = (await createServer(prisma(), eveId)).id;
  intelId = (await prisma().intelServer.create({ data: { ip: "198.51.100.4", appPort: 28_015, lastAnsweredAt: new Date() } })).id;
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});
beforeEach(async () => {
  await prisma().watchlist.deleteMany();
  await prisma().playerSession.deleteMany();
  await prisma().playerIntelNote.deleteMany();
});

describe("/watchlist", () => {
  it("creates, lists, shows with who matches online now, and deletes", async () => {
    const created = await watchlist(alice, "create", { name: "raiders", tags: "Raider, clan", role, "tracked-only": false });
    expect(created).toMatchObject({ ephemeral: true, content: `Saved watchlist **raiders** (tags raider, clan · mentions <@&${role}>) on all your servers. Its players coming online or going offline are posted in #player-intel; \`!online raiders\` in game lists them.` });
    expect((await watchlist(alice, "create", { name: "abc", pattern: "^\\[ABC\\]", server: serverId })).content).toContain("(name pattern `^\\[ABC\\]`) on **Rustopia**");
    expect(await prisma().watchlist.findMany({ orderBy: { name: "asc" }, select: { name: true, pairedServerId: true, filter: true } })).toEqual([
      { name: "abc", pairedServerId: serverId, filter: { pattern: "^\\[ABC\\]" } },
      { name: "raiders", pairedServerId: null, filter: { tags: ["raider", "clan"], mentionRoleId: role } },
    ]);
    expect((await watchlist(alice, "list")).content).toBe(
      ["**Your watchlists**", "**abc** — name pattern `^\\[ABC\\]` — Rustopia", `**raiders** — tags raider, clan · mentions <@&${role}> — all servers`, `Watchlists: 2 of ${LIMIT} (OVERLORD tier).`].join("\n"),
    );

    const hourAgo = new Date(Date.now() - 3_600_000);
    await prisma().playerIntelNote.create({ data: { pairedServerId: serverId, playerName: "Axe", tags: ["raider"] } });
    await prisma().playerIntelNote.create({ data: { pairedServerId: serverId, playerName: "Gone", tags: ["raider"] } });
    for (const name of ["Axe", "[abc] Fox", "Nobody"]) await prisma().playerSession.create({ data: { intelServerId: intelId, playerName: name, startedAt: hourAgo, lastSeenAt: new Date() } });
    await prisma().playerSession.create({ data: { intelServerId: intelId, playerName: "Gone", startedAt: hourAgo, lastSeenAt: hourAgo, endedAt: hourAgo } });
    expect((await watchlist(alice, "show", { name: "RAIDERS" })).content).toMatch(/^\*\*raiders\*\* — tags raider, clan · mentions <@&\d+> — all your servers\n\*\*Rustopia\*\* \(1 online\): Axe (59m|1h)$/);
    expect((await watchlist(alice, "show", { name: "abc" })).content).toMatch(/\n\*\*Rustopia\*\* \(1 online\): \[abc\] Fox (59m|1h)$/);

    expect(await fake.autocomplete({ guildId, name: "watchlist", subcommand: "show", user: alice, options: { name: "RAI" }, focused: "name" })).toEqual([{ name: "raiders", value: "raiders" }]);
    expect(await fake.autocomplete({ guildId, name: "watchlist", subcommand: "show", user: eve, options: { name: "" }, focused: "name" })).toEqual([]);
    expect((await watchlist(alice, "delete", { name: "abc" })).content).toBe("Deleted watchlist **abc**.");
    expect(await prisma().watchlist.count()).toBe(1);
  });

  it("answers bad input clearly and changes nothing", async () => {
    await watchlist(alice, "create", { name: "mine", "tracked-only": true });
    const cases: [Record<string, OptionValue>, string | RegExp][] = [
      [{ name: "long", pattern: "a".repeat(300) }, "A name pattern is at most 100 characters (yours has 300)."],
      [{ name: "bad", pattern: "[abc" }, /^`pattern` is not a regular expression this bot can run .*missing closing \]/],
      [{ name: "look", pattern: "(?=x)abc" }, /invalid or unsupported Perl syntax/],
      [{ name: "nothing" }, "Give the watchlist something to watch: `tags`, a name `pattern`, or `tracked-only`."],
      [{ name: "mine", "tracked-only": true }, "You already have a watchlist called **mine**. Pick another name, or delete it first."],
      [{ name: "a;b", tags: "x" }, /^A watchlist name is 1 to 32 letters/],
      [{ name: "t", tags: "x".repeat(40) }, /^A tag is 1 to 20 characters: letters a-z, digits/],
      [{ name: "theirs", tags: "x", server: eveServer }, /That is not a server you paired/],
      [{ name: "everyone", tags: "x", role: guildId }, "Pick a role other than @everyone."],
    ];
    for (const [options, answer] of cases) {
      const reply = await watchlist(alice, "create", options);
      expect(reply.ephemeral, JSON.stringify(options).slice(0, 80)).toBe(true);
      if (typeof answer === "string") expect(reply.content).toBe(answer);
      else expect(reply.content).toMatch(answer);
    }
    await watchlist(eve, "create", { name: "eves", tags: "x" });
    for (const name of ["nope", "eves"]) {
      expect((await watchlist(alice, "show", { name })).content).toBe(`You have no watchlist called **${name}**. Pick one from the suggestions as you type, or see \`/watchlist list\`.`);
      expect((await watchlist(alice, "delete", { name })).content).toContain("You have no watchlist called");
    }
    expect((await prisma().watchlist.findMany({ orderBy: { name: "asc" } })).map((w) => w.name)).toEqual(["eves", "mine"]);
  });

  it("runs a catastrophic pattern in linear time (RE2): `(a+)+$` against a long name neither hangs nor matches", async () => {
    expect((await watchlist(alice, "create", { name: "evil", pattern: "(a+)+$" })).content).toContain("Saved watchlist **evil**");
    // A backtracking engine takes 2^n steps here (n = 60: centuries).
    await prisma().playerSession.create({ data: { intelServerId: intelId, playerName: `${"a".repeat(60)}!`, startedAt: new Date(), lastSeenAt: new Date() } });
    expect((await watchlist(alice, "show", { name: "evil" })).content).toContain("**Rustopia**: nobody online matches.");
  });

  it("stops at the tier's limit", async () => {
    for (let i = 0; i < LIMIT; i++) expect((await watchlist(alice, "create", { name: `w${i}`, tags: "x" })).content).toContain("Saved");
    expect((await watchlist(alice, "create", { name: "one more", tags: "x" })).content).toBe(
      `Your OVERLORD tier allows ${LIMIT} watchlists and you have ${LIMIT}. On this self-hosted bot the operator sets the tier (SELF_HOSTED_TIER) and its limits (TIER_LIMITS).`,
    );
    expect(await prisma().watchlist.count({ where: { userId: aliceId } })).toBe(LIMIT);
  });
});
