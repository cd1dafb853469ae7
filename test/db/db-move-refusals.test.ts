// npm run db:move's refusals, each one line before anything is touched; none needs a PostgreSQL server
// (the round trip itself is test/postgres/db-move.test.ts).
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runToEnd, spawnTs, waitForLine } from "../helpers/spawn.ts";

// Spawns tsx (and, for the lock, a process holding the embedded database): far from the limit on a busy machine.
const SPAWN_TIMEOUT_MS = 180_000;
// Nothing listens there: a refusal that reached for the target would fail differently.
const UNREACHABLE = "postgresql://bot:s3cret@127.0.0.1:1/rust";

const cwd = await mkdtemp(join(tmpdir(), "db-move-refusals-"));
afterAll(() => rm(cwd, { recursive: true, force: true }));
const dataDir = join(cwd, "data");
const move = (args: string[], env: Record<string, string> = {}) =>
  runToEnd(spawnTs("src/db/cli.ts", ["move", ...args], { cwd, env: { DATA_DIR: dataDir, ...env } }));

const oneLine = (text: string) => expect(text.trim().split("\n")).toHaveLength(1);

describe("npm run db:move refuses", () => {
  it("a missing or bad URL with the usage, exit 2", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    for (const args of [[], ["mysql://root@localhost/rust"], ["not a url"]]) {
      const refused = await move(args);
      expect(refused.code).toBe(2);
      oneLine(refused.stderr);
      expect(refused.stderr).toContain("usage: npm run db:move -- postgresql://");
    }
  });

  it("while the bot holds the data directory, naming the process; once it is free, an unreachable target", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const holder = spawnTs("test/helpers/hold-data-dir.ts", [dataDir]);
    await waitForLine(holder, /ready/);
    try {
      const refused = await move([UNREACHABLE]);
      expect(refused.code).toBe(1);
      oneLine(refused.stderr);
      expect(refused.stderr).toContain(`is in use by another process (pid ${holder.pid}`);
      expect(refused.stderr).not.toContain("s3cret");
    } finally {
      holder.stdin.end();
      await runToEnd(holder);
    }

    const unreachable = await move([UNREACHABLE]);
    expect(unreachable.code).toBe(1);
    oneLine(unreachable.stderr);
    expect(unreachable.stderr).toContain("Error: cannot connect to postgresql://bot:***@127.0.0.1:1/rust");
    expect(unreachable.stderr).not.toContain("s3cret");
  });

  it("when DATABASE_URL already points the bot at PostgreSQL, and when there is no embedded database", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const configured = await move([UNREACHABLE], { DATABASE_URL: UNREACHABLE });
    expect(configured.code).toBe(1);
    oneLine(configured.stderr);
    expect(configured.stderr).toContain("DATABASE_URL is set");

    const empty = await move([UNREACHABLE], { DATA_DIR: join(cwd, "never-started") });
    expect(empty.code).toBe(1);
    oneLine(empty.stderr);
    expect(empty.stderr).toContain("there is no embedded database in");
  });
});
