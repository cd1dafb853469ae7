// The one Prisma client factory: the embedded PGlite database by default, PostgreSQL with DATABASE_URL.
// Pending migrations are applied before the client is handed out.
import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { join } from "node:path";
import pg from "pg";
import { PrismaClient } from "../generated/prisma/client.ts";
import { databaseProblem } from "../environment-errors.ts";
import type { Logger } from "../logger.ts";
import { PG_CONNECT_TIMEOUT_MS, PgliteAdapterFactory, postgresAdapterFactory } from "./adapters.ts";
import { dataDirFailure, takeDataDir, tightenTree } from "./data-dir.ts";
import { applyMigrations } from "./migrations.ts";
import { PgliteWorkerClient } from "./pglite-worker-client.ts";

export type { PrismaClient };

const execFileAsync = promisify(execFile);

export interface Database {
  readonly prisma: PrismaClient;
  /**
   * The notifier's own client: on PostgreSQL a separate pool of NOTIFIER_POOL_SIZE connections, so claiming and
   * settling alarm posts never waits behind a burst of card writes holding the main pool; embedded, `prisma`.
   */
  readonly notifierPrisma: PrismaClient;
  readonly kind: "embedded" | "postgres";
  /** PostgreSQL only: the connection URL (for a dedicated LISTEN session). */
  readonly url?: string | undefined;
  /** Migrations this open applied (empty when the database was current). */
  readonly applied: string[];
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { kind: "postgres"; url: string; poolSize: number; migrationsDir?: string }
  | { kind: "embedded"; dataDir: string; migrationsDir?: string }
  /**
   * A throwaway in-memory PGlite, for tests and authoring; `loadDataDir` starts it from a PGlite dump
   * (`dumpDataDir()`) instead of an empty cluster.
   */
  | { kind: "memory"; migrationsDir?: string; loadDataDir?: Blob };

export async function openDatabase(options: DatabaseOptions, logger?: Logger): Promise<Database> {
  const db = options.kind === "postgres" ? await openPostgres(options) : await openEmbedded(options, logger);
  if (db.applied.length > 0) logger?.info({ migrations: db.applied, database: db.kind }, "applied database migrations");
  return db;
}

async function openEmbedded(
  options: { kind: "embedded"; dataDir: string; migrationsDir?: string } | { kind: "memory"; migrationsDir?: string; loadDataDir?: Blob },
  logger?: Logger,
): Promise<Database> {
  const lock = options.kind === "embedded" ? takeDataDir(options.dataDir, logger) : undefined;
  let client: PgliteWorkerClient | undefined;
  try {
    // PGlite runs in a worker thread: its queries would otherwise block the gateway, the sockets and every
    // other interaction while they execute (the interactions bench's /help p99 was 21× /ping's).
    if (options.kind === "embedded") {
      const pgdata = join(options.dataDir, "pgdata");
      // A new cluster's initdb leaves about 500 MB of WASM memory behind (measured: 895 MB RSS after creating
      // a cluster, 364 MB opening it again): it runs in a process of its own, which gives it all back.
      if (!existsSync(join(pgdata, "PG_VERSION"))) await createCluster(pgdata);
      client = await PgliteWorkerClient.open(pgdata);
    } else {
      client = await PgliteWorkerClient.open("memory://", options.loadDataDir);
    }
    const factory = new PgliteAdapterFactory(client);
    const applied = await applyMigrations(factory, options.migrationsDir);
    // PGlite writes a new cluster's files 0666 (and rewrites pg_internal.init 0644) whatever the umask. The 0700
    // directory keeps others out already; this makes the files private too, here and again at close.
    const tighten = () => void (options.kind === "embedded" && tightenTree(options.dataDir));
    tighten();
    const prisma = new PrismaClient({ adapter: factory });
    const pglite = client;
    return {
      prisma,
      notifierPrisma: prisma,
      kind: "embedded",
      applied,
      async close() {
        await prisma.$disconnect();
        await factory.close();
        await pglite.close();
        try {
          tighten();
        } catch {
          // The next start tightens it or names the problem; closing must still release the lock.
        }
        lock?.release();
      },
    };
  } catch (error) {
    await client?.close().catch(() => {});
    lock?.release();
    throw (options.kind === "embedded" && dataDirFailure(options.dataDir, error)) || error;
  }
}

/**
 * Runs PGlite's initdb for a new cluster in `pgdata` in a child process (pglite-initdb.mjs).
 * @throws Error with the child's error output when it fails.
 */
async function createCluster(pgdata: string): Promise<void> {
  const script = fileURLToPath(new URL("./pglite-initdb.mjs", import.meta.url));
  try {
    await execFileAsync(process.execPath, [script, pgdata], { timeout: 120_000 });
  } catch (error) {
    const stderr = (error as { stderr?: string }).stderr?.trim();
    throw Object.assign(new Error(`could not create the embedded database in ${pgdata}${stderr ? `: ${stderr.split("\n").slice(-3).join(" ")}` : ""}`), { cause: error });
  }
}

/**
 * One pg client connected to `url` (within PG_CONNECT_TIMEOUT_MS). Throws EnvironmentError naming DATABASE_URL
 * (password masked) when the server cannot be reached or refuses the login; other errors as they are.
 */
export async function connectPostgres(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS });
  // A connection dropped later also rejects the query in flight, which reports it; unheard, it would crash the process.
  client.on("error", () => {});
  try {
    await client.connect();
  } catch (error) {
    throw databaseProblem(url, error) ?? error;
  }
  return client;
}

/**
 * Connections of the notifier's own pool (PostgreSQL): the dispatcher delivers each user's and family's rows
 * of a claim side by side, and enqueues run beside it.
 */
export const NOTIFIER_POOL_SIZE = 4;

/** Arbitrary but fixed: serialises migrations when several processes start against one database. */
const MIGRATION_LOCK_ID = 0x7275_7374; // "rust"

async function openPostgres(options: { url: string; poolSize: number; migrationsDir?: string }): Promise<Database> {
  const lockClient = await connectPostgres(options.url);
  let applied: string[];
  try {
    await lockClient.query("SELECT pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    const migrator = postgresAdapterFactory(options.url, 1);
    applied = await applyMigrations(migrator, options.migrationsDir);
  } finally {
    await lockClient.query("SELECT pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    await lockClient.end();
  }
  const prisma = new PrismaClient({ adapter: postgresAdapterFactory(options.url, options.poolSize) });
  const notifierPrisma = new PrismaClient({ adapter: postgresAdapterFactory(options.url, NOTIFIER_POOL_SIZE) });
  return {
    prisma,
    notifierPrisma,
    kind: "postgres",
    url: options.url,
    applied,
    close: async () => void (await Promise.all([prisma.$disconnect(), notifierPrisma.$disconnect()])),
  };
}
