// FleetLease rows through the lease keeper, on the embedded database and (TEST_DATABASE=postgres) PostgreSQL:
// two keepers stand for two processes sharing one database.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LeaseKeeper } from "../../src/fleet/lease-keeper.ts";
import { leaseKey, type HeldLease } from "../../src/fleet/types.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { capturedLogger } from "../helpers/logs.ts";

let db: TestDatabase;
const { logger } = capturedLogger();
const TTL = 60_000;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
});

/** A keeper on a clock the test moves (ms). */
function keeper(options: { addresses?: string[]; cap?: number } = {}) {
  let now = 1_000;
  const k = new LeaseKeeper(db.prisma, {
    ttlMs: TTL,
    addresses: (options.addresses ?? ["a"]).map((identity) => ({ bind: null, identity })),
    connectionsPerAddress: options.cap ?? 5,
    now: () => now,
    logger,
  });
  return { k, advance: (ms: number) => (now += ms) };
}

const held = (r: unknown): HeldLease => {
  if (!r || typeof r !== "object" || !("fence" in r)) throw new Error(`not held: ${JSON.stringify(r)}`);
  return r as HeldLease;
};
/** Makes a lease look expired in database time, as if its holder had stopped renewing long ago. */
const expire = (key: string) => db.sql(`UPDATE "FleetLease" SET "expiresAt" = now() - interval '1 second' WHERE key = $1`, key);

describe("the lease keeper", () => {
  it("takes a free lease, refuses it to another process while held, and gives it back at once on release", async () => {
    const a = keeper();
    const b = keeper();
    const key = leaseKey.user("u-release");
    const first = held(await a.k.acquire(key));
    expect(first.fence).toBe(1n);
    expect(a.k.valid(key)).toBe(true);
    expect(await b.k.acquire(key)).toEqual({ kind: "held-elsewhere", holder: a.k.processId });
    // Taking it again while ours does not change the holder, so not the fence either.
    expect(held(await a.k.acquire(key)).fence).toBe(1n);

    await a.k.release([key]);
    expect(a.k.valid(key)).toBe(false);
    expect(await db.prisma.fleetLease.findUniqueOrThrow({ where: { key } })).toMatchObject({ holder: null });
    const second = held(await b.k.acquire(key));
    expect(second.fence).toBe(2n);
  });

  it("lets another process take an expired lease with a higher fence; the old holder's renewal reports it lost", async () => {
    const a = keeper();
    const b = keeper();
    const key = leaseKey.user("u-expired");
    const other = leaseKey.user("u-kept");
    held(await a.k.acquire(key));
    held(await a.k.acquire(other));
    await expire(key);
    const taken = held(await b.k.acquire(key));
    expect(taken.fence).toBe(2n);

    expect(await a.k.renew()).toEqual([key]);
    expect(a.k.held().map((l) => l.key)).toEqual([other]);
    expect(a.k.valid(key)).toBe(false);
    expect(a.k.valid(other)).toBe(true);
    expect(await db.prisma.fleetLease.findUniqueOrThrow({ where: { key } })).toMatchObject({ holder: b.k.processId, fence: 2n });
  });

  it("stops counting a lease as valid once its time on the local clock has passed, before any renewal", async () => {
    const a = keeper();
    const key = leaseKey.job("paused");
    held(await a.k.acquire(key));
    a.advance(TTL);
    expect(a.k.valid(key)).toBe(false);
    expect(a.k.healthy()).toBe(false);
    expect(a.k.lapsed()).toEqual([key]);
    // Nobody took it meanwhile: the renewal keeps it and it is valid again.
    expect(await a.k.renew()).toEqual([]);
    expect(a.k.valid(key)).toBe(true);
  });

  it("gives server sockets the least used address under the cap, and refuses when all are full", async () => {
    const a = keeper({ addresses: ["x", "y"], cap: 1 });
    const b = keeper({ addresses: ["x", "y"], cap: 1 });
    const target = { ip: "127.0.0.9", port: 28015 };
    const first = held(await a.k.acquire(leaseKey.server("s1"), target));
    const second = held(await b.k.acquire(leaseKey.server("s2"), target));
    expect([first.egressAddress, second.egressAddress].sort()).toEqual(["x", "y"]);
    expect(await a.k.acquire(leaseKey.server("s3"), target)).toEqual({ kind: "no-slot", rustServer: "127.0.0.9:28015", cap: 1, addresses: 2 });
    await b.k.release([leaseKey.server("s2")]);
    expect(held(await a.k.acquire(leaseKey.server("s3"), target)).egressAddress).toBe(second.egressAddress);
  });

  it("registers the process, counts it alive by its heartbeat and deletes it on shutdown", async () => {
    const a = keeper();
    await a.k.register([0, 1]);
    expect(await db.prisma.fleetProcess.findUniqueOrThrow({ where: { id: a.k.processId } })).toMatchObject({ shards: [0, 1], addresses: ["a"], pid: process.pid });
    const before = await a.k.aliveProcesses();
    const b = keeper();
    await b.k.register();
    expect(await a.k.aliveProcesses()).toBe(before + 1);
    held(await b.k.acquire(leaseKey.user("u-shutdown")));
    await b.k.releaseAll();
    expect(await db.prisma.fleetProcess.count({ where: { id: b.k.processId } })).toBe(0);
    expect(await db.prisma.fleetLease.findUniqueOrThrow({ where: { key: leaseKey.user("u-shutdown") } })).toMatchObject({ holder: null });
  });
});
