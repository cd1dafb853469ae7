// Migrations through the wasm schema engine: the same folder format and history table as `prisma migrate`.
import { mkdir, readFile, readdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaFilter } from "@prisma/schema-engine-wasm";
import { withPgliteFactory, type PgliteAdapterFactory } from "./adapters.ts";
import { openSchemaEngine, type OpenEngine } from "./schema-engine.ts";

export const MIGRATIONS_DIR = fileURLToPath(new URL("../../prisma/migrations", import.meta.url));
export const SCHEMA_PATH = fileURLToPath(new URL("../../prisma/schema.prisma", import.meta.url));

const NO_FILTER: SchemaFilter = { externalTables: [], externalEnums: [] };
const LOCKFILE = "migration_lock.toml";

/** Reads the folder exactly as the Prisma CLI does. */
export async function readMigrationsList(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const lockContent = await readFile(join(dir, LOCKFILE), "utf8").catch(() => null);
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const names = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const migrationDirectories = await Promise.all(
    names.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: await readFile(join(dir, name, "migration.sql"), "utf8").then(
          (value) => ({ tag: "ok" as const, value }),
          (error: Error) => ({ tag: "error" as const, value: error.message }),
        ),
      },
    })),
  );
  return { baseDir: dir, lockfile: { path: LOCKFILE, content: lockContent }, shadowDbInitScript: "", migrationDirectories };
}

async function withEngine<T>(
  factory: SqlMigrationAwareDriverAdapterFactory,
  fn: (engine: OpenEngine) => Promise<T>,
  datamodel?: { path: string; content: string },
): Promise<T> {
  const engine = await openSchemaEngine(factory, datamodel);
  try {
    return await fn(engine);
  } finally {
    await engine.free();
  }
}

/** `prisma migrate deploy`: applies pending migrations, returns the names applied (none: already current). */
export async function applyMigrations(
  factory: SqlMigrationAwareDriverAdapterFactory,
  dir = MIGRATIONS_DIR,
): Promise<string[]> {
  const migrationsList = await readMigrationsList(dir);
  return withEngine(factory, async (engine) => {
    const out = await engine.call((e) => e.applyMigrations({ migrationsList, filters: NO_FILTER }));
    return out.appliedMigrationNames;
  });
}

export interface MigrationStatus {
  migrations: string[];
  pending: string[];
  failed: string[];
  edited: string[];
  /** Migrations recorded in the database that the folder does not have. */
  unknown: string[];
}

/** `prisma migrate status`. */
export async function migrationStatus(
  factory: SqlMigrationAwareDriverAdapterFactory,
  dir = MIGRATIONS_DIR,
): Promise<MigrationStatus> {
  const migrationsList = await readMigrationsList(dir);
  const out = await withEngine(factory, (engine) =>
    engine.call((e) => e.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTER })),
  );
  const migrations = migrationsList.migrationDirectories.map((m) => m.path);
  const history = out.history;
  const pending = !out.hasMigrationsTable
    ? migrations
    : history?.diagnostic === "databaseIsBehind" || history?.diagnostic === "historiesDiverge"
      ? history.unappliedMigrationNames
      : [];
  const unknown =
    history?.diagnostic === "migrationsDirectoryIsBehind" || history?.diagnostic === "historiesDiverge"
      ? history.unpersistedMigrationNames
      : [];
  return { migrations, pending, failed: out.failedMigrationNames, edited: out.editedMigrationNames, unknown };
}

/** Runs `fn` with a throwaway in-memory database (and in-memory shadows): authoring needs no server. */
function withScratchDatabase<T>(fn: (factory: PgliteAdapterFactory) => Promise<T>): Promise<T> {
  return withPgliteFactory("memory://", fn);
}

/** Drift: the SQL that would take a database built from the migrations to the schema ("" when none). */
export async function diffMigrationsToSchema(schemaContent: string, dir = MIGRATIONS_DIR): Promise<string> {
  const migrationsList = await readMigrationsList(dir);
  return withScratchDatabase((factory) =>
    withEngine(factory, async (engine) => {
      const out = await engine.call((e) =>
        e.diff({
          // The engine needs the lock file to read a history; with none yet, compare against nothing.
          from:
            migrationsList.migrationDirectories.length === 0
              ? { tag: "empty" }
              : { tag: "migrations", ...migrationsList },
          to: { tag: "schemaDatamodel", files: [{ path: SCHEMA_PATH, content: schemaContent }] },
          script: true,
          exitCode: true,
          filters: NO_FILTER,
        }),
      );
      return out.exitCode === 2 ? (out.stdout ?? "").trim() : "";
    }),
  );
}

/**
 * `prisma migrate dev --create-only`: writes `<timestamp>_<name>/migration.sql` for the schema's changes.
 * Returns the new folder name, or undefined when the schema has no changes.
 */
export async function createMigration(
  name: string,
  options: { dir?: string; schemaPath?: string } = {},
): Promise<string | undefined> {
  const dir = options.dir ?? MIGRATIONS_DIR;
  const schemaPath = options.schemaPath ?? SCHEMA_PATH;
  const content = await readFile(schemaPath, "utf8");
  if ((await diffMigrationsToSchema(content, dir)) === "") return undefined;
  const migrationsList = await readMigrationsList(dir);
  const datamodel = { path: schemaPath, content };
  const created = await withScratchDatabase((factory) =>
    withEngine(
      factory,
      async (engine) => {
        // The engine only creates a migration once it has replayed the history and diagnosed it.
        await engine.call((e) => e.applyMigrations({ migrationsList, filters: NO_FILTER }));
        await engine.call((e) => e.devDiagnostic({ migrationsList, filters: NO_FILTER }));
        return engine.call((e) =>
          e.createMigration({
            draft: true,
            migrationName: name,
            migrationsList,
            schema: { files: [datamodel] },
            filters: NO_FILTER,
          }),
        );
      },
      datamodel,
    ),
  );
  if (created.migrationScript === null) return undefined;
  await mkdir(join(dir, created.generatedMigrationName), { recursive: true });
  await writeFile(join(dir, created.generatedMigrationName, `migration.${created.extension}`), created.migrationScript);
  await writeFile(
    join(dir, LOCKFILE),
    `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${created.connectorType}"\n`,
  );
  return created.generatedMigrationName;
}
