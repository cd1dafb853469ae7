// A fleet under test: N real bot processes (`npm start`'s src/main.ts through tsx) on one fresh PostgreSQL
// database, with the fakes in the test process: Discord (REST and gateway, found through GET /gateway/bot),
// Google's push channel (check-in + MCS, over TLS with the test CA) and Rust+ servers sharing one socket recorder.
// Each process logs JSON at info to stdout; tests wait on structured fields (waitForLog), never on time.
// close() leaves nothing behind, also after a failed test: every process still alive is SIGKILLed (a stopped
// one too: SIGKILL ends a SIGSTOPped process) and reaped, the database dropped with its sessions, the fakes closed.
import type { ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { buildKeyring, formatKey, generateKey, SecretBox } from "../../src/db/crypto.ts";
import { FakeDiscord, type FakeDiscordOptions } from "../fakes/discord/index.ts";
import { Log } from "../fakes/discord/waitable.ts";
import { FakeMcs } from "../fakes/mcs/index.ts";
import { SocketRecorder } from "../fakes/rustplus/index.ts";
import { createTestDatabase, type TestDatabase } from "./database.ts";
import { spawnTs } from "./spawn.ts";

const CA_FILE = fileURLToPath(new URL("../fixtures/mcs-tls/cert.pem", import.meta.url));

export type LogEntry = Record<string, unknown> & { msg?: string; level?: number };

export interface FleetProcessHandle {
  readonly index: number;
  readonly child: ChildProcessWithoutNullStreams;
  readonly pid: number;
  /** Every JSON line of its stdout, parsed, in order (lines that are not JSON kept as { msg: line }). */
  readonly logs: Log<LogEntry>;
  readonly stderr: string[];
  /** "running" | "paused" (SIGSTOP) | "exited". */
  state: "running" | "paused" | "exited";
  /** Set once it exited: its code, or the signal that ended it. */
  exit: { code: number | null; signal: NodeJS.Signals | null } | null;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface FleetOptions {
  /** Passed to FakeDiscord.start (e.g. shardCount for a fleet split by shards). */
  discord?: FakeDiscordOptions;
  /** FLEET_LEASE_TTL_MS of every process (default 3000). */
  leaseTtlMs?: number;
}

/** Environment every process gets; `env(i)` of start() adds to it (shards, egress addresses…). */
function baseEnv(fleet: Fleet, leaseTtlMs: number, dataDir: string): Record<string, string> {
  return {
    DISCORD_TOKEN: fleet.discord.token,
    DISCORD_REST_URL: fleet.discord.restUrl,
    DATABASE_URL: fleet.databaseUrl,
    DATABASE_POOL_SIZE: "5",
    CREDS_ENCRYPTION_KEY: fleet.key,
    DATA_DIR: dataDir,
    WEB_ENABLED: "false",
    LOG_LEVEL: "info",
    FLEET_LEASE_TTL_MS: String(leaseTtlMs),
    FCM_CHECKIN_URL: fleet.mcs.checkinUrl,
    FCM_MCS_HOST: fleet.mcs.host,
    FCM_MCS_PORT: String(fleet.mcs.port),
    FCM_CA_FILE: CA_FILE,
  };
}

export class Fleet {
  readonly processes: FleetProcessHandle[] = [];
  readonly #dir: string;
  readonly #leaseTtlMs: number;
  readonly #onExit = () => this.#killAllNow();

  private constructor(
    readonly discord: FakeDiscord,
    readonly mcs: FakeMcs,
    /** The fleet's database, opened in the test process too (seeding, reading leases). */
    readonly db: TestDatabase,
    /** CREDS_ENCRYPTION_KEY of every process; `secrets` seals with it. */
    readonly key: string,
    readonly secrets: SecretBox,
    /** Shared by every fake Rust+ server of the test (pass it as their `recorder`). */
    readonly recorder: SocketRecorder,
    dir: string,
    leaseTtlMs: number,
  ) {
    this.#dir = dir;
    this.#leaseTtlMs = leaseTtlMs;
    // A worker that ends without afterAll (an uncaught error) still takes its children with it.
    process.once("exit", this.#onExit);
  }

  /** The fakes and a fresh PostgreSQL database (whatever TEST_DATABASE says); no process yet. */
  static async create(options: FleetOptions = {}): Promise<Fleet> {
    const db = await createTestDatabase("postgres");
    const [discord, mcs, dir] = await Promise.all([FakeDiscord.start(options.discord), FakeMcs.start(), mkdtemp(join(tmpdir(), "fleet-"))]).catch(async (error: unknown) => {
      await db.dispose();
      throw error;
    });
    const key = formatKey(1, generateKey());
    return new Fleet(discord, mcs, db, key, new SecretBox(buildKeyring(key)), new SocketRecorder(), dir, options.leaseTtlMs ?? 3_000);
  }

  get databaseUrl(): string {
    if (!this.db.url) throw new Error("the fleet's database has no URL");
    return this.db.url;
  }

  /**
   * Starts process number `index` (its own working directory, so no .env is read, and its own DATA_DIR);
   * `env` adds to or overrides the fleet's variables. Resolves once it is spawned; wait for readiness with
   * waitForLog (e.g. "logged in to Discord").
   */
  start(env: Record<string, string> = {}): FleetProcessHandle {
    const index = this.processes.length;
    const dataDir = join(this.#dir, `data-${index}`);
    const child = spawnTs("src/main.ts", [], { cwd: this.#dir, env: { ...baseEnv(this, this.#leaseTtlMs, dataDir), ...env } });
    const logs = new Log<LogEntry>();
    const stderr: string[] = [];
    let rest = "";
    child.stdout.on("data", (chunk: Buffer) => {
      const lines = (rest + chunk.toString()).split("\n");
      rest = lines.pop() ?? "";
      for (const line of lines.filter(Boolean)) logs.push(parseLine(line));
    });
    child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk.toString()));
    const exited = once(child, "exit").then(([code, signal]) => {
      handle.state = "exited";
      handle.exit = { code: code as number | null, signal: signal as NodeJS.Signals | null };
      return handle.exit;
    });
    const handle: FleetProcessHandle = { index, child, pid: child.pid ?? -1, logs, stderr, state: "running", exit: null, exited };
    this.processes.push(handle);
    return handle;
  }

  /**
   * The first log entry of process `index` (from entry `from` on) for which `match` holds. Rejects if the process
   * exits first, with its last lines and stderr.
   */
  async waitForLog(index: number, match: (entry: LogEntry) => boolean, from = 0): Promise<LogEntry> {
    const p = this.#process(index);
    const found = p.logs.waitFor(match, from);
    const ended = p.exited.then((exit) => {
      throw new Error(`fleet process ${index} exited (${exit.code ?? exit.signal}) before the log line awaited:\n${this.describe(index)}`);
    });
    return Promise.race([found, ended]);
  }

  /** Its last 30 log lines and its stderr, for a failure message. */
  describe(index: number): string {
    const p = this.#process(index);
    return [...p.logs.items.slice(-30).map((l) => JSON.stringify(l)), ...p.stderr].join("\n");
  }

  /** SIGKILL (kill -9): no handler runs; resolves once it is reaped. */
  async kill9(index: number): Promise<void> {
    const p = this.#process(index);
    if (p.state === "exited") return;
    p.child.kill("SIGKILL");
    await p.exited;
  }

  /** SIGSTOP: the process stops running; its sockets stay open (the kernel holds them). */
  pause(index: number): void {
    const p = this.#process(index);
    if (p.state !== "running") throw new Error(`fleet process ${index} is ${p.state}, not running`);
    process.kill(p.pid, "SIGSTOP");
    p.state = "paused";
  }

  /** SIGCONT: a paused process runs again (its timers fire late, all at once). */
  resume(index: number): void {
    const p = this.#process(index);
    if (p.state !== "paused") throw new Error(`fleet process ${index} is ${p.state}, not paused`);
    process.kill(p.pid, "SIGCONT");
    p.state = "running";
  }

  /** SIGTERM (a graceful shutdown, as a deploy does): resolves with its exit once it ended by itself. */
  async stop(index: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    const p = this.#process(index);
    if (p.state === "paused") this.resume(index);
    if (p.state === "exited") return p.exit!;
    p.child.kill("SIGTERM");
    return p.exited;
  }

  /** Kills every process left (SIGKILL, reaped), drops the database, closes the fakes and the temporary directory. */
  async close(): Promise<void> {
    process.off("exit", this.#onExit);
    for (const p of this.processes) if (p.state !== "exited") p.child.kill("SIGKILL");
    await Promise.all(this.processes.map((p) => p.exited));
    await Promise.allSettled([this.db.dispose(), this.discord.close(), this.mcs.close(), rm(this.#dir, { recursive: true, force: true })]);
  }

  #killAllNow(): void {
    for (const p of this.processes) if (p.state !== "exited") p.child.kill("SIGKILL");
  }

  #process(index: number): FleetProcessHandle {
    const p = this.processes[index];
    if (!p) throw new Error(`no fleet process ${index}`);
    return p;
  }
}

/**
 * Resolves once `check()` is true, checking every 50 ms (for state with no event to wait on: database rows, a
 * fake's counters). Rejects after `withinMs` naming `what` and, when given, what `explain()` says of the state
 * then, so a stuck fleet fails with a reason, not a timeout.
 */
export async function until(what: string, check: () => boolean | Promise<boolean>, withinMs: number, explain?: () => string | Promise<string>): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not within ${withinMs} ms: ${what}${explain ? `\n${await explain()}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function parseLine(line: string): LogEntry {
  try {
    const parsed: unknown = JSON.parse(line);
    return typeof parsed === "object" && parsed !== null ? (parsed as LogEntry) : { msg: line };
  } catch {
    return { msg: line };
  }
}
