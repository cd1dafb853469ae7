// A hostile or broken query port, through real UDP and the real A2S client: absurd connection times, a `born`
// keyword in the future, names that only look like streamer-mode names. The poll must not fail, must not
// corrupt sessions and must not start telling wipes or streamer mode that are not there.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createA2sClient } from "../../src/intel/a2s/a2s-client.ts";
import { intelTarget } from "../../src/intel/player/player-target.ts";
import { searchPlayers } from "../../src/intel/player/search.ts";
import { IntelPoller } from "../../src/intel/poll/intel-poller.ts";
import type { IntelPollResult } from "../../src/intel/types.ts";
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
let appPort = 42_000;
const { logger, logs } = capturedLogger();
const query = createA2sClient({ timeoutMs: 1000 });

function newPoller(results: IntelPollResult[] = []) {
  const poller = new IntelPoller(db.prisma, query, logger, { intervalMs: INTERVAL, timers, candidates: () => [fake.port], random: () => 0.5 });
  poller.onPoll((r) => {
    results.push(r);
    return Promise.resolve();
  });
  return poller;
}

async function follow(port = ++appPort) {
  const user = await createUser(db.prisma);
  await createServer(db.prisma, user.id, { ip: "127.0.0.1", port }).then((s) => db.prisma.pairedServer.update({ where: { id: s.id }, data: { live: true, serverName: "Intel Test Server" } }));
  return port;
}

const intelServer = (port: number) => db.prisma.intelServer.findUniqueOrThrow({ where: { ip_appPort: { ip: "127.0.0.1", appPort: port } } });
const openSessions = async (port: number) =>
  (await db.prisma.playerSession.findMany({ where: { intelServer: { appPort: port }, endedAt: null }, orderBy: { playerName: "asc" } })).map((s) => s.playerName);

beforeAll(async () => {
  db = await createTestDatabase();
});
beforeEach(async () => {
  await fake?.close();
  await db.prisma.pairedServer.updateMany({ data: { live: false } });
  timers = new ManualTimers();
  fake = await FakeA2sServer.start({ name: "Intel Test Server", now: timers.now, born: WIPE_1 });
});
afterAll(async () => {
  await fake?.close();
  await db?.dispose();
});

describe("a hostile query port", () => {
  it("takes an absurd connection time (a float of 1e30 seconds) as unknown, and keeps polling", async () => {
    const port = await follow();
    const poller = newPoller();
    fake.born = undefined; // no wipe known: nothing clamps the start
    fake.join("Ancient", 1e30);
    fake.join("Normal", 60);
    expect([...(await poller.pollNow()).values()]).toEqual(["answered"]);
    expect(await openSessions(port)).toEqual(["Ancient", "Normal"]);
    const ancient = await db.prisma.playerSession.findFirstOrThrow({ where: { intelServer: { appPort: port }, playerName: "Ancient" } });
    expect(ancient.startedAt.getTime()).toBeGreaterThan(timers.now() - 400 * 86_400_000);
    timers.advance(INTERVAL);
    expect([...(await poller.pollNow()).values()]).toEqual(["answered"]);
    expect(await db.prisma.playerSession.count({ where: { intelServer: { appPort: port } } })).toBe(2);
  });

  it("ignores a `born` in the future: no wipe told, and the next real wipe is still seen", async () => {
    const port = await follow();
    const results: IntelPollResult[] = [];
    const poller = newPoller(results);
    fake.join("Alice", 600);
    await poller.pollNow();
    timers.advance(INTERVAL);
    fake.born = Math.floor(timers.now() / 1000) + 10 * 365 * 86_400; // ten years ahead
    await poller.pollNow();
    expect(results[1]?.wiped).toBe(false);
    expect(await openSessions(port)).toEqual(["Alice"]);
    expect((await intelServer(port)).wipeAt).toEqual(new Date(WIPE_1 * 1000));

    timers.advance(INTERVAL);
    const realWipe = Math.floor(timers.now() / 1000) - 5;
    fake.born = realWipe;
    fake.clear();
    fake.join("Alice", 1);
    await poller.pollNow();
    expect(results[2]?.wiped).toBe(true);
    expect((await intelServer(port)).wipeAt).toEqual(new Date(realWipe * 1000));
  });

  it("takes a queue too large for a database int (qp9999999999) as not given, refuses absurd player counts, and keeps polling", async () => {
    const port = await follow();
    const poller = newPoller();
    fake.queued = 9_999_999_999;
    fake.join("Alice", 60);
    expect([...(await poller.pollNow()).values()]).toEqual(["answered"]);
    expect(await intelServer(port)).toMatchObject({ players: 1, maxPlayers: 200, queuedPlayers: null });
    expect(await openSessions(port)).toEqual(["Alice"]);
    fake.maxPlayers = 9_999_999_999; // gamedig takes mp as the slots itself: the answer is refused, sessions stay
    timers.advance(INTERVAL);
    expect([...(await poller.pollNow()).values()]).toEqual(["no-answer"]);
    expect(await openSessions(port)).toEqual(["Alice"]);
  });

  it("cuts a 200-unit name without leaving half an emoji, and stores it", async () => {
    const port = await follow();
    const poller = newPoller();
    const long = `${"a".repeat(199)}😀tail`;
    fake.join(long, 60);
    expect([...(await poller.pollNow()).values()]).toEqual(["answered"]);
    const [name] = await openSessions(port);
    expect(name).toBe("a".repeat(199));
  });

  it("does not call a small server of plainly named players (Alice, Bob, … nine of them) streamer mode", async () => {
    const port = await follow();
    const results: IntelPollResult[] = [];
    const poller = newPoller(results);
    for (const name of ["Alice", "Bob", "Charlie", "Dave", "Eve", "Frank", "Grace", "Heidi", "Ivan"]) fake.join(name, 60);
    await poller.pollNow();
    expect(results[0]?.streamerMode).toBe(false);
    expect((await intelServer(port)).streamerMode).toBe(false);
  });
});

describe("a server nobody follows any more", () => {
  it("ends its open sessions at their last sighting, and tells no comings when it is followed again days later", async () => {
    const port = await follow();
    const results: IntelPollResult[] = [];
    const poller = newPoller(results);
    fake.join("Alice", 600);
    fake.join("Bob", 60);
    await poller.pollNow();
    const lastSeen = timers.now();
    // The only team disconnects the server: it is not polled, and nobody is "online now" there for days.
    await db.prisma.pairedServer.updateMany({ where: { port }, data: { live: false } });
    timers.advance(INTERVAL);
    await poller.pollNow();
    expect(await openSessions(port)).toEqual([]);
    const ended = await db.prisma.playerSession.findMany({ where: { intelServer: { appPort: port } } });
    expect(ended.map((s) => s.endedAt?.getTime())).toEqual([lastSeen, lastSeen]);

    // Three days on it is followed again: who is on now is not news (they came while nobody watched).
    timers.advance(3 * 86_400_000);
    fake.leave("Bob");
    fake.join("Carol", 3600);
    await db.prisma.pairedServer.updateMany({ where: { port }, data: { live: true } });
    const before = results.length;
    await poller.pollNow();
    expect(results.length).toBe(before + 1);
    expect(results.at(-1)?.transitions).toEqual([]);
    expect(await openSessions(port)).toEqual(["Alice", "Carol"]);
  });
});


describe("a list that changes too fast to record", () => {
  const TOO_FAST = "a server's player list changes too fast to record: new sessions are not opened until it slows down";
  const rows = (port: number) => db.prisma.playerSession.count({ where: { intelServer: { appPort: port } } });
  const comings = (r: IntelPollResult | undefined) => (r?.transitions ?? []).filter((t) => t.online).map((t) => t.playerName).sort();

  it("stops opening sessions at max(4 × slots, 500) per rolling hour for 255 new random names a poll, says it once, and records again once it slows", async () => {
    const port = await follow();
    const results: IntelPollResult[] = [];
    const poller = newPoller(results);
    fake.maxPlayers = 100; // bound: max(400, 500) = 500 new sessions an hour
    const warned = () => logs.filter((l) => l.msg === TOO_FAST && l.intelServerId === id).length;
    let id = "";
    for (let poll = 0; poll < 70; poll++) {
      fake.clear();
      for (let i = 0; i < 255; i++) fake.join(randomUUID().slice(0, 12), i % 60);
      expect([...(await poller.pollNow()).values()]).toEqual(["answered"]);
      id ||= (await intelServer(port)).id;
      if (poll >= 1) expect(await rows(port)).toBe(500);
      timers.advance(INTERVAL);
    }
    // 70 polls of 255 names would have been 17,850 rows: the first poll's 255, then 245 up to the bound.
    expect(await rows(port)).toBe(500);
    expect(await openSessions(port)).toEqual([]); // the recorded names left the list: closed at their last sighting
    expect(results.slice(2).flatMap(comings)).toEqual([]); // the unrecorded are not told as comings
    expect(poller.listTooFastSince(id)).toEqual(new Date(timers.now() - 69 * INTERVAL));
    expect(warned()).toBe(1);
    expect(logs.find((l) => l.msg === TOO_FAST)).toMatchObject({ level: 40, bound: 500 });
    // /player search says it under the list.
    const paired = await db.prisma.pairedServer.findFirstOrThrow({ where: { port }, include: { user: true } });
    const target = await intelTarget(db.prisma, paired.user, paired.id);
    expect(await searchPlayers(db.prisma, target, undefined, new Date(timers.now()), poller.listTooFastSince(id))).toContain("This server's list changes too fast to record");

    // It slows down: ten steady players. Still refused until the hour's arrivals fall under half the bound...
    fake.clear();
    for (let i = 0; i < 10; i++) fake.join(`Steady${i}`, 600);
    let polls = 0;
    while (poller.listTooFastSince(id) && polls++ < 70) {
      expect(await rows(port)).toBe(500);
      timers.advance(INTERVAL);
      await poller.pollNow();
    }
    // ...then recorded again: the ten open, not told as comings (they came while unrecorded).
    expect(poller.listTooFastSince(id)).toBeUndefined();
    expect(polls).toBeGreaterThan(30);
    expect(await rows(port)).toBe(510);
    expect(await openSessions(port)).toEqual(Array.from({ length: 10 }, (_, i) => `Steady${i}`));
    expect(comings(results.at(-1))).toEqual([]);
    fake.join("Newcomer", 5);
    timers.advance(INTERVAL);
    await poller.pollNow();
    expect(comings(results.at(-1))).toEqual(["Newcomer"]);
    expect(await searchPlayers(db.prisma, target, undefined, new Date(timers.now()), poller.listTooFastSince(id))).not.toContain("too fast");
    expect(warned()).toBe(1);
  });

  it("bounds a list whose 255 names all reconnect every poll (connection time back to 0), keeping them online", async () => {
    const port = await follow();
    const poller = newPoller();
    fake.maxPlayers = 100;
    for (let poll = 0; poll < 5; poll++) {
      fake.clear();
      for (let i = 0; i < 255; i++) fake.join(`Same${String(i).padStart(3, "0")}`, 0);
      await poller.pollNow();
      timers.advance(INTERVAL);
    }
    expect(await rows(port)).toBe(500);
    // Every name is still listed: each keeps one open session (a refused reconnection keeps the old one).
    expect((await openSessions(port)).length).toBe(255);
    expect(poller.listTooFastSince((await intelServer(port)).id)).toBeDefined();
  });

  it("does not stop a 200-slot server's wipe day: 200 back at the wipe, then 8 leaving and 8 coming every minute for an hour", async () => {
    const port = await follow();
    const results: IntelPollResult[] = [];
    const poller = newPoller(results);
    fake.maxPlayers = 200; // bound: 800
    for (let i = 0; i < 200; i++) fake.join(`Old${i}`, 3600);
    await poller.pollNow();
    const id = (await intelServer(port)).id;
    timers.advance(2 * 3_600_000);
    // The wipe: everyone reconnects to the new map.
    fake.born = Math.floor(timers.now() / 1000) - 30;
    fake.clear();
    for (let i = 0; i < 200; i++) fake.join(`Old${i}`, 20);
    await poller.pollNow();
    expect(results.at(-1)?.wiped).toBe(true);
    expect(await rows(port)).toBe(400);
    let next = 0;
    for (let minute = 0; minute < 60; minute++) {
      timers.advance(INTERVAL);
      for (let k = 0; k < 8; k++) fake.leave(fake.players[0]!);
      for (let k = 0; k < 8; k++) fake.join(`New${next++}`, 10);
      await poller.pollNow();
      expect(comings(results.at(-1))).toHaveLength(8);
    }
    expect(await rows(port)).toBe(400 + 480);
    expect((await openSessions(port)).length).toBe(200);
    expect(poller.listTooFastSince(id)).toBeUndefined();
    expect(logs.filter((l) => l.msg === TOO_FAST && l.intelServerId === id)).toEqual([]);
  });
});
