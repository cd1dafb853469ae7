// The embedded database's data directory is private to the bot's user: on a shared host no other account can
// read or change a row, the encryption key or the lock.
import { chmod, chown, lstat, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.ts";
import { loadSecretBox } from "../../src/db/keys.ts";
import { EnvironmentError } from "../../src/environment-errors.ts";
import { capturedLogger } from "../helpers/logs.ts";

const root = await mkdtemp(join(tmpdir(), "data-modes-"));
afterAll(() => rm(root, { recursive: true, force: true }));

const noKey = { CREDS_ENCRYPTION_KEY: undefined, CREDS_ENCRYPTION_OLD_KEYS: undefined, DATABASE_URL: undefined };

/** Every path under `dir` (itself included) whose mode has group or other bits, with that mode in octal. */
async function openToOthers(dir: string): Promise<string[]> {
  const found: string[] = [];
  const visit = async (path: string): Promise<void> => {
    const stat = await lstat(path);
    if ((stat.mode & 0o077) !== 0) found.push(`${(stat.mode & 0o777).toString(8)} ${path}`);
    if (stat.isDirectory()) for (const name of await readdir(path)) await visit(join(path, name));
  };
  await visit(dir);
  return found;
}

describe("the data directory's file modes", () => {
  it("after a first start, no file or directory in it is readable or writable by other users", async () => {
    const dataDir = join(root, "first");
    const { logger } = capturedLogger();
    await loadSecretBox({ ...noKey, DATA_DIR: dataDir }, logger);
    const db = await openDatabase({ kind: "embedded", dataDir }, logger);
    try {
      await db.prisma.user.create({ data: { steamId: "76561198000000042", displayName: "private" } });
      expect(await readdir(dataDir)).toEqual(expect.arrayContaining(["pgdata", "encryption.key", "bot.lock"]));
      expect(await openToOthers(dataDir)).toEqual([]);
    } finally {
      await db.close();
    }
    expect(await openToOthers(dataDir)).toEqual([]);
  });

  it("an existing tree open to everyone (0777/0666) is made private, and the log says so once", async () => {
    const dataDir = join(root, "loose");
    const first = await openDatabase({ kind: "embedded", dataDir });
    await first.close();
    await writeFile(join(dataDir, "encryption.key"), "1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n");
    await mkdir(join(dataDir, "backup"));
    await writeFile(join(dataDir, "backup", "notes.txt"), "old");
    const loosen = async (path: string): Promise<void> => {
      const stat = await lstat(path);
      await chmod(path, stat.isDirectory() ? 0o777 : 0o666);
      if (stat.isDirectory()) for (const name of await readdir(path)) await loosen(join(path, name));
    };
    await loosen(dataDir);
    expect((await openToOthers(dataDir)).length).toBeGreaterThan(100);

    const { logger, logs } = capturedLogger();
    const db = await openDatabase({ kind: "embedded", dataDir }, logger);
    await db.close();
    expect(await openToOthers(dataDir)).toEqual([]);
    const told = logs.filter((l) => String(l["msg"]).includes("private to this user"));
    expect(told).toHaveLength(1);
    expect(told[0]?.["msg"]).toMatch(new RegExp(`^DATA_DIR: ${dataDir} was readable or writable by other users; made \\d+ files`));
    expect(told[0]?.["level"]).toBe(40);
  });

  it("DATA_DIR a symbolic link to a directory: the directory it points to is made private", async () => {
    const target = join(root, "target");
    await mkdir(target, { mode: 0o755 });
    await chmod(target, 0o755);
    const dataDir = join(root, "link");
    await symlink(target, dataDir);
    const db = await openDatabase({ kind: "embedded", dataDir });
    await db.close();
    expect(await openToOthers(target)).toEqual([]);
  });

  it("a directory that already holds other things and no data of the bot (DATA_DIR=~ by mistake) is refused, and nothing in it changes", async () => {
    const home = join(root, "home");
    await mkdir(join(home, "public_html"), { recursive: true });
    await writeFile(join(home, "public_html", "index.html"), "hello");
    await chmod(home, 0o755);
    await chmod(join(home, "public_html"), 0o755);
    await chmod(join(home, "public_html", "index.html"), 0o644);
    const before = await openToOthers(home);
    const refused = await openDatabase({ kind: "embedded", dataDir: home }).then(
      async (db) => void (await db.close()),
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(EnvironmentError);
    expect((refused as Error).message).toBe(
      `DATA_DIR: ${home} already holds other files (public_html) and no data of this bot; the bot makes its data directory ` +
        "and everything in it private to its user, so set DATA_DIR to a new or empty directory",
    );
    expect(await openToOthers(home)).toEqual(before);
    expect(await readdir(home)).toEqual(["public_html"]);
  });

  it("a file system's lost+found (DATA_DIR at the root of a disk of its own) is neither refused nor walked", async () => {
    const mount = join(root, "mount");
    await mkdir(join(mount, "lost+found"), { recursive: true, mode: 0o700 });
    const db = await openDatabase({ kind: "embedded", dataDir: mount });
    await db.close();
    expect(await readdir(mount)).toEqual(expect.arrayContaining(["lost+found", "pgdata"]));
  });

  it.skipIf(process.getuid?.() !== 0)("a directory owned by another user is refused with one line naming DATA_DIR", async () => {
    const dataDir = join(root, "someone-elses");
    await mkdir(dataDir, { mode: 0o700 });
    await chown(dataDir, 65534, 65534);
    const refused = await openDatabase({ kind: "embedded", dataDir }).then(
      async (db) => void (await db.close()),
      (e: unknown) => e,
    );
    expect(refused).toBeInstanceOf(EnvironmentError);
    expect((refused as Error).message).toBe(
      `DATA_DIR: ${dataDir} belongs to another user (uid 65534, this process runs as uid 0); run the bot as that user, or set DATA_DIR to a directory of this user's own`,
    );
    expect(await readdir(dataDir)).toEqual([]);
  });
});
