// A fresh database per test file: in-memory PGlite by default; with TEST_DATABASE=postgres, a new database
// on the local PostgreSQL (TEST_POSTGRES_URL), dropped afterwards.
import { randomBytes } from "node:crypto";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { PgliteAdapterFactory, postgresAdapterFactory } from "../../src/db/adapters.ts";
import { openDatabase, type Database, type DatabaseOptions } from "../../src/db/client.ts";

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
  const db = await openDatabase(empty.options);
  return {
    ...db,
    sql: (query, ...params) => db.prisma.$queryRawUnsafe(query, ...params),
    dispose: async () => {
      await db.close();
      if (empty.options.kind === "postgres") await empty.dispose();
    },
  };
}
