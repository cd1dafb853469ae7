import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { mkdir, mkdtemp, readdir, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { DataDirLockedError, LOCK_FILE, LOCK_STALE_MS, lockDataDir } from "../../src/db/data-dir-lock.ts";
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

  it.skipIf(process.platform !== "linux")("held by a zombie process (exited, not yet reaped) is taken over", async () => {
    // The shell starts `sleep 0.2` in the background, then becomes `sleep 60`, which never reaps it: a zombie.
    // (With `sleep 0` the child could end before the exec, and the shell reaped it: /proc/<pid> was gone in CI.)
    const parent = spawn("sh", ["-c", "sleep 0.2 & echo $!; exec sleep 60"]);
    try {
      const [line] = (await once(parent.stdout, "data")) as [Buffer];
      const zombie = Number(line.toString().trim());
      const stateOf = async () => (await readFile(`/proc/${zombie}/stat`, "utf8")).replace(/^.*\) /s, "")[0];
      while ((await stateOf()) !== "Z") await new Promise((resolve) => setImmediate(resolve));
      const dir = join(dataDir, "zombie");
      await mkdir(dir);
      await writeFile(join(dir, LOCK_FILE), JSON.stringify({ pid: zombie, host: hostname(), since: "2026-01-01T00:00:00.000Z" }));
      const lock = lockDataDir(dir);
      expect(JSON.parse(await readFile(lock.path, "utf8"))).toMatchObject({ pid: process.pid });
      lock.release();
    } finally {
      parent.kill();
    }
  });

  it("is taken over when the process that was taking it over died too, and only our own lock is released", async () => {
    const dir = join(dataDir, "claimed");
    await mkdir(dir);
    const dead = spawn(process.execPath, ["-e", ""]);
    await once(dead, "exit");
    const stale = JSON.stringify({ pid: dead.pid, host: hostname(), since: "2026-01-01T00:00:00.000Z", nonce: "crashed" });
    await writeFile(join(dir, LOCK_FILE), stale);
    // A takeover that died after claiming the stale lock (claims are named by the hash of the record they supersede).
    const id = createHash("sha256").update(stale).digest("hex").slice(0, 32);
    await writeFile(join(dir, `${LOCK_FILE}.${id}.claim`), JSON.stringify({ pid: dead.pid, host: hostname(), since: "2026-01-01T00:00:01.000Z", nonce: "claimer" }));

    const lock = lockDataDir(dir);
    expect(await readdir(dir)).toEqual([LOCK_FILE]);
    // Someone deleted our lock by hand and another process took the directory: our release leaves theirs alone.
    const theirs = JSON.stringify({ pid: process.ppid, host: hostname(), since: "2026-01-01T00:00:02.000Z", nonce: "theirs" });
    await writeFile(lock.path, theirs);
    lock.release();
    expect(await readFile(lock.path, "utf8")).toBe(theirs);
  });

  it("held from another host (a container recreated after a crash) counts as live while touched, and as stale once untouched", async () => {
    const dir = join(dataDir, "other-host");
    await mkdir(dir);
    const theirs = JSON.stringify({ pid: 1, host: "container-4f2a91", since: "2026-01-01T00:00:00.000Z", nonce: "elsewhere" });
    await writeFile(join(dir, LOCK_FILE), theirs);
    expect(() => lockDataDir(dir)).toThrow(/in use by another process \(pid 1 on container-4f2a91.*counts as stale 60 s after/);
    expect(await readFile(join(dir, LOCK_FILE), "utf8")).toBe(theirs);

    const untouched = new Date(Date.now() - LOCK_STALE_MS - 5_000);
    await utimes(join(dir, LOCK_FILE), untouched, untouched);
    const lock = lockDataDir(dir, { refreshMs: 50 });
    try {
      expect(JSON.parse(await readFile(lock.path, "utf8"))).toMatchObject({ pid: process.pid, host: hostname() });
      // The holder keeps its own lock fresh, so another host never mistakes it for a dead one.
      await utimes(lock.path, untouched, untouched);
      await vi.waitFor(async () => expect((await stat(lock.path)).mtimeMs).toBeGreaterThan(Date.now() - LOCK_STALE_MS / 2), { timeout: 20_000, interval: 50 });
    } finally {
      lock.release();
    }
  });
});
