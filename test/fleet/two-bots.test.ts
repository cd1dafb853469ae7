// Two bot processes (two bots in this test process, one per Discord shard) on one database: every live server
// gets exactly one Rust+ socket at the fake Rust server, the users are shared out, a bot that stops hands its
// servers over, and a bot that was paused past its leases' time stops its sockets without handling their events.
import { performance } from "node:perf_hooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildKeyring, formatKey, generateKey, SecretBox } from "../../src/db/crypto.ts";
import type { Timers } from "../../src/rustplus/timers.ts";
import { FakeDiscord } from "../fakes/discord/index.ts";
import { FakeRustServer } from "../fakes/rustplus/index.ts";
import { linkUser, startTestBot, type TestBot } from "../helpers/bot.ts";
import { createTestDatabase, testDatabaseKind, type TestDatabase } from "../helpers/database.ts";

const USERS = 6;
const TTL_MS = 1_000;
const env = (shard: number) => ({ FLEET_LEASE_TTL_MS: String(TTL_MS), RUSTPLUS_CONNECTIONS_PER_ADDRESS: "50", DISCORD_SHARD_COUNT: "2", DISCORD_SHARD_IDS: String(shard) });

let fake: FakeDiscord;
let rust: FakeRustServer;
let db: TestDatabase;
const bots: TestBot[] = [];
const secrets = new SecretBox(buildKeyring(formatKey(1, generateKey())));
const players: string[] = [];
/** The most sockets one player had at once, over every look taken. */
let mostPerPlayer = 0;

/** The fleet's clock and timers, paused at will: while paused no round runs; the clock can jump (a SIGSTOP). */
class PausableTimers implements Timers {
  offset = 0;
  paused = false;
  readonly #held: Array<() => void> = [];
  readonly now = (): number => performance.now() + this.offset;
  setTimeout(fn: () => void, ms: number): unknown {
    const handle = setTimeout(() => (this.paused ? this.#held.push(fn) : fn()), ms);
    handle.unref();
    return handle;
  }
  clearTimeout(handle: unknown): void {
    clearTimeout(handle as NodeJS.Timeout);
  }
  resume(): void {
    this.paused = false;
    for (const fn of this.#held.splice(0)) fn();
  }
}

beforeAll(async () => {
  if (testDatabaseKind !== "postgres") return;
  fake = await FakeDiscord.start({ shardCount: 2 });
  fake.createGuild({ name: "Fleet", shard: 0 });
  db = await createTestDatabase();
  const users = [];
  for (let i = 0; i < USERS; i++) users.push(await linkUser(db.prisma, String(400_000_000_000_000_000n + BigInt(i))));
  rust = await FakeRustServer.start({ limits: { maxConnectionsPerIp: 50 }, players: users.map((u, i) => ({ steamId: u.steamId, playerToken: 100 + i })) });
  for (const u of users) players.push(u.steamId);
});
afterAll(async () => {
  for (const bot of bots) await bot.stop();
  await rust?.close();
  await fake?.close();
  await db?.dispose();
});

async function startBot(shard: number, timers?: Timers): Promise<TestBot> {
  const bot = await startTestBot(fake, { db, secrets, env: env(shard), ...(timers && { fleet: { timers } }) });
  bots.push(bot);
  return bot;
}

/** Every user's server on the fake, paired and live (tokens sealed with the fleet's shared key). */
async function pairAll(): Promise<void> {
  const users = await db.prisma.user.findMany({ where: { steamId: { in: players } } });
  for (const user of users) {
    const token = 100 + players.indexOf(user.steamId);
    const sealed = secrets.seal("PairedServer.playerToken", String(token));
    await db.prisma.pairedServer.create({
      data: { userId: user.id, serverName: `Fake ${token}`, ip: "127.0.0.1", port: rust.port, playerSteamId: user.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true },
    });
  }
}

/** Sockets per player at the fake Rust server now (and the most seen so far). */
function socketsPerPlayer(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const c of rust.connectionInfo()) if (c.playerId) counts.set(c.playerId, (counts.get(c.playerId) ?? 0) + 1);
  for (const n of counts.values()) mostPerPlayer = Math.max(mostPerPlayer, n);
  return counts;
}

const oneEach = () => {
  const counts = socketsPerPlayer();
  return players.every((p) => counts.get(p) === 1);
};
const userLeases = (bot: TestBot) => bot.fleet.leases.held().filter((l) => l.key.startsWith("user:")).length;
const connected = (bot: TestBot) => bot.ctx.rust.counts().connected;

/** Runs `bots`' rounds until `done` (each round is a round trip to the database, so this waits on it, not on time). */
async function until(done: () => boolean, ...roundsOf: TestBot[]): Promise<void> {
  while (!done()) await Promise.all(roundsOf.map((b) => b.fleet.round()));
}

// Several processes share PostgreSQL only (the embedded database belongs to one process: its data directory lock).
describe.runIf(testDatabaseKind === "postgres")("a fleet of two bots on one database", () => {
  it("gives every live server one socket, shares the users out, and hands them over when a bot stops", async () => {
    const a = await startBot(0);
    await pairAll();
    await until(() => oneEach() && connected(a) === USERS, a);
    expect(userLeases(a)).toBe(USERS);

    const b = await startBot(1);
    // Fair share: 6 users over 2 live processes, 3 each.
    await until(() => userLeases(a) === USERS / 2 && userLeases(b) === USERS / 2 && connected(a) === USERS / 2 && connected(b) === USERS / 2 && oneEach(), a, b);
    expect(rust.connections).toBe(USERS);
    expect(mostPerPlayer).toBe(1);
    const serverLeases = (await db.prisma.fleetLease.findMany({ where: { key: { startsWith: "server:" }, holder: { not: null } } })).map((l) => l.holder);
    expect(serverLeases.sort()).toEqual([...Array(3).fill(a.fleet.processId), ...Array(3).fill(b.fleet.processId)].sort());

    await b.stop();
    bots.splice(bots.indexOf(b), 1);
    expect(await db.prisma.fleetProcess.count({ where: { id: b.fleet.processId } })).toBe(0);
    await until(() => userLeases(a) === USERS && connected(a) === USERS && oneEach(), a);
    expect(a.logs.filter((l) => l["msg"] === "took over" && l["serverId"]).length).toBeGreaterThanOrEqual(USERS + USERS / 2);
    expect(mostPerPlayer).toBe(1);
  });

  it("stops a paused bot's sockets at wake-up without handling what they receive, once the others took its users", async () => {
    const [a] = bots as [TestBot];
    const clock = new PausableTimers();
    const b = await startBot(1, clock);
    await until(() => userLeases(b) === USERS / 2 && connected(b) === USERS / 2 && connected(a) === USERS / 2 && oneEach(), a, b);
    const bServers = [...new Set((await db.prisma.fleetLease.findMany({ where: { key: { startsWith: "server:" }, holder: b.fleet.processId } })).map((l) => l.key.slice("server:".length)))];
    expect(bServers).toHaveLength(USERS / 2);

    // Paused: no rounds, no renewals. The other bot takes the users over once the leases expire.
    clock.paused = true;
    await until(() => userLeases(a) === USERS && connected(a) === USERS, a);
    // The paused bot's sockets are still open (the kernel keeps them); it has not run since.
    expect(connected(b)).toBe(USERS / 2);

    // Wake-up: the clock has moved past the leases; the first thing to arrive is a broadcast on every socket.
    clock.offset += 10 * TTL_MS;
    const heardByB: string[] = [];
    const heardByA: string[] = [];
    b.ctx.rust.on("broadcast", (serverId) => heardByB.push(serverId));
    a.ctx.rust.on("broadcast", (serverId) => heardByA.push(serverId));
    rust.broadcast({ entityChanged: { entityId: 7, payload: { value: true, capacity: 0, items: [] } } });
    await until(() => heardByA.length === USERS && connected(b) === 0 && oneEach(), a);
    expect(heardByB).toEqual([]);
    expect(b.logs.filter((l) => l["msg"] === "lost lease" && bServers.includes(String(l["serverId"])) && l["userId"]).length).toBe(USERS / 2);
    expect(b.fleet.healthy()).toBe(false);

    // Its rounds resume: it gives up the lapsed leases, and the users are shared out again, one socket each.
    clock.resume();
    await until(() => userLeases(a) === USERS / 2 && userLeases(b) === USERS / 2 && connected(a) === USERS / 2 && connected(b) === USERS / 2 && oneEach(), a, b);
    expect(rust.connections).toBe(USERS);
  });
});
