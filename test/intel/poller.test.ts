// The shared poll against the fake query port over real UDP, on a virtual clock: sessions across polls and a
// restart, a server that stops answering, wipes, a capped list, streamer mode, one query per interval for
// every team, and the 30-day prune.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createA2sClient } from "../../src/intel/a2s/a2s-client.ts";
import { IntelPoller } from "../../src/intel/poll/intel-poller.ts";
import type { IntelPollResult } from "../../src/intel/types.ts";
import { sweepOnce } from "../../src/maintenance/sweep.ts";
import { FakeA2sServer } from "../fakes/a2s/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { createServer, createUser } from "../helpers/fixtures.ts";
import { capturedLogger } from "../helpers/logs.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";

const INTERVAL = 60_000;
const WIPE_1 = Date.UTC(2025, 11, 25) / 1000;
let db: TestDatabase;
let timers: ManualTimers;
let fake: FakeA2sServer;
let appPort = 41_000;
/** Query ports a server moved to (tried after the fake's). */
let movedTo: number[] = [];
const { logger, logs } = capturedLogger();
const query = createA2sClient({ timeoutMs: 1000 });

function newPoller(results: IntelPollResult[] = []) {
  const poller = new IntelPoller(db.prisma, query, logger, { intervalMs: INTERVAL, timers, candidates: () => [fake.port, ...movedTo], random: () => 0.5 });
  poller.onPoll((r) => {
    results.push(r);
    return Promise.resolve();
  });
  return poller;
}

/** A followed server: a live PairedServer at 127.0.0.1 on a fresh app port (one IntelServer each). */
async function follow(port = ++appPort) {
  const user = await createUser(db.prisma);
  await createServer(db.prisma, user.id, { ip: "127.0.0.1", port }).then((s) => db.prisma.pairedServer.update({ where: { id: s.id }, data: { live: true, serverName: "Intel Test Server" } }));
  return port;
}

const intelServer = (port: number) => db.prisma.intelServer.findUniqueOrThrow({ where: { ip_appPort: { ip: "127.0.0.1", appPort: port } } });
const openSessions = async (port: number) =>
  (await db.prisma.playerSession.findMany({ where: { intelServer: { appPort: port }, endedAt: null }, orderBy: { playerName: "asc" } })).map((s) => s.playerName);
const session = (port: number, playerName: string) => db.prisma.playerSession.findFirstOrThrow({ where: { intelServer: { appPort: port }, playerName }, orderBy: { startedAt: "desc" } });
const seen = (r: IntelPollResult | undefined) => (r?.transitions ?? []).map((t) => `${t.online ? "+" : "-"}${t.playerName}@${t.at.toISOString()}`).sort();
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  db = await createTestDatabase();
});
beforeEach(async () => {
  await fake?.close();
  await db.prisma.pairedServer.updateMany({ data: { live: false } });
  timers = new ManualTimers();
  movedTo = [];
  fake = await FakeA2sServer.start({ name: "Intel Test Server", now: timers.now, born: WIPE_1 });
});
afterAll(async () => {
  await fake?.close();
  await db?.dispose();
});

describe("sessions", () => {
  it("opens, keeps and closes sessions across polls and across a restart", async () => {
    const port = await follow();
    const results: IntelPollResult[] = [];
    let poller = newPoller(results);
    fake.join("Alice", 600);
    fake.join("Bob", 60);
    const t0 = timers.now();
    expect(await poller.pollNow()).toEqual(new Map([[(await intelServer(port)).id, "answered"]]));
    expect(await openSessions(port)).toEqual(["Alice", "Bob"]);
    expect((await session(port, "Alice")).startedAt.toISOString()).toBe(iso(t0 - 600_000));
    expect(await intelServer(port)).toMatchObject({ queryPort: fake.port, queryPortManual: false, name: "Intel Test Server", players: 2, maxPlayers: 200, queuedPlayers: 0, wipeAt: new Date(WIPE_1 * 1000) });
    expect(results[0]?.transitions).toEqual([]); // the first poll of a server tells no comings

    timers.advance(INTERVAL);
    fake.leave("Bob");
    fake.join("Carol", 10);
    await poller.pollNow();
    expect(await openSessions(port)).toEqual(["Alice", "Carol"]);
    expect(seen(results[1])).toEqual([`+Carol@${iso(t0 + INTERVAL - 10_000)}`, `-Bob@${iso(t0)}`]);
    expect((await session(port, "Bob")).endedAt?.toISOString()).toBe(iso(t0));
    const t1 = timers.now();

    // Down for ten minutes: Alice leaves, Dave comes; the new process diffs against the stored sessions.
    poller.stop();
    timers.advance(10 * 60_000);
    fake.leave("Alice");
    fake.join("Dave", 120);
    poller = newPoller(results);
    await poller.pollNow();
    expect(await openSessions(port)).toEqual(["Carol", "Dave"]);
    expect(seen(results[2])).toEqual([`+Dave@${iso(timers.now() - 120_000)}`, `-Alice@${iso(t1)}`]);
    expect((await session(port, "Alice")).endedAt?.toISOString()).toBe(iso(t1));
    expect((await session(port, "Carol")).lastSeenAt.toISOString()).toBe(iso(timers.now()));
  });

  it("a player who left and came back between two polls gets a new session", async () => {
    const port = await follow();
    const results: IntelPollResult[] = [];
    const poller = newPoller(results);
    fake.join("Erin", 300);
    await poller.pollNow();
    const t0 = timers.now();
    timers.advance(INTERVAL);
    fake.leave("Erin");
    fake.join("Erin", 20);
    await poller.pollNow();
    expect(seen(results[1])).toEqual([`+Erin@${iso(timers.now() - 20_000)}`, `-Erin@${iso(t0)}`]);
    expect(await db.prisma.playerSession.count({ where: { intelServer: { appPort: port }, playerName: "Erin" } })).toBe(2);
  });
});

describe("a server that does not answer", () => {
  it("keeps sessions open, logs once, and closes the missing players at their last sighting when it answers again", async () => {
    const port = await follow();
    const results: IntelPollResult[] = [];
    const poller = newPoller(results);
    fake.join("Frank", 100);
    fake.join("Gina", 100);
    await poller.pollNow();
    const lastSeen = timers.now();
    fake.misbehaviour = "silent";
    const logsBefore = logs.length;
    for (let i = 0; i < 3; i++) {
      timers.advance(INTERVAL);
      expect([...(await poller.pollNow()).values()]).toEqual(["no-answer"]);
    }
    expect(await openSessions(port)).toEqual(["Frank", "Gina"]);
    expect((await intelServer(port)).unreachableSince?.toISOString()).toBe(iso(lastSeen + INTERVAL));
    expect(logs.slice(logsBefore).filter((l) => String(l["msg"]).includes("stopped answering"))).toHaveLength(1);
    expect(results).toHaveLength(1);

    timers.advance(10 * 60_000);
    fake.leave("Gina");
    fake.misbehaviour = "none";
    await poller.pollNow();
    expect(await openSessions(port)).toEqual(["Frank"]);
    expect((await session(port, "Gina")).endedAt?.toISOString()).toBe(iso(lastSeen));
    expect((await intelServer(port)).unreachableSince).toBeNull();
  });

  it("looks for a found query port again after ten silent minutes (the server moved it), never for one set by hand", async () => {
    const port = await follow();
    const poller = newPoller();
    fake.join("Olga", 100);
    await poller.pollNow();
    fake.misbehaviour = "silent";
    timers.advance(INTERVAL);
    await poller.pollNow();
    timers.advance(10 * 60_000);
    await poller.pollNow();
    expect((await intelServer(port)).queryPort).toBeNull();
    const moved = await FakeA2sServer.start({ name: "Intel Test Server", now: timers.now });
    try {
      moved.join("Olga", 900);
      movedTo = [moved.port];
      timers.advance(INTERVAL);
      expect([...(await poller.pollNow()).values()]).toEqual(["answered"]);
      expect(await intelServer(port)).toMatchObject({ queryPort: moved.port, unreachableSince: null });
      expect(await openSessions(port)).toEqual(["Olga"]);
      // Set by hand: kept however long it is silent.
      await poller.setQueryPort("127.0.0.1", port, moved.port);
      moved.misbehaviour = "silent";
      for (const wait of [INTERVAL, 20 * 60_000]) {
        timers.advance(wait);
        await poller.pollNow();
      }
      expect(await intelServer(port)).toMatchObject({ queryPort: moved.port, queryPortManual: true });
    } finally {
      await moved.close();
    }
  });

  it("takes BattleMetrics' list (an enricher) while the query port is silent, and its Steam ids when it answers", async () => {
    const port = await follow();
    const results: IntelPollResult[] = [];
    const poller = newPoller(results);
    poller.setEnricher({
      enrich: (_server, listed) => Promise.resolve(listed.map((p) => (p.name === "Pia" ? { ...p, steamId: "76561198000000042", battlemetricsPlayerId: "42" } : p))),
      fallbackList: () => Promise.resolve([{ name: "Pia", steamId: "76561198000000042" }, { name: "Quinn" }]),
    });
    fake.join("Pia", 100);
    fake.join("Rex", 100);
    await poller.pollNow();
    expect((await session(port, "Pia")).steamId).toBe("76561198000000042");
    fake.misbehaviour = "silent";
    timers.advance(INTERVAL);
    expect([...(await poller.pollNow()).values()]).toEqual(["answered"]);
    expect(results[1]?.source).toBe("battlemetrics");
    expect(seen(results[1]).map((t) => t.split("@")[0])).toEqual(["+Quinn", "-Rex"]);
    expect((await intelServer(port)).unreachableSince).not.toBeNull();
    expect(await openSessions(port)).toEqual(["Pia", "Quinn"]);
  });

  it("leaves sessions alone when the info answers but the player list does not", async () => {
    const port = await follow();
    const poller = newPoller();
    fake.join("Hank", 100);
    await poller.pollNow();
    fake.misbehaviour = "silent-players";
    timers.advance(INTERVAL);
    expect([...(await poller.pollNow()).values()]).toEqual(["no-list"]);
    expect(await openSessions(port)).toEqual(["Hank"]);
  });
});

describe("wipes, capped lists, streamer mode", () => {
  it("closes every open session at a wipe seen in A2S `born`, and at one seen in Rust+ info", async () => {
    const port = await follow();
    const results: IntelPollResult[] = [];
    const poller = newPoller(results);
    fake.join("Ivy", 100);
    fake.join("Jack", 100);
    await poller.pollNow();
    timers.advance(INTERVAL);
    const wipe2 = timers.now() / 1000 - 30;
    fake.born = wipe2;
    fake.leave("Jack");
    await poller.pollNow();
    expect(results[1]?.wiped).toBe(true);
    const ivy = await db.prisma.playerSession.findMany({ where: { intelServer: { appPort: port }, playerName: "Ivy" }, orderBy: { startedAt: "asc" } });
    // Last seen a minute ago, before the wipe (30 s ago): ended at that sighting; listed again, from the wipe on.
    expect(ivy.map((s) => s.endedAt?.toISOString() ?? null)).toEqual([iso(timers.now() - INTERVAL), null]);
    expect(ivy[1]?.startedAt.toISOString()).toBe(iso(wipe2 * 1000)); // not before the wipe
    expect((await intelServer(port)).wipeAt?.toISOString()).toBe(iso(wipe2 * 1000));

    // Rust+ info reports a newer wipe between two polls: the sessions close at once, the next poll says so.
    timers.advance(INTERVAL);
    await poller.wipeSeen("127.0.0.1", port, timers.now() / 1000);
    expect(await openSessions(port)).toEqual([]);
    await poller.wipeSeen("127.0.0.1", port, wipe2); // an older one changes nothing
    expect((await intelServer(port)).wipeAt?.toISOString()).toBe(iso(timers.now()));
    timers.advance(INTERVAL);
    await poller.pollNow();
    expect(results[2]?.wiped).toBe(true);
    expect(await openSessions(port)).toEqual(["Ivy"]);
  });

  it("does not close anyone from a capped list at once, and still opens the newly listed", async () => {
    const port = await follow();
    const poller = newPoller();
    fake.join("Kim", 300);
    fake.join("Lou", 200);
    await poller.pollNow();
    timers.advance(INTERVAL);
    fake.join("Max", 10);
    fake.join("Ned", 10);
    fake.listCap = 3;
    expect((await query("127.0.0.1", fake.port)).missingFromList).toBe(1);
    await poller.pollNow();
    expect(await openSessions(port)).toEqual(["Kim", "Lou", "Max"]);
    fake.listCap = undefined;
    timers.advance(INTERVAL);
    fake.leave("Kim");
    await poller.pollNow();
    expect(await openSessions(port)).toEqual(["Lou", "Max", "Ned"]);
    // Ned stays beyond a cap of two: kept for ten minutes unlisted, then ended at his last sighting.
    const nedSeen = timers.now();
    fake.listCap = 2;
    timers.advance(INTERVAL);
    await poller.pollNow();
    expect(await openSessions(port)).toEqual(["Lou", "Max", "Ned"]);
    timers.advance(10 * 60_000);
    await poller.pollNow();
    expect(await openSessions(port)).toEqual(["Lou", "Max"]);
    expect((await session(port, "Ned")).endedAt?.toISOString()).toBe(iso(nedSeen));
  });

  it("flags a server whose names all look like streamer-mode names", async () => {
    const port = await follow();
    const results: IntelPollResult[] = [];
    const poller = newPoller(results);
    for (const name of ["mildred", "gordon", "ai", "bucket", "Toast", "Hairy Pickle", "james", "mary", "adah", "RobertSmith"]) fake.join(name);
    await poller.pollNow();
    expect(results[0]?.streamerMode).toBe(true);
    expect((await intelServer(port)).streamerMode).toBe(true);
    fake.join("xX_Raider_Xx");
    await poller.pollNow();
    expect(results[1]?.streamerMode).toBe(false);
    expect((await intelServer(port)).streamerMode).toBe(false);
  });
});

describe("one poll shared by every team", () => {
  it("queries a server three teams follow once per interval, at an offset within it", async () => {
    const port = await follow();
    await follow(port);
    await follow(port);
    const results: IntelPollResult[] = [];
    const poller = newPoller(results);
    const stop = poller.start();
    await poller.idle();
    expect(fake.queries).toBe(0); // spread: not at the start of the interval
    for (let i = 1; i <= 3; i++) {
      timers.advance(INTERVAL);
      await poller.idle();
      expect(fake.queries).toBe(i);
    }
    stop();
    expect(await db.prisma.intelServer.count({ where: { ip: "127.0.0.1", appPort: port } })).toBe(1);
    expect(results).toHaveLength(3);
  });
});

describe("prune", () => {
  it("deletes sessions ended more than 30 days ago, and no open ones", async () => {
    const port = await follow();
    const server = await newPoller().syncFollowed().then(() => intelServer(port));
    const now = new Date(timers.now());
    const day = 86_400_000;
    const make = (name: string, endedDaysAgo: number | null) =>
      db.prisma.playerSession.create({
        data: { intelServerId: server.id, playerName: name, startedAt: new Date(now.getTime() - 40 * day), lastSeenAt: new Date(now.getTime() - 31 * day), endedAt: endedDaysAgo === null ? null : new Date(now.getTime() - endedDaysAgo * day) },
      });
    await make("old", 31);
    await make("recent", 29);
    await make("open", null);
    const swept = await sweepOnce(db.prisma, now);
    expect(swept.playerSessions).toBe(1);
    expect((await db.prisma.playerSession.findMany({ where: { intelServerId: server.id } })).map((s) => s.playerName).sort()).toEqual(["open", "recent"]);
  });
});
