// Drift is checked on an in-memory PGlite whatever the deployment database: the migrations are the same.
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createMigration, diffMigrationsToSchema, MIGRATIONS_DIR, SCHEMA_PATH } from "../../src/db/migrations.ts";

// Spawns processes (tsx, migrations): well clear of the time it takes on a busy 2-core machine.
const SPAWN_TIMEOUT_MS = 180_000;

const schema = await readFile(SCHEMA_PATH, "utf8");
const withNickname = schema.replace(/(model User \{\n)/, "$1  nickname String?\n");
const scratch = await mkdtemp(join(tmpdir(), "migrations-"));
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe("schema drift", () => {
  it("schema.prisma matches prisma/migrations exactly", async () => {
    const missing = await diffMigrationsToSchema(schema);
    // On failure this prints the SQL the migrations lack: run `npm run db:create -- <name>`.
    expect(missing, `schema.prisma has changes no migration contains:\n${missing}`).toBe("");
  });

  it("catches an added column and names the SQL that is missing", async () => {
    expect(withNickname).not.toBe(schema);
    const missing = await diffMigrationsToSchema(withNickname);
    expect(missing).toContain('ALTER TABLE "User" ADD COLUMN     "nickname" TEXT');
  });

  it("db:create writes a migration that closes the drift, in Prisma's folder format", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const dir = join(scratch, "migrations");
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
    const schemaPath = join(scratch, "schema.prisma");
    await writeFile(schemaPath, withNickname);

    const created = await createMigration("add_nickname", { dir, schemaPath });
    expect(created).toMatch(/^\d{14}_add_nickname$/);
    expect(await readFile(join(dir, created!, "migration.sql"), "utf8")).toContain('ADD COLUMN     "nickname" TEXT');
    expect(await readFile(join(dir, "migration_lock.toml"), "utf8")).toContain('provider = "postgresql"');
    expect(await diffMigrationsToSchema(withNickname, dir)).toBe("");
    // Nothing left to write: no empty migration.
    expect(await createMigration("again", { dir, schemaPath })).toBeUndefined();
    expect((await readdir(dir)).filter((n) => n.endsWith("_again"))).toEqual([]);
  });
});
