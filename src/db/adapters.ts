// Driver adapter factories for the two databases, shared by the Prisma client and the schema engine.
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import type { SqlDriverAdapter, SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaPGlite } from "pglite-prisma-adapter";
import type { PgliteQueryable } from "./pglite-worker-client.ts";

/**
 * PGlite behind Prisma. Wraps the community adapter to fix one defect: its `executeScript` does not await
 * the script, so a failing migration would surface as an unhandled rejection instead of an engine error.
 * `client` is PGlite itself or the worker thread's PgliteWorkerClient (the bot's). Shadow databases (used to
 * replay migrations for create/drift) are in-memory on this thread and closed with `close()`.
 */
export class PgliteAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "pglite";
  readonly #shadows: PGlite[] = [];

  constructor(readonly client: PgliteQueryable) {}

  connect(): Promise<SqlDriverAdapter> {
    return connectPglite(this.client);
  }

  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const shadow = new PGlite("memory://");
    this.#shadows.push(shadow);
    return connectPglite(shadow);
  }

  /** Closes shadow databases; the main client belongs to the caller. */
  async close(): Promise<void> {
    await Promise.all(this.#shadows.splice(0).map((shadow) => shadow.close()));
  }
}

async function connectPglite(client: PgliteQueryable): Promise<SqlDriverAdapter> {
  // The adapter calls only query, exec and transaction (node_modules/pglite-prisma-adapter/dist/index.mjs).
  const adapter = (await new PrismaPGlite(client as PGlite).connect()) as unknown as SqlDriverAdapter;
  adapter.executeScript = async (script: string) => {
    try {
      await client.exec(script);
    } catch (error) {
      throw toAdapterError(error);
    }
  };
  return adapter;
}

function toAdapterError(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown }).code;
  return new Error(typeof code === "string" ? `${code}: ${message}` : message);
}

/** Runs `fn` with a PGlite database (a data directory, or "memory://") and closes everything after. */
export async function withPgliteFactory<T>(dataDir: string, fn: (factory: PgliteAdapterFactory) => Promise<T>): Promise<T> {
  const client = new PGlite(dataDir);
  const factory = new PgliteAdapterFactory(client);
  try {
    return await fn(factory);
  } finally {
    await factory.close();
    await client.close();
  }
}

/**
 * How long a PostgreSQL connection attempt may take (ms). Without it, a port that accepts and never answers
 * (an HTTP server, a firewall that drops packets) hangs the bot silently at start.
 */
export const PG_CONNECT_TIMEOUT_MS = 10_000;

/**
 * PostgreSQL behind Prisma, a pool of `poolSize` connections. An idle connection the server drops emits
 * 'error' on the pool: the adapter always listens (onPoolError), so it never becomes an uncaught exception;
 * the next query on a fresh connection reports any real outage.
 */
export function postgresAdapterFactory(connectionString: string, poolSize: number, onPoolError: (error: Error) => void = () => {}): PrismaPg {
  return new PrismaPg({ connectionString, max: poolSize, connectionTimeoutMillis: PG_CONNECT_TIMEOUT_MS }, { onPoolError });
}
