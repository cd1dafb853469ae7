// The npm run db:* commands, run as a person runs them, on the embedded database.
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runToEnd, spawnTs } from "./helpers/spawn.ts";

// Spawns processes (tsx, migrations): well clear of the time it takes on a busy 2-core machine.
const SPAWN_TIMEOUT_MS = 180_000;

const cwd = await mkdtemp(join(tmpdir(), "db-cli-"));
afterAll(() => rm(cwd, { recursive: true, force: true }));
const db = (...args: string[]) => runToEnd(spawnTs("src/db/cli.ts", args, { cwd, env: { DATA_DIR: join(cwd, "data") } }));

describe("npm run db:*", () => {
  it("status on a DATA_DIR without a database refuses in one line and creates nothing; deploy creates it, then status is clean", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    // A mistyped DATA_DIR: status (and rotate-keys) must not create a directory and a database there.
    for (const command of ["status", "rotate-keys"]) {
      const refused = await db(command);
      expect(refused.code).toBe(1);
      expect(refused.stderr.trim()).toMatch(/^Configuration error: DATA_DIR: no embedded database in [^\n]*data [^\n]*$/);
      expect(existsSync(join(cwd, "data"))).toBe(false);
    }

    const deploy = await db("deploy");
    expect(deploy.stdout).toMatch(/Applied: \d{14}_init/);
    expect(deploy.code).toBe(0);

    const after = await db("status");
    expect(after.stdout).toContain("Database schema is up to date.");
    expect(after.code).toBe(0);
    expect((await db("deploy")).stdout).toContain("Database is up to date.");
  });

  it("rejects a bad migration name and an unknown command with usage", async () => {
    const bad = await db("create", "Add Things!");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("usage: npm run db:create -- <name>");
    expect((await db("explode")).stderr).toContain("usage:");
  });

  it("status with an unreachable DATABASE_URL prints one line naming it, no engine stack", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const run = await runToEnd(spawnTs("src/db/cli.ts", ["status"], { cwd, env: { DATABASE_URL: "postgresql://u:secret@127.0.0.1:9/x" } }));
    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toMatch(/^Configuration error: DATABASE_URL: cannot reach the database at postgresql:\/\/u:\*\*\*@127\.0\.0\.1:9\/x [^\n]*$/);
    expect(run.stderr).not.toContain("secret");
  });
});

