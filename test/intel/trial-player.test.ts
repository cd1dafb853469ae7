// /player as a new user and as a hostile game server would use it, through discord.js against the fake Discord:
// a player online for over 30 days on a server whose wipe is not known, and player names made to break
// Discord formatting (a trailing backslash, bidi overrides, masked links).
import type { APIUser } from "discord.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { activityHeatmap } from "../../src/intel/player/heatmap.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import type { OptionValue } from "../fakes/discord/interactions.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createServer } from "../helpers/fixtures.ts";

const IP = "203.0.113.9";
const APP_PORT = 28_083;
const MIN = 60_000;
const DAY = 24 * 60 * MIN;

let fake: FakeDiscord;
let bot: TestBot;
let guildId: string;
let alice: APIUser;
let intelId: string;
let aliceUserId: string;
const now = Date.now();
const prisma = () => bot.db.prisma;
const ago = (ms: number) => new Date(now - ms);

async function player(user: APIUser, subcommand: string, options: Record<string, OptionValue> = {}) {
  return fake.sendCommand({ guildId, name: "player", subcommand, user, options }).then((h) => h.reply());
}

beforeAll(async () => {
  fake = await FakeDiscord.start();
  guildId = fake.createGuild({ name: "Intel trial" }).id;
  // Sessions are seeded on a server no team follows (not live): the bot's own poll, which ends such sessions,
  // must not run during the file.
  bot = await startTestBot(fake, { env: { INTEL_POLL_INTERVAL_MS: "3600000" } });
  alice = fake.createUser({ username: "alice" });
  const owner = await linkUser(prisma(), alice.id);
  aliceUserId = owner.id;
  await createServer(prisma(), owner.id, { ip: IP, port: APP_PORT });
  // A server polled for a while whose wipe is not known (no `born`, no Rust+ wipe time yet).
  const intel = await prisma().intelServer.create({ data: { ip: IP, appPort: APP_PORT, queryPort: APP_PORT + 1, name: "Longrun", players: 1, maxPlayers: 100, lastPolledAt: ago(30_000), lastAnsweredAt: ago(30_000) } });
  intelId = intel.id;
});
afterAll(async () => {
  await bot?.stop();
  await fake?.close();
});

describe("/player info over a long stretch", () => {
  it("counts at most the last 30 days as 'time online in the last 30 days' for a player online 40 days straight", async () => {
    await prisma().playerSession.create({ data: { intelServerId: intelId, playerName: "Marathon", startedAt: ago(40 * DAY), lastSeenAt: ago(0) } });
    const reply = await player(alice, "info", { player: "Marathon" });
    expect(reply.content).toContain("🟢 online now, for 40d");
    expect(reply.content).toContain("Time online in the last 30 days (the wipe is not known yet): **30d**");
  });
});

describe("player names made to break Discord formatting", () => {
  it("keeps each name inside its bold, as itself (typeable back), on its own line, and links nothing", async () => {
    const names = ["Tricky\\", "\u202Eevil", "[free skins](https://evil.example)", "xX_Raider_Xx"];
    await prisma().playerSession.createMany({ data: names.map((playerName, i) => ({ intelServerId: intelId, playerName, startedAt: ago((i + 1) * MIN), lastSeenAt: ago(0) })) });
    const lines = (await player(alice, "search")).content.split("\n");
    expect(lines).toContain("🟢 **Tricky\\\\** — online 1m");
    expect(lines).toContain("🟢 **evil** — online 2m");
    expect(lines).toContain("🟢 **\\[free skins](https://evil.example)** — online 3m");
    expect(lines).toContain("🟢 **xX\\_Raider\\_Xx** — online 4m");
    const info = await player(alice, "info", { player: "Tricky\\" });
    expect(info.content.split("\n")[0]).toMatch(/^\*\*Tricky\\\\\*\* on \*\*Rustafied #2\*\* — 🟢 online now/);
  });
});

describe("time zones", () => {
  it("keeps Asia/Kathmandu as typed (not ICU's old Asia/Katmandu), suggests it, and counts its 45-minute offset", async () => {
    // 2026-11-02 is a Monday: 10:00–11:00 UTC is 15:45–16:45 in Kathmandu (UTC+5:45).
    const start = Date.UTC(2026, 10, 2, 10, 0);
    await prisma().playerSession.create({ data: { intelServerId: intelId, playerName: "Sherpa", startedAt: new Date(start), lastSeenAt: new Date(start + 60 * MIN), endedAt: new Date(start + 60 * MIN) } });
    const reply = await player(alice, "info", { player: "Sherpa", timezone: "Asia/Kathmandu" });
    expect(reply.content).toContain("hours in **Asia/Kathmandu**");
    expect((await prisma().user.findUniqueOrThrow({ where: { id: aliceUserId } })).timeZone).toBe("Asia/Kathmandu");
    const ask = (timezone: string) => fake.autocomplete({ guildId, name: "player", subcommand: "info", user: alice, options: { player: "Sherpa", timezone }, focused: "timezone" });
    expect(await ask("kathm")).toContainEqual({ name: "Asia/Kathmandu", value: "Asia/Kathmandu" });
    expect(await ask("kyiv")).toContainEqual({ name: "Europe/Kyiv", value: "Europe/Kyiv" });
    const cells = activityHeatmap([{ startedAt: new Date(start), endedAt: new Date(start + 60 * MIN) }], "Asia/Kathmandu", new Date(start + DAY));
    expect(cells[0]![15]).toBeCloseTo(15);
    expect(cells[0]![16]).toBeCloseTo(45);
  });
});

describe("/player search name:", () => {
  it("takes % and _ as the characters they are, not as wildcards", async () => {
    await prisma().playerSession.create({ data: { intelServerId: intelId, playerName: "Baron", startedAt: ago(5 * MIN), lastSeenAt: ago(0) } });
    for (const text of ["%", "b_r", "a%n"]) {
      const reply = await player(alice, "search", { name: text });
      expect(reply.content).toContain("No one matching that was seen.");
    }
    const suggested = await fake.autocomplete({ guildId, name: "player", subcommand: "info", user: alice, options: { player: "b_r" }, focused: "player" });
    expect(suggested).toEqual([]);
    // A name given ignoring case is matched as written too: "B_ron" is nobody, not Baron.
    expect((await player(alice, "note", { player: "B_ron", text: "x" })).content).toContain('No one called "Bron" has been seen');
  });
});

describe("/watchlist names", () => {
  it("matches a watchlist name literally: % deletes nothing, a_c is not abc", async () => {
    const watchlist = (subcommand: string, options: Record<string, OptionValue>) => fake.sendCommand({ guildId, name: "watchlist", subcommand, user: alice, options }).then((h) => h.reply());
    expect((await watchlist("create", { name: "abc", pattern: "x" })).content).toContain("Saved watchlist **abc**");
    expect((await watchlist("delete", { name: "%" })).content).toContain("You have no watchlist called");
    expect((await watchlist("create", { name: "a_c", pattern: "y" })).content).toContain("Saved watchlist **ac**");
    expect(await prisma().watchlist.count({ where: { userId: aliceUserId } })).toBe(2);
    // Tags as /player tag takes them: a watchlist on a tag no note can carry would never match.
    for (const tags of ["räuber", "raider!", "a".repeat(25)]) {
      expect((await watchlist("create", { name: "t", tags })).content).toContain("A tag is 1 to 20 characters");
    }
    expect(await prisma().watchlist.count({ where: { userId: aliceUserId } })).toBe(2);
  });
});

