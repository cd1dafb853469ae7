// The fleet's renewals run on a timer of their own: a round that takes long (opening dozens of sockets on a busy
// machine, the database slow) must not let this process's leases lapse under it, or it drops and reopens its
// own users' sockets and push channels over and over. The connection manager and push listener are stood in for
// by recorders here: only the fleet's timing is under test, on a manual clock, against the test database.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Fleet } from "../../src/fleet/fleet.ts";
import { LeaseKeeper } from "../../src/fleet/lease-keeper.ts";
import { leaseKey } from "../../src/fleet/types.ts";
import type { ConnectionManager } from "../../src/rustplus/connection-manager.ts";
import type { PushListener } from "../../src/rustplus/push-listener.ts";
import { linkUser } from "../helpers/bot.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { capturedLogger } from "../helpers/logs.ts";
import { ManualTimers } from "../helpers/manual-timers.ts";

const TTL_MS = 60_000;
let db: TestDatabase;
const { logger } = capturedLogger();

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

describe("the fleet's renewals", () => {
  it("keep a process's leases valid while one of its rounds is stuck opening sockets", async () => {
    // The only user with live work, so the one this process takes.
    const user = await linkUser(db.prisma, "400000000000000001");
    await db.prisma.pairedServer.create({ data: { userId: user.id, serverName: "s", ip: "127.0.0.1", port: 1, playerSteamId: user.steamId, playerToken: Buffer.from("x"), playerTokenKeyVersion: 1, live: true } });
    const timers = new ManualTimers();
    const keeper = new LeaseKeeper(db.prisma, { ttlMs: TTL_MS, addresses: [{ bind: null, identity: "a" }], connectionsPerAddress: 5, now: timers.now, logger });
    let syncs = 0;
    const dropped: string[] = [];
    const rust = {
      // Opening the user's sockets never ends while the test runs.
      syncUsers: () => {
        syncs++;
        return new Promise<number>(() => undefined);
      },
      dropUser: (id: string) => dropped.push(id),
      dropServer: (id: string) => dropped.push(id),
      ownerOf: () => undefined,
    } as unknown as ConnectionManager;
    const pushes = { sync: () => Promise.resolve({ started: 0, stopped: 0 }), stop: (id: string) => dropped.push(id) } as unknown as PushListener;
    const fleet = new Fleet({ prisma: db.prisma, logger, keeper, addresses: [{ bind: null, identity: "a" }], rust, pushes, intel: { start: () => () => undefined }, timers });
    void fleet.start([]);
    const key = leaseKey.user(user.id);
    await vi.waitFor(() => expect(syncs).toBe(1), { timeout: 30_000 });
    const firstValidity = keeper.get(key)!.validUntilMs;

    // A third of the TTL on: the renewal is due although the round has not finished.
    timers.advance(TTL_MS / 3);
    await vi.waitFor(() => expect(keeper.get(key)?.validUntilMs).toBeGreaterThan(firstValidity), { timeout: 30_000 });
    // Past the validity of the first acquisition: still ours, nothing dropped.
    timers.advance(firstValidity - timers.now() + 1);
    expect(keeper.valid(key)).toBe(true);
    expect(dropped).toEqual([]);
    // Its round never ends: stop() would wait for it; this only clears the timers.
    void fleet.stop();
  });
});
