// A full disk under DATA_DIR is told in one line naming the disk, the free space and the variable, never as
// PGlite's "failed to initialize properly". On small tmpfs mounts where this machine allows mounting (root on
// Linux); the message itself is checked everywhere with a real ENOSPC error.
import { execFileSync } from "node:child_process";
import { closeSync, existsSync, openSync, writeSync } from "node:fs";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { dataDirFailure } from "../../src/db/data-dir.ts";
import { dataDirProblem } from "../../src/environment-errors.ts";
import { runToEnd, spawnTs } from "../helpers/spawn.ts";

const SPAWN_TIMEOUT_MS = 180_000;

const root = await mkdtemp(join(tmpdir(), "disk-full-"));
const mounts: string[] = [];
afterAll(async () => {
  for (const mount of mounts) execFileSync("umount", ["-l", mount]);
  await rm(root, { recursive: true, force: true });
});

/** A fresh tmpfs of `size` (e.g. "2m") at a new directory, or undefined where mounting is not allowed. */
async function tmpfs(name: string, size: string): Promise<string | undefined> {
  const mount = join(root, name);
  await mkdir(mount);
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", `size=${size},mode=0700`, "tmpfs", mount], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  mounts.push(mount);
  return mount;
}
const canMount = process.platform === "linux" && process.getuid?.() === 0 && (await tmpfs("probe", "1m")) !== undefined;

/** Writes zeros to a file in `dir` until the disk refuses with ENOSPC. */
function fill(dir: string): void {
  const fd = openSync(join(dir, "filler"), "w");
  const chunk = Buffer.alloc(1024 * 1024);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOSPC") throw error;
  } finally {
    closeSync(fd);
  }
}

const start = (dataDir: string) =>
  runToEnd(spawnTs("src/main.ts", [], { cwd: root, env: { DATA_DIR: dataDir, DISCORD_TOKEN: "MTIz.fake.token", DISCORD_REST_URL: "http://127.0.0.1:9/api" } }));
const fullLine = (dataDir: string, mb: number) =>
  `Configuration error: DATA_DIR: the disk holding DATA_DIR (${dataDir}) is full: ${mb} MB free; free space or set DATA_DIR to another disk`;

describe("a full disk under DATA_DIR", () => {
  it("an ENOSPC error is told as the disk being full, with its free space and DATA_DIR", () => {
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
    expect(dataDirProblem(root, enospc)?.message).toMatch(
      new RegExp(`^DATA_DIR: the disk holding DATA_DIR \\(${root}\\) is full: \\d+ MB free; free space or set DATA_DIR to another disk$`),
    );
  });

  it.skipIf(!canMount)("npm start on a 2 MB disk stops with one line, before the database is created", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const disk = (await tmpfs("small", "2m"))!;
    const dataDir = join(disk, "data");
    const run = await start(dataDir);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([fullLine(dataDir, 2)]);
    expect(existsSync(join(dataDir, "pgdata"))).toBe(false);
  });

  it.skipIf(!canMount)("a restart after the disk filled up stops with one line, and the database is intact once space is freed", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const disk = (await tmpfs("filled", "128m"))!;
    const dataDir = join(disk, "data");
    const first = await openDatabase({ kind: "embedded", dataDir });
    await first.prisma.user.create({ data: { steamId: "76561198000000042", displayName: "kept" } });
    await first.close();
    fill(disk);

    const run = await start(dataDir);
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual([fullLine(dataDir, 0)]);
    expect(run.stderr).not.toContain("PGlite");

    // PGlite's own report of a disk that filled up while it opened ("failed to initialize properly", no code).
    expect(dataDirFailure(dataDir, new Error("PGlite failed to initialize properly"))?.message).toBe(fullLine(dataDir, 0).replace("Configuration error: ", ""));

    await rm(join(disk, "filler"));
    const again = await openDatabase({ kind: "embedded", dataDir });
    try {
      expect(await again.prisma.user.findUnique({ where: { steamId: "76561198000000042" } })).toMatchObject({ displayName: "kept" });
    } finally {
      await again.close();
    }
  });
});
