// PGlite takes no lock on its data directory and a second process would open it silently and corrupt it.
// The lock file DATA_DIR/bot.lock records its owner (pid, host, a random nonce); a lock whose process is gone
// (or a zombie) is stale and taken over. Every step is one atomic file-system call, so two processes that find
// the same stale lock cannot both take it:
// - a record is written whole to a private temporary file and link()ed into place: link fails if the name exists;
// - to supersede a dead record, a process first claims it by linking its own record to `bot.lock.<id>.claim`, where
//   <id> is the hash of the dead record's bytes: exactly one process can create that name. The winner checks the
//   lock still holds that record and rename()s its claim over it. A claimant that died leaves a claim, itself a
//   record: the next process claims that one the same way (`bot.lock.<its id>.claim`), so claims form a chain.
// A record at bot.lock can only be replaced by the holder of its claim, and a claim only appears once: a slow
// process that acts on what it read long ago finds the record changed when it checks, and gives up its claim.
// A process on another host cannot be asked whether it lives, so the holder touches its lock every
// LOCK_REFRESH_MS and another host's record is dead once untouched for LOCK_STALE_MS: a container recreated
// after a crash (a new hostname, the same volume) starts a minute later instead of never.
import { createHash, randomBytes } from "node:crypto";
import { linkSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from "node:fs";
import { hostname } from "node:os";
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
  /** Absent in locks written before the nonce existed. */
  nonce?: string;
}

/** One lock record as read: its bytes' hash identifies it across processes; `touchedAt` is its file's mtime (ms). */
interface LockRecord {
  id: string;
  owner: LockOwner | undefined;
  touchedAt: number;
}

/** How often (ms) the holder touches its lock, and after how long (ms) untouched another host's lock is dead. */
export const LOCK_REFRESH_MS = 10_000;
export const LOCK_STALE_MS = 60_000;

/** Nonces of the locks this process holds, so that a pid equal to ours is told apart from a recycled one. */
const held = new Set<string>();

/** Attempts before giving up when the lock keeps changing hands while we look at it. */
const MAX_ATTEMPTS = 20;

export interface DataDirLock {
  readonly path: string;
  /** Removes the lock if it still holds this process's record; never another process's lock. */
  release(): void;
}

/**
 * Takes the data directory `dataDir` (creating it, mode 0700) for this process until release() or exit.
 * Throws DataDirLockedError when a live process holds it (or took it over while we looked), or EnvironmentError
 * naming DATA_DIR when the directory cannot be written.
 */
export function lockDataDir(dataDir: string, options: { refreshMs?: number } = {}): DataDirLock {
  const dir = resolve(dataDir);
  const path = join(dir, LOCK_FILE);
  const nonce = randomBytes(16).toString("hex");
  const owner: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString(), nonce };
  const temp = join(dir, `${LOCK_FILE}.${nonce}.tmp`);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temp, JSON.stringify(owner), { mode: 0o600, flag: "wx" });
  } catch (error) {
    throw dataDirProblem(dataDir, error) ?? error;
  }
  try {
    acquire(dir, path, temp);
  } finally {
    unlinkQuietly(temp);
  }
  held.add(nonce);
  const refresh = setInterval(() => {
    try {
      if (readRecord(path)?.owner?.nonce === nonce) utimesSync(path, new Date(), new Date());
    } catch {
      // A passing failure (the disk busy) is retried at the next tick, well within LOCK_STALE_MS.
    }
  }, options.refreshMs ?? LOCK_REFRESH_MS);
  refresh.unref();
  const onExit = () => release();
  process.once("exit", onExit);
  function release() {
    if (!held.delete(nonce)) return;
    clearInterval(refresh);
    process.off("exit", onExit);
    // Only our own record is removed: nobody else can have replaced it while we live (see the top of the file).
    if (readRecord(path)?.owner?.nonce === nonce) unlinkQuietly(path);
  }
  return { path, release };
}

function acquire(dir: string, path: string, temp: string): void {
  for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
    if (tryLink(dir, temp, path)) return;
    const first = readRecord(path);
    if (first === undefined) continue; // released in between: try to create it again
    // Follow the claims on dead records to the last one; ours goes after it.
    const chain: LockRecord[] = [first];
    for (;;) {
      const tip = chain[chain.length - 1]!;
      if (isAlive(tip)) throw lockedBy(dir, path, tip.owner!);
      const claim = claimPath(dir, tip.id);
      if (tryLink(dir, temp, claim)) {
        if (chainUnchanged(dir, path, chain)) {
          renameSync(claim, path);
          // The dead claims before ours can go: they name records that can never be at bot.lock again.
          for (const record of chain.slice(0, -1)) unlinkQuietly(claimPath(dir, record.id));
          return;
        }
        unlinkQuietly(claim);
        break;
      }
      const next = readRecord(claim);
      if (next === undefined) break; // its claimant finished meanwhile: look again from the start
      chain.push(next);
    }
  }
  throw new DataDirLockedError(`the data directory ${dir} is being taken by another process; try again`);
}

/** True when bot.lock and each claim still hold the records read into `chain`. */
function chainUnchanged(dir: string, path: string, chain: LockRecord[]): boolean {
  return chain.every((record, i) => readRecord(i === 0 ? path : claimPath(dir, chain[i - 1]!.id))?.id === record.id);
}

const claimPath = (dir: string, id: string) => join(dir, `${LOCK_FILE}.${id}.claim`);

function tryLink(dir: string, from: string, to: string): boolean {
  try {
    linkSync(from, to);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    throw dataDirProblem(dir, error) ?? error;
  }
}

function readRecord(path: string): LockRecord | undefined {
  let raw: Buffer;
  let touchedAt: number;
  try {
    touchedAt = statSync(path).mtimeMs;
    raw = readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  return { id: createHash("sha256").update(raw).digest("hex").slice(0, 32), owner: parseOwner(raw.toString("utf8")), touchedAt };
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const parsed = JSON.parse(text) as Partial<LockOwner>;
    if (typeof parsed.pid === "number" && typeof parsed.host === "string") {
      return {
        pid: parsed.pid,
        host: parsed.host,
        since: String(parsed.since ?? "unknown"),
        ...(typeof parsed.nonce === "string" && { nonce: parsed.nonce }),
      };
    }
  } catch {
    // Unreadable (a crash of the whole machine can leave an empty file): treated as stale.
  }
  return undefined;
}

function isAlive({ owner, touchedAt }: LockRecord): boolean {
  if (owner === undefined) return false;
  // Another host's process cannot be checked from here: alive while it keeps touching its lock.
  if (owner.host !== hostname()) return Date.now() - touchedAt < LOCK_STALE_MS;
  if (owner.pid === process.pid) return owner.nonce !== undefined && held.has(owner.nonce);
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return false;
  }
  return !isZombie(owner.pid);
}

/** A process that has exited but was not reaped still answers kill(pid, 0). Linux only; elsewhere false. */
function isZombie(pid: number): boolean {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return false;
  }
  // "<pid> (<comm>) <state> …": comm may hold spaces and parentheses, so the state follows the last ")".
  const state = stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  return state === "Z" || state === "X";
}

function lockedBy(dir: string, path: string, owner: LockOwner): DataDirLockedError {
  return new DataDirLockedError(
    `the data directory ${dir} is in use by another process (pid ${owner.pid} on ${owner.host}, since ${owner.since}). ` +
      `Stop that process first, or set DATA_DIR to another directory.` +
      (owner.host === hostname() ? "" : ` If that process is gone, its lock ${path} counts as stale ${LOCK_STALE_MS / 1000} s after it last refreshed it: start again then.`),
  );
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}
