// In-game commands typed in team chat on the fake Rust server, answered in team chat by the real bot through
// rustplus.js: each built-in command from the fake world, bad input, the prefix, and the echo never re-run.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { shortDuration } from "../../src/ingame/format.ts";
import { START, say, startHarness, type Harness } from "./harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("server commands", () => {
  it("!pop, !time and !wipe answer from the server", async () => {
    expect(await say(h, h.bob, "!pop")).toEqual(["Pop: 87/150, 4 in queue"]);
    h.game.world.time = { ...h.game.world.time, time: 21.5, sunrise: 7.25, sunset: 20 };
    expect(await say(h, h.bob, "!time")).toEqual(["Time: 21:30 (night, sunrise at 07:15)"]);
    h.game.world.time = { ...h.game.world.time, time: 9 };
    expect(await say(h, h.bob, "!TIME")).toEqual(["Time: 09:00 (day, sunset at 20:00)"]);
    // The world was wiped 2 days 3 hours before START; say() moves the clock a minute per line.
    expect(await say(h, h.bob, "!wipe")).toEqual(["Wiped 2d 3h ago"]);
  });
});

describe("team commands", () => {
  it("!online and !offline list the team", async () => {
    expect(await say(h, h.bob, "!online")).toEqual(["Online (2/3): Alice, Bob"]);
    expect(await say(h, h.bob, "!offline")).toEqual(["Offline (1/3): Carol"]);
    h.game.updateMember(h.carol, { isOnline: true });
    expect(await say(h, h.bob, "!offline")).toEqual(["Everyone is online."]);
    h.game.updateMember(h.carol, { isOnline: false });
  });

  it("!alive tells how long each has lived, and who is dead", async () => {
    h.game.updateMember(h.bob, { spawnTime: Math.floor(h.clock.now / 1000) - 300 });
    h.game.killPlayer(h.carol);
    const at = h.clock.now + 60_000; // say() moves the clock a minute; Alice spawned an hour before START
    expect(await say(h, h.bob, "!alive")).toEqual([`Alive: Alice ${shortDuration(at - (START - 3_600_000))}, Bob 6m | Dead: Carol`]);
    h.game.updateMember(h.carol, { isAlive: true, spawnTime: Math.floor(h.clock.now / 1000) });
  });

  it("!prox gives distance and direction to each teammate", async () => {
    expect(await say(h, h.alice, "!prox")).toEqual(["Bob 500m NE | Carol 600m W (offline)"]);
  });

  it("!afk names online teammates who stood still for 5 minutes, not those who moved", async () => {
    expect(await say(h, h.bob, "!afk")).toEqual([expect.stringMatching(/^AFK: Alice \d+m, Bob \d+m$/)]);
    h.clock.now += 10 * 60_000;
    h.game.updateMember(h.bob, { x: 1350 }); // Bob walks 50 m
    const answer = await say(h, h.bob, "!afk");
    expect(answer).toEqual([expect.stringMatching(/^AFK: Alice \d+m$/)]);
  });

  it("!note saves a TAG note where the caller stands, and asks for text when there is none", async () => {
    expect(await say(h, h.bob, "!note")).toEqual(["Usage: !note <text> [30m|2h|1d] saves a map note where you stand; !note G12 <text> at a grid cell."]);
    expect(await say(h, h.bob, `!note ${"x".repeat(101)}`)).toEqual(["A note's label is at most 100 characters (yours has 101)."]);
    expect(await h.bot.db.prisma.mapNote.count({ where: { category: "TAG" } })).toBe(0);
    const answer = await say(h, h.bob, "!note  stash under the   rock ");
    const notes = await h.bot.db.prisma.mapNote.findMany({ where: { category: "TAG" } });
    expect(notes).toMatchObject([{ pairedServerId: h.serverId, category: "TAG", x: 1350, y: 1400, label: "stash under the   rock", createdByUserId: null, expiresAt: null }]);
    // 3000 m map, 150 m cells: x 1350 is column J (9 × 150), y 1400 is row 10 from the north; Outpost is 180 m away.
    expect(answer).toEqual(["Note saved at J10: stash under the rock"]);
    await h.bot.db.prisma.mapNote.deleteMany({ where: { category: "TAG" } });
  });

  it("!note G12 <text> [ttl] saves at the cell's centre for a time; a bad time or cell changes nothing", async () => {
    const before = Date.now();
    expect(await say(h, h.bob, "!note G12 sam site 2h")).toEqual(["Note saved at G12: sam site (for 2h)"]);
    const [note] = await h.bot.db.prisma.mapNote.findMany({ where: { category: "TAG" } });
    expect(note).toMatchObject({ x: 975, y: 1125, label: "sam site" });
    expect(note!.expiresAt!.getTime() - before).toBeGreaterThanOrEqual(2 * 3_600_000);
    expect(note!.expiresAt!.getTime() - before).toBeLessThan(2 * 3_600_000 + 60_000);
    expect(await say(h, h.bob, "!note stash 0m")).toEqual(["A note has to stay at least 1 minute (1m)."]);
    expect(await say(h, h.bob, "!note stash 99d")).toEqual(["A note can stay at most 30 days (30d); for longer, use until wipe."]);
    expect(await h.bot.db.prisma.mapNote.count({ where: { category: "TAG" } })).toBe(1);
    await h.bot.db.prisma.mapNote.deleteMany({ where: { category: "TAG" } });
  });

  it("!note refuses a cell the map does not have and a bad time, as /note does, and saves nothing", async () => {
    expect(await say(h, h.bob, "!note ZZ99 stash")).toEqual(["ZZ99 is not a cell of this map: its grid runs A0 … T19 (3000 m). To save it as text where you stand, start with another word."]);
    expect(await say(h, h.bob, "!note U20 stash")).toEqual([expect.stringMatching(/^U20 is not a cell of this map/)]);
    expect(await say(h, h.bob, "!note stash -5m")).toEqual(["-5m is not a time to keep the note: use minutes, hours or days like 30m, 2h, 1d, or until wipe."]);
    expect(await h.bot.db.prisma.mapNote.count({ where: { category: "TAG" } })).toBe(0);
    // A time of several units, as /note takes it.
    const before = Date.now();
    expect(await say(h, h.bob, "!note stash 1h30m")).toEqual([expect.stringMatching(/^Note saved at \w+: stash \(for 1h30m\)$/)]);
    const [note] = await h.bot.db.prisma.mapNote.findMany({ where: { category: "TAG" } });
    expect(note!.label).toBe("stash");
    expect(note!.expiresAt!.getTime() - before).toBeGreaterThanOrEqual(90 * 60_000);
    await h.bot.db.prisma.mapNote.deleteMany({ where: { category: "TAG" } });
  });

  it("!leader hands leadership to the caller when the bot's player leads", async () => {
    expect(await say(h, h.alice, "!leader")).toEqual(["You are already the leader."]);
    expect(await say(h, h.bob, "!leader")).toEqual(["Bob is now the team leader."]);
    expect(h.game.world.team?.leaderSteamId).toBe(h.bob);
    expect(await say(h, h.carol, "!leader")).toEqual(["Only the leader can pass leadership: the bot speaks as Alice, who is not the leader."]);
    expect(h.game.world.team?.leaderSteamId).toBe(h.bob);
  });
});

describe("help, prefix and bad input", () => {
  it("!help lists every command with the prefix", async () => {
    const answer = await say(h, h.bob, "!help");
    expect(answer[0]).toMatch(/^Commands: !/);
    for (const name of ["!pop", "!time", "!wipe", "!online", "!offline", "!afk", "!alive", "!prox", "!note <text>", "!leader", "!help"]) expect(answer.join(" ")).toContain(name);
    expect(answer.every((line) => line.length <= 128)).toBe(true);
  });

  it("answers an unknown command helpfully and ignores ordinary chat", async () => {
    expect(await say(h, h.bob, "!nope")).toEqual(["Unknown command !nope. Try !help"]);
    expect(await say(h, h.bob, "hello team")).toEqual([]);
    expect(await say(h, h.bob, "!!!")).toEqual([]);
  });

  it("lets only the bot's player change the prefix, then answers to the new one", async () => {
    expect(await say(h, h.bob, "!prefix .")).toEqual(["Only the player the bot is paired as can change the prefix."]);
    expect(await say(h, h.alice, "!prefix abc")).toEqual(["A prefix is 1 to 3 symbols, such as ! or . or ?"]);
    expect(await say(h, h.alice, "!prefix .")).toEqual(["Commands now start with ., e.g. .help"]);
    expect(await say(h, h.bob, "!pop")).toEqual([]);
    expect(await say(h, h.bob, ".pop")).toEqual(["Pop: 87/150, 4 in queue"]);
    expect((await h.bot.db.prisma.pairedServer.findUniqueOrThrow({ where: { id: h.serverId } })).commandPrefix).toBe(".");
    expect(await say(h, h.alice, ".prefix !")).toEqual(["Commands now start with !, e.g. !help"]);
  });
});

describe("two teammates' pairings live in one bot", () => {
  it("both hear a command, one answers it", async () => {
    const user = await h.bot.db.prisma.user.create({ data: { steamId: h.bob, displayName: "Bob" } });
    h.game.addPlayer(h.bob, 777, "Bob");
    const sealed = h.bot.ctx.secrets.seal("PairedServer.playerToken", "777");
    const second = await h.bot.db.prisma.pairedServer.create({
      data: { userId: user.id, serverName: "Rustopia", ip: "127.0.0.1", port: h.game.port, playerSteamId: h.bob, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    });
    const connected = new Promise<void>((resolve) => h.bot.ctx.rust.on("state", (id, state) => id === second.id && state.kind === "connected" && resolve()));
    await h.bot.ctx.rust.connect(second.id);
    await connected;

    h.clock.now += 60_000;
    const start = h.game.world.chat.length;
    h.game.postTeamMessage(h.carol, "!pop");
    await Promise.all([h.serverId, second.id].map((id) => h.heard.next((m) => m.serverId === id && m.text === "!pop")));
    await h.bot.ingame.settled();
    expect(h.game.world.chat.slice(start + 1).map((m) => m.message)).toEqual(["Pop: 87/150, 4 in queue"]);
    h.bot.ctx.rust.disconnect(second.id);
  });
});
