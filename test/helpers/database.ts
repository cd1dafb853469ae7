// A fresh database per test file: in-memory PGlite by default; with TEST_DATABASE=postgres, a new database
// on the local PostgreSQL (TEST_POSTGRES_URL), dropped afterwards.
import { createHash, randomBytes } from "node:crypto";
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { PgliteAdapterFactory, postgresAdapterFactory } from "../../src/db/adapters.ts";
import { openDatabase, type Database, type DatabaseOptions } from "../../src/db/client.ts";
import { applyMigrations, readMigrationsList } from "../../src/db/migrations.ts";

export type TestDatabaseKind = "embedded" | "postgres";

export const testDatabaseKind: TestDatabaseKind = process.env["TEST_DATABASE"] === "postgres" ? "postgres" : "embedded";
const adminUrl = process.env["TEST_POSTGRES_URL"] ?? "postgresql://postgres@127.0.0.1:5432/test";

export interface EmptyDatabase {
  options: DatabaseOptions;
  /** A schema-engine adapter factory on this database. */
  migrationFactory(): PgliteAdapterFactory | ReturnType<typeof postgresAdapterFactory>;
  dispose(): Promise<void>;
}

/** An empty database with nothing applied. The embedded one is a PGlite in memory. */
export async function createEmptyDatabase(): Promise<EmptyDatabase> {
  if (testDatabaseKind === "embedded") {
    const client = new PGlite("memory://");
    const factory = new PgliteAdapterFactory(client);
    return {
      options: { kind: "memory" },
      migrationFactory: () => factory,
      dispose: async () => (await factory.close(), await client.close()),
    };
  }
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    options: { kind: "postgres", url: url.href, poolSize: 4 },
    migrationFactory: () => postgresAdapterFactory(url.href, 1),
    dispose: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

async function adminQuery(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

export interface TestDatabase extends Database {
  /** Raw SQL outside the models (to tamper with rows or read the catalog). */
  sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<T[]>;
  dispose(): Promise<void>;
}

/** A migrated database with its Prisma client. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const empty = await createEmptyDatabase();
  if (empty.options.kind === "memory") await empty.dispose(); // the client factory opens its own memory database
  const options = empty.options.kind === "memory" ? { ...empty.options, loadDataDir: await migratedPglite() } : empty.options;
  const db = await openDatabase(options);
  return {
    ...db,
    sql: (query, ...params) => db.prisma.$queryRawUnsafe(query, ...params),
    dispose: async () => {
      await db.close();
      if (empty.options.kind === "postgres") await empty.dispose();
    },
  };
}

let migratedDump: Promise<Blob> | undefined;

/**
 * A dump of an in-memory PGlite with every migration applied. A new PGlite runs initdb and the migrations in
 * seconds; one loaded from this dump starts in about half a second (openDatabase still checks that nothing is
 * pending). Made once per migrations folder and PGlite version, and shared by test processes through a file in
 * the temporary directory, named by a hash of both.
 */
function migratedPglite(): Promise<Blob> {
  migratedDump ??= (async () => {
    const { migrationDirectories } = await readMigrationsList();
    const pglite = JSON.parse(await readFile(new URL("../../node_modules/@electric-sql/pglite/package.json", import.meta.url), "utf8")) as { version: string };
    const hash = createHash("sha256").update(JSON.stringify([pglite.version, migrationDirectories])).digest("hex").slice(0, 16);
    const file = join(tmpdir(), "rustplus-bot-test-db", `migrated-${hash}.tar`);
    const cached = await readFile(file).catch(() => undefined);
    if (cached) return new Blob([cached]);
    const client = new PGlite("memory://");
    const factory = new PgliteAdapterFactory(client);
    try {
      await applyMigrations(factory);
      const dump = await client.dumpDataDir("none");
      await mkdir(join(tmpdir(), "rustplus-bot-test-db"), { recursive: true });
      const partial = `${file}.${process.pid}.${randomBytes(4).toString("hex")}`;
      await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
      await rename(partial, file); // whole or absent for the other test processes
      return dump;
    } finally {
      await factory.close();
      await client.close();
    }
  })();
  return migratedDump;
}
