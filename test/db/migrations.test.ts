import { readdir } from "node:fs/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { applyMigrations, MIGRATIONS_DIR, migrationStatus } from "../../src/db/migrations.ts";
import { createEmptyDatabase, testDatabaseKind, type EmptyDatabase } from "../helpers/database.ts";

let empty: EmptyDatabase;
beforeEach(async () => {
  empty = await createEmptyDatabase();
});
afterEach(() => empty?.dispose());

const folder = async () =>
  (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();

describe(`migrations on ${testDatabaseKind}`, () => {
  it("reports every migration pending on an empty database", async () => {
    const status = await migrationStatus(empty.migrationFactory());
    expect(status.pending).toEqual(await folder());
    expect(status.failed).toEqual([]);
  });

  it("applies every migration to an empty database, then is a no-op the second time", async () => {
    const factory = empty.migrationFactory();
    expect(await applyMigrations(factory)).toEqual(await folder());
    expect(await applyMigrations(factory)).toEqual([]);
    const status = await migrationStatus(factory);
    expect(status).toMatchObject({ pending: [], failed: [], edited: [], unknown: [] });
  });

  it.runIf(testDatabaseKind === "postgres")("lets two processes start on one database at once (one migrates)", async () => {
    if (empty.options.kind !== "postgres") return;
    const [a, b] = await Promise.all([openDatabase(empty.options), openDatabase(empty.options)]);
    expect([...a.applied, ...b.applied]).toEqual(await folder());
    await Promise.all([a.close(), b.close()]);
  });
});
