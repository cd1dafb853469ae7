// The embedded database's data directory (DATA_DIR) made private and checked before anything is written in it.
// PostgreSQL's rows, the encryption key and the lock live there: on a shared host any other account could read
// or change them if the directory or its files had group/other bits. Emscripten's file system (under PGlite)
// creates files with umask-filtered modes, but its initial cluster is written 0666: hence the umask and a walk.
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, statSync, unlinkSync, writeSync, type Stats } from "node:fs";
import { isMainThread } from "node:worker_threads";
import { join, resolve } from "node:path";
import { dataDirFull, dataDirProblem, EnvironmentError, freeBytesAt } from "../environment-errors.ts";
import type { Logger } from "../logger.ts";
import { lockDataDir, type DataDirLock } from "./data-dir-lock.ts";

/** Below this much free space (bytes) on DATA_DIR's disk the embedded database is not opened (it needs ~40 MB to initialise). */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;

const PRIVATE = 0o077;
const PROBE_BYTES = 4096;

/** What the bot keeps in DATA_DIR: the database, the key (keys.ts's KEY_FILE), the lock and its claims, write probes. */
const OWN_ENTRY = /^(pgdata|encryption\.key(\.[0-9a-f]+\.tmp)?|bot\.lock(\.[0-9a-f]+\.(tmp|claim))?|\.write-probe-\d+)$/;
/** The file system's own directory at the root of a disk (root's, 0700): DATA_DIR may be a disk of its own. */
const FS_OWN = "lost+found";

/**
 * Prepares `dataDir` for the embedded database: sets the process umask to 0o077 (every file this process creates
 * afterwards is private to its user), creates the directory 0700 if missing, tightens an existing tree with
 * group/other bits to 0700/0600 (logging one warning), checks free space and that a file can be written and synced.
 * Throws EnvironmentError naming DATA_DIR: owned by another user, not tightenable, not writable, or a full disk.
 */
export function prepareDataDir(dataDir: string, logger?: Pick<Logger, "warn">, options: { checkSpace?: boolean } = {}): void {
  const dir = resolve(dataDir);
  restrictUmask();
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw dataDirProblem(dataDir, error) ?? error;
  }
  const uid = process.getuid?.();
  const owner = statSync(dir).uid; // DATA_DIR may be a symbolic link to the directory: its target counts
  if (uid !== undefined && owner !== uid) {
    throw new EnvironmentError(
      "DATA_DIR",
      `${dir} belongs to another user (uid ${owner}, this process runs as uid ${uid}); run the bot as that user, or set DATA_DIR to a directory of this user's own`,
    );
  }
  refuseForeignDirectory(dir);
  const { changed, exposed } = tightenTree(dir);
  // PGlite writes a new cluster 0666 and rewrites pg_internal.init 0644 whatever the umask (an interrupted first
  // start leaves them so); inside a private DATA_DIR nobody else could reach them, so only an open DATA_DIR is
  // worth a warning.
  if (exposed) {
    const line = `DATA_DIR: ${dir} was readable or writable by other users; made ${changed} files and directories private to this user (0700/0600)`;
    if (logger) logger.warn({ dataDir: dir, tightened: changed }, line);
    else process.stderr.write(`${line}\n`);
  }
  checkWritable(dir, options.checkSpace ?? true);
}

/**
 * The walk below makes everything in DATA_DIR private: pointed by mistake at a directory with other contents
 * (a home directory, a project, "/"), it would chmod all of them. A directory holding other entries and none of
 * the bot's data is refused instead; once the bot's data is there, the whole directory is the bot's.
 */
function refuseForeignDirectory(dir: string): void {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch (error) {
    throw dataDirProblem(dir, error) ?? error;
  }
  if (names.some((name) => name === "pgdata" || name === "encryption.key")) return;
  const foreign = names.filter((name) => !OWN_ENTRY.test(name) && name !== FS_OWN).sort();
  if (foreign.length === 0) return;
  const shown = foreign.length > 3 ? `${foreign.slice(0, 3).join(", ")}, …` : foreign.join(", ");
  throw new EnvironmentError(
    "DATA_DIR",
    `${dir} already holds other files (${shown}) and no data of this bot; the bot makes its data directory and everything ` +
      "in it private to its user, so set DATA_DIR to a new or empty directory",
  );
}

/**
 * Removes group and other bits from `dir` and everything below it (symbolic links are not followed; a disk's
 * lost+found at the top is left alone). Returns how many entries were changed, and `exposed`: whether `dir` itself
 * had such bits (only then could another user reach anything in it). Throws EnvironmentError naming DATA_DIR when an
 * entry cannot be read or changed. An entry that disappears meanwhile (PGlite's own files, while a
 * running process holds the directory) is skipped.
 */
export function tightenTree(dir: string): { changed: number; exposed: boolean } {
  // Windows keeps no POSIX modes (every file reads 0666): access there is the ACLs' business.
  if (process.platform === "win32") return { changed: 0, exposed: false };
  let changed = 0;
  let exposed = false;
  const unreadable = (path: string, error: unknown) =>
    new EnvironmentError(
      "DATA_DIR",
      `${path} cannot be read by this user (${(error as Error).message}); chown -R the directory to this user, or move that entry out of DATA_DIR`,
    );
  const visit = (path: string): void => {
    let stat: Stats;
    try {
      // The top may be a symbolic link to the directory; links inside are left alone.
      stat = path === dir ? statSync(path) : lstatSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw unreadable(path, error);
    }
    if (stat.isSymbolicLink()) return;
    if ((stat.mode & PRIVATE) !== 0) {
      try {
        chmodSync(path, stat.mode & 0o700);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
        throw new EnvironmentError(
          "DATA_DIR",
          `${path} is readable or writable by other users and cannot be made private (${(error as Error).message}); ` +
            `chown -R the directory to this user, or set DATA_DIR to a directory of this user's own`,
        );
      }
      changed++;
      if (path === dir) exposed = true;
    }
    if (!stat.isDirectory()) return;
    let names: string[];
    try {
      names = readdirSync(path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return;
      throw unreadable(path, error);
    }
    for (const name of names) if (!(path === dir && name === FS_OWN)) visit(join(path, name));
  };
  visit(dir);
  return { changed, exposed };
}

function checkWritable(dir: string, checkSpace: boolean): void {
  const free = freeBytesAt(dir);
  if (checkSpace && free < MIN_FREE_BYTES) throw dataDirFull(dir, free);
  // A disk can report space and still refuse (quota, read-only remount, a full inode table): write and sync a probe.
  const probe = join(dir, `.write-probe-${process.pid}`);
  try {
    const fd = openSync(probe, "w", 0o600);
    try {
      writeSync(fd, Buffer.alloc(PROBE_BYTES));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    throw dataDirProblem(dir, error) ?? error;
  } finally {
    try {
      unlinkSync(probe);
    } catch {
      // Never created: the error above says why.
    }
  }
}

/**
 * Process-wide on purpose: PGlite creates files all the while it runs. This process writes no other files for
 * other users to read (logs go to stdout), so a private umask has no other visible effect. Worker threads cannot
 * change it (Node throws): there the walk in prepareDataDir and after opening is what keeps files private.
 */
function restrictUmask(): void {
  if (!isMainThread) return;
  process.umask(process.umask(PRIVATE) | PRIVATE);
}

/**
 * prepareDataDir, then lockDataDir: what every opener of the embedded database does first. Throws as both do.
 * `checkSpace: false` skips the free-space minimum (the write probe still runs): for db:move, the way off a full disk.
 */
export function takeDataDir(dataDir: string, logger?: Pick<Logger, "warn">, options: { checkSpace?: boolean } = {}): DataDirLock {
  prepareDataDir(dataDir, logger, options);
  return lockDataDir(dataDir);
}

/**
 * The DATA_DIR problem behind a failure to open or write the embedded database, or undefined for any other error.
 * PGlite reports a disk that fills up while it initialises as "PGlite failed to initialize properly", with no
 * code: the free space left tells that case apart.
 */
export function dataDirFailure(dataDir: string, error: unknown): EnvironmentError | undefined {
  if (error instanceof EnvironmentError) return error;
  const known = dataDirProblem(dataDir, error);
  if (known) return known;
  const free = freeBytesAt(resolve(dataDir));
  return free < MIN_FREE_BYTES ? dataDirFull(dataDir, free) : undefined;
}
