// Startup failures caused by the machine, not the code: a port already taken, a data directory that cannot be
// written. Each becomes one line naming the variable to change (printed by runMain), never a stack trace.
// Anything not recognised here is returned as undefined so the caller rethrows it as the bug it is.
import { statfsSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";

export class EnvironmentError extends Error {
  override readonly name = "EnvironmentError";
  /** `variable` is the setting to change; the message reads "<variable>: <what is wrong>; <what to do>". */
  constructor(readonly variable: string, problem: string) {
    super(`${variable}: ${problem}`);
  }
}

const codeOf = (error: unknown): unknown => (error as { code?: unknown } | null)?.code;

/**
 * Maps an error from creating, reading or writing in the data directory `dir` (mkdir, open, read, write) to a
 * DATA_DIR problem: EACCES/EPERM, EROFS, ENOTDIR/EEXIST from mkdir (a file in the path), ENOSPC/EDQUOT, ENAMETOOLONG/ELOOP.
 * Returns undefined for any other error.
 */
export function dataDirProblem(dir: string, error: unknown): EnvironmentError | undefined {
  const full = resolve(dir);
  const problem = (text: string) => new EnvironmentError("DATA_DIR", text);
  const code = codeOf(error);
  // mkdir of a path that is a file says EEXIST; any other EEXIST (a lock file, a key file) is not this.
  if (code === "EEXIST" && (error as { syscall?: unknown }).syscall !== "mkdir") return undefined;
  switch (code) {
    case "EACCES":
    case "EPERM":
      return problem(`this user may not write in ${full}; make it writable (chown/chmod) or set DATA_DIR to a directory it can write`);
    case "EROFS":
      return problem(`${full} is on a read-only file system; set DATA_DIR to a directory on a writable disk`);
    case "ENOTDIR":
    case "EEXIST": {
      const file = fileInPath(full);
      return problem(
        `${full} cannot be a directory: ${file === undefined ? "part of its path is a file" : `${file} is a file`}; ` +
          "set DATA_DIR to a directory (it is created if missing), or move that file away",
      );
    }
    case "ENOSPC":
      return dataDirFull(full, freeBytesAt(full));
    case "EDQUOT":
      return problem(`this user's disk quota is used up on the disk holding ${full}; free space or set DATA_DIR to another disk`);
    case "ENAMETOOLONG":
    case "ELOOP":
      return problem(`${full} cannot be created (${String(code)}); set DATA_DIR to a shorter, plain directory path`);
    default:
      return undefined;
  }
}

/** "the disk holding DATA_DIR (<dir>) is full: N MB free; …", for a disk with `free` bytes left. */
export function dataDirFull(dir: string, free: number): EnvironmentError {
  const mb = Math.floor(free / (1024 * 1024));
  return new EnvironmentError("DATA_DIR", `the disk holding DATA_DIR (${resolve(dir)}) is full: ${mb} MB free; free space or set DATA_DIR to another disk`);
}

/** Free bytes for this user on the disk holding `dir` (or its nearest existing parent); 0 when none can be read. */
export function freeBytesAt(dir: string): number {
  for (let p = dir; ; p = dirname(p)) {
    try {
      const stats = statfsSync(p);
      return stats.bavail * stats.bsize;
    } catch {
      // Not created yet: the disk is the nearest existing parent's.
      if (dirname(p) === p) return 0;
    }
  }
}

/** The first existing component of `path` (itself included) that is not a directory. */
function fileInPath(path: string): string | undefined {
  const chain: string[] = [];
  for (let p = path; ; p = dirname(p)) {
    chain.unshift(p);
    if (dirname(p) === p) break;
  }
  for (const p of chain) {
    const stat = statSync(p, { throwIfNoEntry: false });
    if (stat === undefined) return undefined;
    if (!stat.isDirectory()) return p;
  }
  return undefined;
}

/**
 * Maps an error of listening on `host`:`port` to a problem of the variables that set them (default WEB_PORT
 * and WEB_HOST): EADDRINUSE, EACCES, EADDRNOTAVAIL, ENOTFOUND/EAI_AGAIN; undefined for any other error.
 */
export function listenProblem(error: unknown, port: number, host: string, vars: { port: string; host: string } = { port: "WEB_PORT", host: "WEB_HOST" }): EnvironmentError | undefined {
  switch (codeOf(error)) {
    case "EADDRINUSE":
      return new EnvironmentError(vars.port, `port ${port} is already in use on ${host}; stop the program using it or set ${vars.port} to a free port`);
    case "EACCES":
      return new EnvironmentError(
        vars.port,
        `this user may not listen on port ${port} (ports below 1024 need extra privileges); set ${vars.port} to 1024 or above`,
      );
    case "EADDRNOTAVAIL":
      return new EnvironmentError(vars.host, `${host} is not an address of this machine; set ${vars.host} to one of its addresses, or 0.0.0.0 for all`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EAI_NONAME":
      return new EnvironmentError(vars.host, `${host} does not resolve to an address; set ${vars.host} to an address of this machine, or 0.0.0.0 for all`);
    default:
      return undefined;
  }
}

/** `postgresql://user:secret@host/db` → `postgresql://user:***@host/db`, for messages. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.href;
  } catch {
    return "(unparseable URL)";
  }
}

// Failures of reaching a server at all: nothing answered, the path is down, or the name does not resolve.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EHOSTUNREACH", "ENETUNREACH", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "UND_ERR_CONNECT_TIMEOUT", "UND_ERR_SOCKET"]);
/** The error's own code, or its cause's (fetch/undici wrap the socket error in `cause`). */
const networkCode = (error: unknown): string | undefined => {
  for (let e = error, depth = 0; e && depth < 3; e = (e as { cause?: unknown }).cause, depth++) {
    const code = codeOf(e);
    if (typeof code === "string" && NETWORK_CODES.has(code)) return code;
  }
  return undefined;
};
const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Maps an error of connecting to PostgreSQL at `url` (pg's connect) to a problem of `variable` (DATABASE_URL, or
 * the db:move argument): unreachable (network codes, pg's "Connection terminated…" incl. its connect timeout),
 * a refused login (28P01/28000), a missing database (3D000). The password is masked. Undefined for any other error.
 */
export function databaseProblem(url: string, error: unknown, variable = "DATABASE_URL"): EnvironmentError | undefined {
  const where = redactUrl(url);
  const message = messageOf(error);
  const code = codeOf(error);
  if (code === "28P01" || code === "28000") {
    return new EnvironmentError(variable, `${where} refused the login (${message}); fix the user name or password in ${variable}`);
  }
  if (code === "3D000") return new EnvironmentError(variable, `${where}: ${message}; create that database or fix its name in ${variable}`);
  if (networkCode(error) !== undefined || /^Connection terminated|timeout/i.test(message)) {
    return new EnvironmentError(
      variable,
      `cannot reach the database at ${where} (${message}); check the host and port in ${variable} and that PostgreSQL runs there`,
    );
  }
  return undefined;
}

/** An abort of a request: @discordjs/rest aborts each attempt after its timeout (15 s, retried 3 times) and then
 * throws fetch's DOMException named "AbortError" ("This operation was aborted"); AbortSignal.timeout gives "TimeoutError". */
const isTimeout = (error: unknown): boolean => {
  const name = (error as { name?: unknown } | null)?.name;
  return name === "AbortError" || name === "TimeoutError";
};

/**
 * Maps a failure of calling Discord's REST API at `url` to a DISCORD_REST_URL problem: a network error, or no
 * answer before the REST client's timeout (an AbortError). Undefined otherwise.
 */
export function discordRestProblem(url: string, error: unknown): EnvironmentError | undefined {
  if (isTimeout(error)) {
    return new EnvironmentError(
      "DISCORD_REST_URL",
      `Discord at ${url} did not answer in time (each request timed out); check this machine's network, and DISCORD_REST_URL (normally left unset)`,
    );
  }
  if (networkCode(error) === undefined) return undefined;
  return new EnvironmentError(
    "DISCORD_REST_URL",
    `cannot reach Discord at ${url} (${messageOf(error)}); check this machine's network, and DISCORD_REST_URL (normally left unset)`,
  );
}
