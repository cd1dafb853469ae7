// The connection manager through the real rustplus.js client against the fake Rust+ server, on a virtual
// clock shared by both (so backoff and token buckets can be stepped through without waiting).
import { once } from "node:events";
import { REST } from "@discordjs/rest";
import RustPlus from "@liamcottle/rustplus.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { buildKeyring, formatKey, generateKey, SecretBox } from "../../src/db/crypto.ts";
import { Notifier } from "../../src/notify/notifier.ts";
import { soloLeases } from "../../src/fleet/socket-leases.ts";
import { ConnectionManager, type ManagerOptions } from "../../src/rustplus/connection-manager.ts";
import type { ConnectionState } from "../../src/rustplus/connection.ts";
import { RustPlusError } from "../../src/rustplus/rust-errors.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { EntityType, FakeRustServer } from "../fakes/rustplus/index.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { linkUser } from "../helpers/bot.ts";
import { capturedLogger } from "../helpers/logs.ts";
import { ManualTimers, turn } from "../helpers/manual-timers.ts";

let db: TestDatabase;
const secrets = new SecretBox(buildKeyring(formatKey(1, generateKey())));
const { logger, logs } = capturedLogger();
let timers: ManualTimers;
let fake: FakeRustServer;
const managers: ConnectionManager[] = [];
let states: Log<{ serverId: string; state: ConnectionState }>;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});
afterEach(async () => {
  for (const m of managers.splice(0)) m.stopAll();
  await fake?.close();
  expect(fake.faults).toEqual([]);
});

async function startFake(players = 1) {
  timers = new ManualTimers();
  fake = await FakeRustServer.start({ clock: timers.now });
  states = new Log();
  // Rows from earlier tests point at fakes that are gone.
  await db.prisma.pairedServer.updateMany({ data: { live: false } });
  const servers = [];
  for (let i = 0; i < players; i++) {
    // With a Discord account: without /setup, status news goes to the owner by DM.
    const user = await linkUser(db.prisma, String(100_000_000_000_000_000n + BigInt(Math.floor(Math.random() * 1e12))));
    const token = -1_000_000 - i;
    fake.addPlayer(user.steamId, token);
    const sealed = secrets.seal("PairedServer.playerToken", String(token));
    servers.push(
      await db.prisma.pairedServer.create({
        data: { userId: user.id, serverName: `Fake ${i}`, ip: "127.0.0.1", port: fake.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
      }),
    );
  }
  return servers;
}

function manager(options: ManagerOptions = {}) {
  const m = new ConnectionManager(db.prisma, secrets, new Notifier(db.prisma, logger, new REST()), logger, { timers, requestTimeoutMs: 600_000, ...options });
  m.on("state", (serverId, state) => states.push({ serverId, state }));
  managers.push(m);
  return m;
}

/** Waits (on connection events, not on time) until no connection is between attempts. */
async function settle(m: ConnectionManager) {
  while (m.counts().connecting > 0) await states.next();
}

/** Runs the virtual clock to the next scheduled callback and lets what it started finish. */
async function step(m: ConnectionManager) {
  const next = timers.nextAt();
  if (next === undefined) throw new Error("nothing is scheduled");
  timers.advance(next - timers.now());
  await settle(m);
}

describe("connecting", () => {
  it("opens one socket per live server and reads its info", async () => {
    const [server] = await startFake();
    const m = manager();
    expect(await m.connect(server!.id)).toBe("opened");
    await settle(m);
    expect(m.status(server!.id)).toMatchObject({ state: { kind: "connected" }, snapshot: { info: { name: "Fake Rust Server", mapSize: 3000 } } });
    expect(fake.connections).toBe(1);
    expect(await m.connect(server!.id)).toBe("unchanged");
    expect(fake.connections).toBe(1);
  });

  it("reconnects after a dropped connection, after a jittered delay", async () => {
    const [server] = await startFake();
    const m = manager();
    await m.connect(server!.id);
    await settle(m);
    fake.dropConnections();
    await turn();
    const waiting = await waitForState(server!.id, "waiting");
    const delay = waiting.state.kind === "waiting" ? waiting.state.retryAt - timers.now() : -1;
    expect(delay).toBeGreaterThanOrEqual(500);
    expect(delay).toBeLessThanOrEqual(1_000);
    await step(m);
    expect(m.status(server!.id)?.state.kind).toBe("connected");
    expect(fake.connections).toBe(1);
  });

  it("keeps backing off from a server that drops every connection right after accepting it", async () => {
    const [server] = await startFake();
    const m = manager();
    await m.connect(server!.id);
    await settle(m);
    const delays: number[] = [];
    for (let i = 0; i < 5; i++) {
      const from = states.items.length;
      fake.dropConnections();
      const waiting = await states.waitFor((e) => e.serverId === server!.id && e.state.kind === "waiting", from);
      delays.push(waiting.state.kind === "waiting" ? waiting.state.retryAt - timers.now() : 0);
      await step(m);
      await waitForState(server!.id, "connected");
    }
    // Steps of 1, 2, 4, 8 and 16 s, each jittered to at least half: no reset to 1 s after each short-lived success.
    delays.forEach((delay, i) => expect(delay).toBeGreaterThanOrEqual(500 * 2 ** i));
  });

  it("rides out a server restart with growing, spread-out retries instead of a storm", async () => {
    const servers = await startFake(5);
    const m = manager();
    for (const s of servers) await m.connect(s.id);
    await settle(m);
    expect(fake.connections).toBe(5);

    await fake.stop();
    for (const s of servers) await waitForState(s.id, "waiting");
    const downAt = timers.now();
    while (timers.now() - downAt < 10 * 60_000) await step(m);
    const attempts = servers.map((s) => states.items.filter((e) => e.serverId === s.id && e.state.kind === "connecting").length - 1);
    // 1 s doubling to a 5 min cap, jittered to [½, 1] of each step: at most 11 attempts in 10 minutes.
    for (const n of attempts) expect(n).toBeGreaterThanOrEqual(6);
    for (const n of attempts) expect(n).toBeLessThanOrEqual(11);
    const retryTimes = new Set(states.items.filter((e) => e.state.kind === "waiting").map((e) => (e.state.kind === "waiting" ? e.state.retryAt : 0)));
    expect(retryTimes.size).toBeGreaterThan(attempts.reduce((a, b) => a + b, 0) / 2);

    await fake.resume();
    while (m.counts().connected < 5) await step(m);
    expect(fake.connections).toBe(5);
  });
});

describe("a refused token", () => {
  it("after a wipe marks the server for re-pairing, tells the owner once and stops retrying", async () => {
    const [server] = await startFake();
    const m = manager();
    await m.connect(server!.id);
    await settle(m);
    await fake.restart(() => fake.wipe());
    await waitForState(server!.id, "waiting");
    await step(m);
    await waitForState(server!.id, "rejected");
    await m.settled();

    const row = await db.prisma.pairedServer.findUniqueOrThrow({ where: { id: server!.id } });
    expect(row.needsRepairSince).not.toBeNull();
    const notices = await db.prisma.notificationOutbox.findMany({ where: { userId: server!.userId, dedupeKey: { startsWith: "repair:" } } });
    expect(notices.map((n) => (n.payload as { text: string }).text)).toEqual([expect.stringContaining("wiped")]);

    const requestsBefore = fake.requests["getInfo"];
    const statesBefore = states.items.length;
    timers.advance(60 * 60_000);
    while (fake.connections > 0) await turn();
    expect(fake.requests["getInfo"]).toBe(requestsBefore);
    expect(states.items.slice(statesBefore)).toEqual([]);
    expect(await m.connect(server!.id)).toBe("needs-repair");

    // Pairing again in game gives a new token; the row is updated and the server connects again.
    fake.addPlayer(row.playerSteamId, 99);
    const sealed = secrets.seal("PairedServer.playerToken", "99");
    await db.prisma.pairedServer.update({ where: { id: server!.id }, data: { playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, needsRepairSince: null, pairedAt: new Date() } });
    expect(await m.connect(server!.id)).toBe("opened");
    await settle(m);
    expect(m.status(server!.id)?.state.kind).toBe("connected");
    expect(await db.prisma.notificationOutbox.count({ where: { userId: server!.userId, dedupeKey: { startsWith: "repair:" } } })).toBe(1);
  });

  it("treats not_found for one entity as that entity's problem, not the pairing's", async () => {
    const [server] = await startFake();
    const m = manager();
    await m.connect(server!.id);
    await settle(m);
    await expect(m.request(server!.id, { entityId: 424242, getEntityInfo: {} })).rejects.toEqual(new RustPlusError("not_found"));
    expect(m.status(server!.id)?.state.kind).toBe("connected");
  });
});

describe("the rate budget", () => {
  it("keeps heavy polling of many devices and five players under the server's limits, serving user actions first", async () => {
    const servers = await startFake(5);
    for (let id = 1; id <= 40; id++) fake.addEntity(id, { type: EntityType.Switch, value: false });
    const m = manager();
    for (const s of servers) await m.connect(s.id);
    await settle(m);
    const start = timers.now();

    let stop = false;
    let issued = 0;
    let polled = 0;
    let answered = 0;
    const errors: unknown[] = [];
    const ask = async (serverId: string, data: Record<string, unknown>, priority: "user" | "background") => {
      issued++;
      await m.request(serverId, data, priority).catch((err: unknown) => errors.push(err)).finally(() => answered++);
    };
    /** Lets every request the budget released get its answer, then moves the virtual clock on. */
    const tick = async () => {
      while (issued - answered - m.budget.queued() > 0) await turn();
      timers.advance(Math.max(1, Math.min(100, (timers.nextAt() ?? Infinity) - timers.now())));
    };
    const pollers = servers.flatMap((s) =>
      Array.from({ length: 40 }, async (_, i) => {
        while (!stop) {
          await ask(s.id, { entityId: i + 1, getEntityInfo: {} }, "background");
          polled++;
        }
      }),
    );
    // Let the background queue fill up, then act as a user would: a switch press and a map download.
    while (timers.now() - start < 5_000) await tick();
    const userDone: number[] = [];
    const asked = timers.now();
    const actions = servers.flatMap((s) => [
      ask(s.id, { entityId: 1, setEntityValue: { value: true } }, "user").then(() => userDone.push(timers.now() - asked)),
      ask(s.id, { getMap: {} }, "user").then(() => userDone.push(timers.now() - asked)),
    ]);
    while (userDone.length < actions.length) await tick();
    const pollsAtUserDone = polled;
    while (timers.now() - asked < 120_000) await tick();
    stop = true;
    while (m.budget.queued() > 0 || issued > answered) await tick();
    await Promise.all([...pollers, ...actions]);

    expect(errors).toEqual([]);
    expect(fake.rateLimited).toBe(0);
    expect(fake.errorsSent["rate_limit"] ?? 0).toBe(0);
    // Thousands of polls wanted; the budget let through what the server allows (3/s per player, 15/s per IP).
    expect(polled).toBeGreaterThan(120 * 10);
    // Each player's two actions cost 6 tokens: at 3/s they are through within a few seconds, ahead of the queue.
    expect(Math.max(...userDone)).toBeLessThanOrEqual(5_000);
    expect(pollsAtUserDone).toBeLessThan(polled);
    expect(logs.filter((l) => String(l["msg"]).startsWith("the server rate-limited us"))).toEqual([]);
  });
});

describe("a player's own app sharing the buckets", () => {
  it("takes one rate_limit, then waits for the server's refill instead of hitting it again", async () => {
    const [server] = await startFake();
    const m = manager();
    await m.connect(server!.id);
    await settle(m);
    // The Rust+ app on the player's phone spends the same player bucket until the server refuses it.
    const app = new RustPlus("127.0.0.1", fake.port, server!.playerSteamId, -1_000_000);
    app.on("error", () => undefined);
    const opened = once(app, "connected");
    app.connect();
    await opened;
    for (;;) {
      const refused = await app.sendRequestAsync({ getTime: {} }).then(() => false, () => true);
      if (refused) break;
    }
    app.disconnect();
    const limitedBefore = fake.rateLimited;

    await expect(m.request(server!.id, { getTime: {} })).rejects.toEqual(new RustPlusError("rate_limit"));
    let answered = false;
    const next = m.request(server!.id, { getTime: {} }).then(() => (answered = true));
    while (!answered) {
      await turn();
      timers.advance(50);
    }
    await next;
    expect(fake.rateLimited - limitedBefore).toBe(1);
    expect(m.status(server!.id)?.state.kind).toBe("connected");
  });
});

describe("what a server sends", () => {
  it("connects to a server that leaves every default off the wire: empty queue, nobody online, midnight", async () => {
    const [server] = await startFake();
    fake.world.info = { ...fake.world.info, players: 0, queuedPlayers: 0, seed: 0, salt: 0, headerImage: "", url: "" };
    fake.world.time = { ...fake.world.time, time: 0, sunrise: 0 };
    const m = manager();
    await m.connect(server!.id);
    await settle(m);
    expect(m.status(server!.id)).toMatchObject({
      state: { kind: "connected" },
      snapshot: { info: { name: "Fake Rust Server", players: 0, queuedPlayers: 0, seed: 0 }, time: { time: 0, sunrise: 0, sunset: 20 } },
    });
    expect(m.get(server!.id)?.protocolErrors).toBe(0);
  });

  it("survives frames that do not decode and keeps answering", async () => {
    const [server] = await startFake();
    const m = manager();
    await m.connect(server!.id);
    await settle(m);
    fake.sendRaw(new Uint8Array([0xff, 0xff, 0xff, 0x01]));
    // An AppMessage cut short inside its response (an unguarded rustplus.js would throw out of its socket handler).
    fake.sendRaw(new Uint8Array([0x0a, 0x07, 0x08, 0x07, 0x32, 0x03]));
    // An AppInfo lacking fields rustplus.js's proto marks required: decodes (real servers leave defaults off the wire).
    fake.sendRaw(new Uint8Array([0x0a, 0x07, 0x08, 0x07, 0x32, 0x03, 0x0a, 0x01, 0x78]));
    const response = await m.request(server!.id, { getTime: {} });
    expect(response.time?.dayLengthMinutes).toBeGreaterThan(0);
    expect(m.get(server!.id)?.protocolErrors).toBe(2);
    expect(m.status(server!.id)?.state.kind).toBe("connected");
  });
});

describe("after a restart of the bot", () => {
  it("restores every live connection except those waiting for re-pairing or switched off", async () => {
    const servers = await startFake(4);
    await db.prisma.pairedServer.update({ where: { id: servers[2]!.id }, data: { needsRepairSince: new Date() } });
    await db.prisma.pairedServer.update({ where: { id: servers[3]!.id }, data: { live: false } });
    const first = manager();
    await first.restoreAll();
    await settle(first);
    first.stopAll();
    await turn();

    const second = manager();
    expect(await second.restoreAll()).toBe(2);
    await settle(second);
    expect(second.counts().connected).toBe(2);
    expect(second.status(servers[2]!.id)).toBeNull();
    expect(second.status(servers[3]!.id)).toBeNull();
  });
});

async function waitForState(serverId: string, kind: ConnectionState["kind"]) {
  for (;;) {
    const found = states.items.findLast((e) => e.serverId === serverId);
    if (found?.state.kind === kind) return found;
    await states.next((e) => e.serverId === serverId);
  }
}

describe("a socket whose lease lapsed (the process was paused past its lease)", () => {
  it("sends nothing more on it: a request is refused and the socket closed without a word", async () => {
    const [server] = await startFake();
    let leaseValid = true;
    const m = manager();
    m.setLeases({ ...soloLeases, valid: () => leaseValid });
    await m.connect(server!.id);
    await settle(m);
    const [socket] = fake.recorder.sockets;
    const sent = socket!.sentAt.length;

    // Nothing came off the socket since the lease lapsed, so only the send itself can notice.
    leaseValid = false;
    await expect(m.request(server!.id, { getTime: {} })).rejects.toThrow(/handed over/);
    await fake.recorder.until(() => socket!.closedAt !== null);
    expect(socket!.sentAt.length).toBe(sent);
    expect(m.status(server!.id)).toBeNull();
    expect(m.handedOver(server!.id)).toBe(true);
  });
});
