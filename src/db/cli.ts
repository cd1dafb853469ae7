// `npm run db:<command>`: migrations without the Prisma CLI's native engine, and key rotation.
//   create <name>   write a migration for the schema's changes (on a scratch in-memory database)
//   deploy          apply pending migrations to the configured database
//   status          list applied and pending migrations (exit 1 when not up to date); never creates a database
//   drift           print the SQL the migrations lack to match schema.prisma (exit 2 on drift)
//   rotate-keys     re-encrypt every stored secret under the current CREDS_ENCRYPTION_KEY
//   move <url>      copy the embedded database into an empty PostgreSQL database (src/db/move.ts)
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { loadConfig, type Config } from "../config.ts";
import { exitWithProblems, runMain } from "../fatal.ts";
import { createLogger } from "../logger.ts";
import { join, resolve } from "node:path";
import { postgresAdapterFactory, withPgliteFactory, type PgliteAdapterFactory } from "./adapters.ts";
import { connectPostgres, openDatabase } from "./client.ts";
import { takeDataDir, tightenTree } from "./data-dir.ts";
import { KEY_FILE, loadSecretBox } from "./keys.ts";
import { createMigration, diffMigrationsToSchema, migrationStatus, SCHEMA_PATH } from "./migrations.ts";
import { moveEmbeddedToPostgres, MoveError, redactUrl } from "./move.ts";
import { databaseOptions, requireEmbeddedDatabase } from "./options.ts";
import { rotateSecrets } from "./rotate-keys.ts";

const [command, ...args] = process.argv.slice(2);
const print = (line: string): void => void process.stdout.write(`${line}\n`);

await runMain(async () => {
  switch (command) {
    case "create":
      return create(args[0]);
    case "deploy":
      return deploy(await loadConfig());
    case "status":
      return status(await loadConfig());
    case "drift":
      return drift();
    case "rotate-keys":
      return rotate(await loadConfig());
    case "move":
      return move(args[0]);
    default:
      exitWithProblems([
        "usage: npm run db:create -- <name> | db:deploy | db:status | db:drift | db:rotate-keys | db:move -- <postgresql url>",
      ]);
  }
});

async function create(name: string | undefined): Promise<void> {
  if (!name || !/^[a-z0-9_]{1,60}$/.test(name)) {
    exitWithProblems(["usage: npm run db:create -- <name>   (lowercase letters, digits and underscores)"]);
  }
  const created = await createMigration(name);
  if (!created) return print("No schema changes: no migration written.");
  print(`Wrote prisma/migrations/${created}/migration.sql`);
  const generated = spawnSync(process.execPath, ["scripts/prisma-generate.mjs"], { stdio: "inherit" });
  if (generated.status !== 0) exitWithProblems(["prisma generate failed; run npm run db:generate"]);
}

async function deploy(config: Config): Promise<void> {
  const db = await openDatabase(databaseOptions(config));
  await db.close();
  print(db.applied.length ? `Applied: ${db.applied.join(", ")}` : "Database is up to date.");
}

async function status(config: Config): Promise<void> {
  requireEmbeddedDatabase(config);
  const result = await withMigrationFactory(config, (factory) => migrationStatus(factory));
  print(`${result.migrations.length} migrations in prisma/migrations`);
  for (const [label, names] of [
    ["Pending", result.pending],
    ["Failed", result.failed],
    ["Edited after being applied", result.edited],
    ["Applied but missing from the folder", result.unknown],
  ] as const) {
    if (names.length) print(`${label}: ${names.join(", ")}`);
  }
  const clean = [result.pending, result.failed, result.edited, result.unknown].every((names) => names.length === 0);
  if (clean) print("Database schema is up to date.");
  else process.exitCode = 1;
}

async function drift(): Promise<void> {
  const sql = await diffMigrationsToSchema(await readFile(SCHEMA_PATH, "utf8"));
  if (!sql) return print("No drift: the migrations produce schema.prisma.");
  print("schema.prisma differs from the migrations. Missing SQL (run npm run db:create -- <name>):");
  print(sql);
  process.exitCode = 2;
}

async function rotate(config: Config): Promise<void> {
  requireEmbeddedDatabase(config);
  const logger = createLogger({ level: config.LOG_LEVEL });
  const box = await loadSecretBox(config, logger);
  const db = await openDatabase(databaseOptions(config));
  try {
    const report = await rotateSecrets(db.prisma, box);
    for (const [purpose, count] of Object.entries(report)) print(`${purpose}: ${count} re-encrypted`);
    print(`Every secret is now under key version ${box.keyring.current}.`);
  } finally {
    await db.close();
  }
}

async function move(url: string | undefined): Promise<void> {
  if (!isPostgresUrl(url)) {
    // Here, not at module level: the switch above runs (top-level await) before module constants are initialised.
    const usage = "usage: npm run db:move -- postgresql://user:password@host:5432/database   (an empty PostgreSQL database)";
    process.stderr.write(`${url === undefined ? "" : "Not a postgresql:// URL. "}${usage}\n`);
    process.exit(2);
  }
  const config = await loadConfig();
  if (config.DATABASE_URL) {
    exitWithProblems([
      "Error: DATABASE_URL is set, so the bot already uses PostgreSQL, not the embedded database in DATA_DIR. " +
        "Unset it to move the embedded database, and set it once the move is done.",
    ]);
  }
  const dataDir = resolve(config.DATA_DIR);
  let report;
  try {
    report = await moveEmbeddedToPostgres(dataDir, url);
  } catch (error) {
    if (error instanceof MoveError) exitWithProblems([`Error: ${error.message}`]);
    throw error;
  }
  if (report.sourceMigrations.length) print(`Applied to the embedded database first: ${report.sourceMigrations.join(", ")}`);
  print(`Migrated ${redactUrl(url)} (${report.targetMigrations.length} migrations applied) and copied, per table:`);
  for (const table of report.tables) print(`  ${table.name}: ${table.rows}`);
  const total = report.tables.reduce((sum, t) => sum + t.rows, 0);
  print(`Copied ${total} rows in ${report.tables.length} tables; every table's count matches.`);
  print("");
  print("Now stop using the embedded database: change these two settings (in .env or the environment), then npm start.");
  const shown = new URL(url);
  if (shown.password) shown.password = "<password>";
  print(`  DATABASE_URL=${shown.href}`);
  print(`  ${keySetting(config, dataDir)}`);
  print(`The embedded database in ${dataDir} is unchanged: keep that folder until the bot runs well on PostgreSQL.`);
}

function isPostgresUrl(url: string | undefined): url is string {
  if (!url) return false;
  try {
    const parsed = new URL(url);
    return /^postgres(ql)?:$/.test(parsed.protocol) && (parsed.hostname !== "" || parsed.searchParams.has("host"));
  } catch {
    return false;
  }
}

/** The key the copied secrets are encrypted with must come along: with DATABASE_URL it can only come from the environment. */
function keySetting(config: Config, dataDir: string): string {
  const old = config.CREDS_ENCRYPTION_OLD_KEYS ? " (and CREDS_ENCRYPTION_OLD_KEYS)" : "";
  if (config.CREDS_ENCRYPTION_KEY) return `CREDS_ENCRYPTION_KEY: keep the value you have now${old}; the secrets were copied encrypted under it.`;
  const file = join(dataDir, KEY_FILE);
  if (existsSync(file)) {
    return `CREDS_ENCRYPTION_KEY=<the one line in ${file}>${old}: the secrets were copied encrypted under it, and with DATABASE_URL the bot reads the key only from this setting.`;
  }
  return 'CREDS_ENCRYPTION_KEY=<a new key: echo "1:$(openssl rand -base64 32)">: no secret was stored yet, and DATABASE_URL requires a key.';
}

/** The configured database as a schema-engine adapter, without the Prisma client. */
async function withMigrationFactory<T>(
  config: Config,
  fn: (factory: PgliteAdapterFactory | ReturnType<typeof postgresAdapterFactory>) => Promise<T>,
): Promise<T> {
  if (config.DATABASE_URL) {
    // The schema engine reports an unreachable server as a wasm stack: check it first, for one DATABASE_URL line.
    await (await connectPostgres(config.DATABASE_URL)).end();
    return fn(postgresAdapterFactory(config.DATABASE_URL, 1));
  }
  const lock = takeDataDir(config.DATA_DIR);
  try {
    return await withPgliteFactory(join(config.DATA_DIR, "pgdata"), fn);
  } finally {
    tightenTree(config.DATA_DIR); // a cluster PGlite has just created is written 0666
    lock.release();
  }
}
