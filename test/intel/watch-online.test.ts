// `!online <tag>` and `!online <watchlist>` in team chat, through the fake Rust+ server and rustplus.js: the
// paired server's noted players with that tag (or the owner's watchlist's matches) online now, from the open
// sessions of its IntelServer; plain `!online` still lists the team.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { say, startHarness, type Harness } from "../ingame/harness.ts";

let h: Harness;
let intelId: string;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("!online <tag>", () => {
  it("before the server was ever polled, says there is no list yet; plain !online is the team", async () => {
    expect(await say(h, h.bob, "!online raider")).toEqual(["No player list for this server yet."]);
    expect(await say(h, h.bob, "!online")).toEqual(["Online (2/3): Alice, Bob"]);
  });

  it("lists the tagged players and a watchlist's matches online now, with how long", async () => {
    const prisma = h.bot.db.prisma;
    const server = await prisma.pairedServer.findUniqueOrThrow({ where: { id: h.serverId } });
    intelId = (await prisma.intelServer.create({ data: { ip: server.ip, appPort: server.port, lastAnsweredAt: new Date(h.clock.now) } })).id;
    for (const [name, tags] of [["Axe", ["raider"]], ["Bow", ["Raider", "clan"]], ["Crow", ["raider"]], ["Dune", []]] as const) {
      await prisma.playerIntelNote.create({ data: { pairedServerId: h.serverId, playerName: name, tags: [...tags] } });
    }
    const at = (minutesAgo: number) => new Date(h.clock.now - minutesAgo * 60_000);
    for (const [name, ago] of [["Axe", 120], ["Bow", 30], ["Dune", 5], ["[ABC] Fox", 10]] as const) {
      await prisma.playerSession.create({ data: { intelServerId: intelId, playerName: name, startedAt: at(ago), lastSeenAt: at(0) } });
    }
    await prisma.playerSession.create({ data: { intelServerId: intelId, playerName: "Crow", startedAt: at(300), lastSeenAt: at(200), endedAt: at(200) } });
    await prisma.watchlist.create({ data: { userId: server.userId, name: "abc", filter: { pattern: "^\\[abc\\]" } } });
    // say() moves the clock a minute on before the line is typed.
    expect(await say(h, h.bob, "!online RAIDER")).toEqual(["raider online (2): Axe 2h 1m, Bow 31m"]);
    expect(await say(h, h.bob, "!online abc")).toEqual(["abc online (1): [ABC] Fox 12m"]);
    expect(await say(h, h.bob, "!online sleeper")).toEqual(["Nobody matching sleeper is online."]);
    expect(await say(h, h.bob, "!online two words")).toEqual(["Usage: !online <tag or watchlist>"]);
  });

  it("fits a long list into the game's 128-character messages, and says when names are streamer-mode names", async () => {
    const prisma = h.bot.db.prisma;
    for (let i = 0; i < 40; i++) {
      const name = `Raider_${String(i).padStart(2, "0")}_with_a_long_name`;
      await prisma.playerIntelNote.create({ data: { pairedServerId: h.serverId, playerName: name, tags: ["zerg"] } });
      await prisma.playerSession.create({ data: { intelServerId: intelId, playerName: name, startedAt: new Date(h.clock.now), lastSeenAt: new Date(h.clock.now) } });
    }
    const answer = await say(h, h.bob, "!online zerg");
    expect(answer.length).toBeLessThanOrEqual(3);
    expect(answer[0]).toMatch(/^zerg online \(40\): Raider_00_with_a_long_name 1m, /);
    for (const line of answer) expect(line.length).toBeLessThanOrEqual(128);
    expect(answer.at(-1)).toMatch(/…$/);
    // Streamer-mode names are random: notes without a Steam id cannot be told from strangers.
    await prisma.intelServer.update({ where: { id: intelId }, data: { streamerMode: true } });
    expect(await say(h, h.bob, "!online zerg")).toEqual(["Nobody matching zerg is online. (streamer-mode names: unreliable)"]);
  });
});
