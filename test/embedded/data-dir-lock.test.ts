import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { DataDirLockedError } from "../../src/db/data-dir-lock.ts";
import { spawnTs, waitForLine } from "../helpers/spawn.ts";

const dataDir = await mkdtemp(join(tmpdir(), "data-"));
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe("the embedded data directory", () => {
  it("cannot be opened by a second process while the first holds it, and is recovered after a crash", async () => {
    const holder = spawnTs("test/helpers/hold-data-dir.ts", [dataDir]);
    await waitForLine(holder, /ready/);

    const refused = await openDatabase({ kind: "embedded", dataDir }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(DataDirLockedError);
    expect((refused as Error).message).toContain(`in use by another process (pid ${holder.pid}`);

    // A crash leaves the lock file behind; the next process sees its owner is gone and takes over.
    holder.kill("SIGKILL");
    await once(holder, "exit");
    const db = await openDatabase({ kind: "embedded", dataDir });
    try {
      expect(db.applied).toEqual([]);
      expect(await db.prisma.user.findUnique({ where: { steamId: "76561198000000042" } })).toMatchObject({ displayName: "held" });
    } finally {
      await db.close();
    }
  });

  it("is refused within one process too while open, and free again once closed", async () => {
    const dir = join(dataDir, "same-process");
    const first = await openDatabase({ kind: "embedded", dataDir: dir });
    await expect(openDatabase({ kind: "embedded", dataDir: dir })).rejects.toBeInstanceOf(DataDirLockedError);
    await first.close();
    const again = await openDatabase({ kind: "embedded", dataDir: dir });
    await again.close();
  });
});
