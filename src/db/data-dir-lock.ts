// PGlite takes no lock on its data directory and a second process would open it silently and corrupt it.
// This lock file records the owner; a lock whose process is gone is stale and taken over.
import { hostname } from "node:os";
import { mkdirSync, openSync, readFileSync, unlinkSync, writeSync, closeSync } from "node:fs";
import { join, resolve } from "node:path";
import { dataDirProblem } from "../environment-errors.ts";

export const LOCK_FILE = "bot.lock";

export class DataDirLockedError extends Error {
  override readonly name = "DataDirLockedError";
}

interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** Lock files this process holds, so that a pid equal to ours is told apart from a recycled one. */
const held = new Set<string>();

export interface DataDirLock {
  readonly path: string;
  release(): void;
}

/** Takes the data directory (creating it); throws DataDirLockedError, or EnvironmentError when it cannot be written. */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  const path = join(dir, LOCK_FILE);
  let created: boolean;
  try {
    mkdirSync(dir, { recursive: true });
    created = tryCreate(path);
  } catch (error) {
    throw dataDirProblem(dataDir, error) ?? error;
  }
  if (!created) {
    const owner = readOwner(path);
    if (owner && isAlive(owner, path)) {
      throw new DataDirLockedError(
        `the data directory ${dir} is in use by another process (pid ${owner.pid} on ${owner.host}, since ${owner.since}). ` +
          `Stop that process first, or set DATA_DIR to another directory.` +
          (owner.host === hostname() ? "" : ` If that process is gone, delete ${path}.`),
      );
    }
    unlinkSync(path);
    if (!tryCreate(path)) throw new DataDirLockedError(`the data directory ${dir} was just taken by another process`);
  }
  held.add(path);
  const onExit = () => release();
  process.once("exit", onExit);
  function release() {
    if (!held.delete(path)) return;
    process.off("exit", onExit);
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  }
  return { path, release };
}

function tryCreate(path: string): boolean {
  let fd: number;
  try {
    fd = openSync(path, "wx", 0o600);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw error;
  }
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  writeSync(fd, JSON.stringify(owner));
  closeSync(fd);
  return true;
}

function readOwner(path: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, "utf8")) as Partial<LockOwner>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string") {
      return { pid: parsed.pid, host: parsed.host, since: String(parsed.since ?? "unknown") };
    }
  } catch {
    // Unreadable or half-written: treated as stale below.
  }
  return undefined;
}

function isAlive(owner: LockOwner, path: string): boolean {
  // Another host's process cannot be checked from here: assume it is alive.
  if (owner.host !== hostname()) return true;
  if (owner.pid === process.pid) return held.has(path);
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
