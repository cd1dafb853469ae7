// The embedded database in its worker thread (PgliteWorkerClient): PostgreSQL's errors keep their codes (so
// Prisma still names a unique violation P2002), a transaction holds the one connection alone and is rolled
// back on error, values come back exactly as from PGlite on this thread, and a dead or closed worker fails
// every call instead of leaving it hanging.
import { PGlite } from "@electric-sql/pglite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PgliteAdapterFactory } from "../../src/db/adapters.ts";
import { openDatabase, type Database } from "../../src/db/client.ts";
import { DatabaseWorkerError, PgliteWorkerClient } from "../../src/db/pglite-worker-client.ts";
import { PrismaClient } from "../../src/generated/prisma/client.ts";
import { migratedPglite } from "../helpers/database.ts";
import { createServer, createUser } from "../helpers/fixtures.ts";

// From the migrated dump: a fresh cluster's initdb would take most of each test.
const openWorker = async () => PgliteWorkerClient.open("memory://", await migratedPglite());

describe("PgliteWorkerClient", () => {
  let client: PgliteWorkerClient;
  beforeAll(async () => {
    client = await openWorker();
    await client.exec("CREATE TABLE item (id int PRIMARY KEY, name text NOT NULL)");
  });
  afterAll(() => client.close());

  it("rejects with PostgreSQL's error fields, as PGlite's own DatabaseError", async () => {
    await client.query("INSERT INTO item VALUES (1, 'a')");
    const error = await client.query("INSERT INTO item VALUES (1, 'b')").catch((e: unknown) => e);
    expect(error).toBeInstanceOf((await import("@electric-sql/pglite")).messages.DatabaseError);
    expect(error).toMatchObject({ code: "23505", severity: "ERROR", constraint: "item_pkey", table: "item", detail: "Key (id)=(1) already exists." });
    await expect(client.query("SELECT * FROM missing")).rejects.toMatchObject({ code: "42P01" });
    await client.exec("DELETE FROM item");
  });

  it("runs a transaction alone: a query sent meanwhile waits for it, and sees nothing of it once rolled back", async () => {
    let outside: Promise<unknown> | undefined;
    const failed = await client
      .transaction(async (tx) => {
        await tx.query("INSERT INTO item VALUES (10, 'in the transaction')");
        // Were this run inside the open transaction (one connection), it would count the row above.
        outside = client.query<{ n: number }>("SELECT count(*)::int AS n FROM item").then((r) => r.rows[0]?.n);
        await tx.query("INSERT INTO item VALUES (11, 'also')");
        throw new Error("abandoned");
      })
      .catch((e: unknown) => e);
    expect(failed).toEqual(new Error("abandoned"));
    expect(await outside).toBe(0);
  });

  it("commits a transaction whose function resolves, and rolls back one that calls rollback()", async () => {
    await client.transaction(async (tx) => void (await tx.query("INSERT INTO item VALUES (20, 'kept')")));
    await client.transaction(async (tx) => {
      await tx.query("INSERT INTO item VALUES (21, 'dropped')");
      await tx.rollback();
    });
    expect((await client.query("SELECT id FROM item ORDER BY id", [], { rowMode: "array" })).rows).toEqual([[20]]);
  });
});

describe("Prisma on the worker", () => {
  let db: Database;
  let local: { prisma: PrismaClient; pglite: PGlite; factory: PgliteAdapterFactory };
  beforeAll(async () => {
    db = await openDatabase({ kind: "memory", loadDataDir: await migratedPglite() });
    const pglite = new PGlite("memory://", { loadDataDir: await migratedPglite() });
    const factory = new PgliteAdapterFactory(pglite);
    local = { prisma: new PrismaClient({ adapter: factory }), pglite, factory };
  });
  afterAll(async () => {
    await db.close();
    await local.prisma.$disconnect();
    await local.factory.close();
    await local.pglite.close();
  });

  it("still names a unique violation P2002 with its fields", async () => {
    const user = await createUser(db.prisma);
    const error = await createUser(db.prisma, { steamId: user.steamId }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "P2002", meta: { driverAdapterError: { cause: { kind: "UniqueConstraintViolation", constraint: { fields: ['"steamId"'] } } } } });
  });

  it("returns every type as PGlite on this thread does (Date, BigInt, bytes, arrays, JSON, numeric)", async () => {
    const sql =
      "SELECT $1::timestamptz AS at, $2::int8 AS big, $3::bytea AS bytes, ARRAY['a', 'b'] AS texts, ARRAY[1, 2]::int8[] AS bigs, " +
      "'{\"k\": [1, null]}'::jsonb AS json, 12.50::numeric AS num, DATE '2026-01-02' AS day, true AS yes, NULL::text AS nothing, 1.5::float8 AS f";
    const params = [new Date("2026-12-01T03:04:05.678Z"), 9_007_199_254_740_993n, new Uint8Array([0, 1, 254, 255])];
    const [viaWorker, inThread] = await Promise.all([db.prisma.$queryRawUnsafe(sql, ...params), local.prisma.$queryRawUnsafe(sql, ...params)]);
    expect(viaWorker).toStrictEqual(inThread);
    expect(viaWorker).toStrictEqual([
      {
        at: params[0],
        big: params[1],
        bytes: params[2],
        texts: ["a", "b"],
        bigs: [1n, 2n],
        json: { k: [1, null] },
        num: expect.anything(),
        day: new Date("2026-01-02T00:00:00.000Z"),
        yes: true,
        nothing: null,
        f: 1.5,
      },
    ]);
  });

  it("keeps model fields as written: Bytes, BigInt and dates", async () => {
    const user = await createUser(db.prisma);
    const server = await createServer(db.prisma, user.id);
    const device = await db.prisma.smartDevice.create({ data: { pairedServerId: server.id, kind: "SWITCH", entityId: 2n ** 40n, name: "Door", isOn: true } });
    expect(await db.prisma.pairedServer.findUniqueOrThrow({ where: { id: server.id } })).toStrictEqual(server);
    expect(await db.prisma.smartDevice.findUniqueOrThrow({ where: { id: device.id } })).toStrictEqual(device);
  });

  it("rolls back an interactive transaction that throws", async () => {
    const before = await db.prisma.user.count();
    await expect(
      db.prisma.$transaction(async (tx) => {
        await createUser(tx as PrismaClient);
        throw new Error("changed my mind");
      }),
    ).rejects.toThrow("changed my mind");
    expect(await db.prisma.user.count()).toBe(before);
  });
});

describe("a stopped worker", () => {
  it("fails the queries in flight and after a crash with DatabaseWorkerError", async () => {
    const client = await openWorker();
    const inFlight = client.query("SELECT pg_sleep(5)");
    await client.kill();
    await expect(inFlight).rejects.toBeInstanceOf(DatabaseWorkerError);
    await expect(client.query("SELECT 1")).rejects.toThrow(/worker exited/);
  });

  it("surfaces a crash through Prisma as an error", async () => {
    const client = await openWorker();
    const prisma = new PrismaClient({ adapter: new PgliteAdapterFactory(client) });
    await client.kill();
    await expect(prisma.$queryRawUnsafe("SELECT 1")).rejects.toThrow(/worker exited/);
  });

  it("fails calls after close, and close twice is harmless", async () => {
    const client = await openWorker();
    expect((await client.query("SELECT 1 AS one")).rows).toEqual([{ one: 1 }]);
    await client.close();
    await client.close();
    await expect(client.query("SELECT 1")).rejects.toThrow("the embedded database is closed");
  });
});
