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
  return createPostgresDatabase();
}

/** A new database on the local PostgreSQL: empty, or a copy of `template`. */
async function createPostgresDatabase(template?: string): Promise<EmptyDatabase> {
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ""}`);
  const url = postgresUrl(name);
  return {
    options: { kind: "postgres", url, poolSize: 4 },
    migrationFactory: () => postgresAdapterFactory(url, 1),
    dispose: () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`),
  };
}

function postgresUrl(database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.href;
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
  /** The PostgreSQL URL other processes connect with; undefined for the embedded one (in this process only). */
  url: string | undefined;
  /** Raw SQL outside the models (to tamper with rows or read the catalog). */
  sql<T = Record<string, unknown>>(query: string, ...params: unknown[]): Promise<T[]>;
  dispose(): Promise<void>;
}

/**
 * A migrated database with its Prisma client: of TEST_DATABASE's kind, or of `kind` (a fleet of processes
 * needs "postgres" whatever the suite runs on).
 */
export async function createTestDatabase(kind: TestDatabaseKind = testDatabaseKind): Promise<TestDatabase> {
  const copy = kind === "postgres" ? await createPostgresDatabase(await migratedPostgres()) : undefined;
  const db = await openDatabase(copy?.options ?? { kind: "memory", loadDataDir: await migratedPglite() }).catch(async (error: unknown) => {
    await copy?.dispose();
    throw error;
  });
  return {
    ...db,
    url: copy?.options.kind === "postgres" ? copy.options.url : undefined,
    sql: (query, ...params) => db.prisma.$queryRawUnsafe(query, ...params),
    dispose: async () => {
      await db.close();
      await copy?.dispose();
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
export function migratedPglite(): Promise<Blob> {
  migratedDump ??= (async () => {
    const pglite = JSON.parse(await readFile(new URL("../../node_modules/@electric-sql/pglite/package.json", import.meta.url), "utf8")) as { version: string };
    const file = join(tmpdir(), "rustplus-bot-test-db", `migrated-${await migrationsHash(pglite.version)}.tar`);
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

/** 16 hex digits naming the migrations folder's contents (and `extra`). */
async function migrationsHash(extra = ""): Promise<string> {
  const { migrationDirectories } = await readMigrationsList();
  return createHash("sha256").update(JSON.stringify([extra, migrationDirectories])).digest("hex").slice(0, 16);
}

let migratedTemplate: Promise<string> | undefined;

/**
 * The name of a database on the local PostgreSQL with every migration applied, which createTestDatabase copies
 * (CREATE DATABASE … TEMPLATE) instead of migrating each new database. Named by the migrations' hash and kept
 * for later runs; built under a temporary name and renamed when complete, one process at a time (an advisory
 * lock held by the admin session).
 */
function migratedPostgres(): Promise<string> {
  migratedTemplate ??= (async () => {
    const name = `tmpl_${await migrationsHash()}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query("SELECT pg_advisory_lock(hashtext($1))", [name]);
      const found = await admin.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
      if (found.rowCount === 0) {
        const building = `${name}_${randomBytes(4).toString("hex")}`;
        await admin.query(`CREATE DATABASE "${building}"`);
        try {
          const db = await openDatabase({ kind: "postgres", url: postgresUrl(building), poolSize: 1 });
          await db.close();
          // A template must have no sessions for the rename and each copy.
          await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1", [building]);
          await admin.query(`ALTER DATABASE "${building}" RENAME TO "${name}"`);
        } catch (error) {
          await admin.query(`DROP DATABASE IF EXISTS "${building}" WITH (FORCE)`);
          throw error;
        }
      }
      return name;
    } finally {
      await admin.end(); // ends the session, releasing the lock
    }
  })();
  return migratedTemplate;
}
