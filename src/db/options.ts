import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Config } from "../config.ts";
import { EnvironmentError } from "../environment-errors.ts";
import type { DatabaseOptions } from "./client.ts";

/** The database the configuration selects: PostgreSQL with DATABASE_URL, else the embedded one. */
export function databaseOptions(config: Config): DatabaseOptions {
  return config.DATABASE_URL
    ? { kind: "postgres", url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }
    : { kind: "embedded", dataDir: config.DATA_DIR };
}

/**
 * Throws a DATA_DIR EnvironmentError unless DATA_DIR holds an embedded database (its `pgdata` folder): commands
 * that read or rewrite an existing database must not create one, so a mistyped DATA_DIR is refused, not filled.
 * No-op with DATABASE_URL.
 */
export function requireEmbeddedDatabase(config: Config): void {
  if (config.DATABASE_URL || existsSync(join(config.DATA_DIR, "pgdata"))) return;
  throw new EnvironmentError(
    "DATA_DIR",
    `no embedded database in ${resolve(config.DATA_DIR)} (no pgdata folder there); set DATA_DIR to the bot's data directory, or run npm start or npm run db:deploy to create one`,
  );
}
