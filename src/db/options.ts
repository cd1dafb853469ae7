import type { Config } from "../config.ts";
import type { DatabaseOptions } from "./client.ts";

/** The database the configuration selects: PostgreSQL with DATABASE_URL, else the embedded one. */
export function databaseOptions(config: Config): DatabaseOptions {
  return config.DATABASE_URL
    ? { kind: "postgres", url: config.DATABASE_URL, poolSize: config.DATABASE_POOL_SIZE }
    : { kind: "embedded", dataDir: config.DATA_DIR };
}
