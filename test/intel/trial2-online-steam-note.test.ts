// `!online <tag>` (and /watchlist show, same code: src/intel/watch/online-now.ts) for a note bound to a Steam id
// by /player link-steam: A2S lists names only, so its sessions carry no Steam id and the note must be found by
// name, as the alerts find it (match.ts); a session under another Steam id is not that note's player.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { say, startHarness, type Harness } from "../ingame/harness.ts";

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

describe("!online <tag> with a Steam-linked note", () => {
  it("lists the linked player seen by name on A2S, not a namesake under another Steam id", async () => {
    const prisma = h.bot.db.prisma;
    const server = await prisma.pairedServer.findUniqueOrThrow({ where: { id: h.serverId } });
    const intelId = (await prisma.intelServer.create({ data: { ip: server.ip, appPort: server.port, lastAnsweredAt: new Date(h.clock.now) } })).id;
    await prisma.playerIntelNote.create({ data: { pairedServerId: h.serverId, playerName: "Rick", steamId: "76561198000000101", tags: ["raider"] } });
    await prisma.playerIntelNote.create({ data: { pairedServerId: h.serverId, playerName: "Morty", steamId: "76561198000000102", tags: ["raider"] } });
    const since = new Date(h.clock.now - 10 * 60_000);
    await prisma.playerSession.create({ data: { intelServerId: intelId, playerName: "Rick", startedAt: since, lastSeenAt: since } });
    await prisma.playerSession.create({ data: { intelServerId: intelId, playerName: "Morty", steamId: "76561198000000999", startedAt: since, lastSeenAt: since } });
    expect(await say(h, h.bob, "!online raider")).toEqual(["raider online (1): Rick 11m"]);
  });
});
