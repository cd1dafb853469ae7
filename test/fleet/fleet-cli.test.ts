// `npm run fleet -- cap|status`: bad input refused in one line with exit code 2 (run as a person runs it), a cap set
// and removed end to end on an embedded database, and the status view from FleetProcess, FleetLease, RustServerLimit
// and waiting PairedServer rows (both databases).
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fleetStatus, parseFleetArgs, setCap } from "../../src/fleet/fleet-commands.ts";
import { linkUser } from "../helpers/bot.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";
import { runToEnd, spawnTs } from "../helpers/spawn.ts";

// Spawns processes (tsx, migrations): well clear of the time it takes on a busy 2-core machine.
const SPAWN_TIMEOUT_MS = 180_000;
const cwd = await mkdtemp(join(tmpdir(), "fleet-cli-"));
const fleet = (...args: string[]) => runToEnd(spawnTs("src/fleet/cli.ts", args, { cwd, env: { DATA_DIR: join(cwd, "data") } }));

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.dispose();
  await rm(cwd, { recursive: true, force: true });
});

describe("npm run fleet", () => {
  it("refuses bad input in one line with exit code 2, before touching a database", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    for (const [args, line] of [
      [["cap", "203.0.113.7:28082", "0"], 'the cap must be a whole number from 1 to 1000, or "default" (got "0")'],
      [["frob"], "usage: npm run fleet -- cap <ip:port> <1-1000|default> | status"],
    ] as const) {
      const run = await fleet(...args);
      expect([run.code, run.stderr, run.stdout]).toEqual([2, `${line}\n`, ""]);
    }
  });

  it("refuses a DATA_DIR with no database instead of creating an empty one", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    // Run from the wrong directory (or without DATABASE_URL), status would report an empty fleet and cap would
    // write a cap no bot reads.
    for (const args of [["status"], ["cap", "203.0.113.7:28082", "10"]]) {
      const run = await fleet(...args);
      expect([run.code, run.stdout]).toEqual([1, ""]);
      expect(run.stderr).toBe(
        `Configuration error: DATA_DIR: no embedded database in ${join(cwd, "data")} (no pgdata folder there); set DATA_DIR to the bot's data directory, or run npm start or npm run db:deploy to create one\n`,
      );
    }
    expect(existsSync(join(cwd, "data", "pgdata"))).toBe(false);
  });

  it("sets a server's cap on the configured database (after npm run db:deploy created it: opening a new embedded database is slow)", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const deploy = await runToEnd(spawnTs("src/db/cli.ts", ["deploy"], { cwd, env: { DATA_DIR: join(cwd, "data") } }));
    expect(deploy.code, deploy.stderr).toBe(0);
    const set = await fleet("cap", "203.0.113.7:28082", "10");
    expect([set.code, set.stdout]).toEqual([0, "203.0.113.7:28082: 10 Rust+ connections per address (takes effect as sockets open).\n"]);
  });
});

describe("cap", () => {
  it("writes RustServerLimit, and default removes it", async () => {
    const read = () => db.prisma.rustServerLimit.findMany({ where: { ip: "2001:db8::1" }, select: { port: true, connectionsPerAddress: true } });
    expect(await setCap(db.prisma, { ip: "2001:db8::1", port: 28082, cap: 12 }, 5)).toBe("[2001:db8::1]:28082: 12 Rust+ connections per address (takes effect as sockets open).");
    expect(await setCap(db.prisma, { ip: "2001:db8::1", port: 28082, cap: 1 }, 5)).toBe("[2001:db8::1]:28082: 1 Rust+ connection per address (takes effect as sockets open).");
    expect(await read()).toEqual([{ port: 28082, connectionsPerAddress: 1 }]);
    expect(await setCap(db.prisma, { ip: "2001:db8::1", port: 28082, cap: null }, 5)).toBe("[2001:db8::1]:28082: back to the default of 5 Rust+ connections per address.");
    expect(await read()).toEqual([]);
  });
});

describe("parsing", () => {
  it.each([
    [["cap", "203.0.113.7:28082", "1000"], { kind: "cap", ip: "203.0.113.7", port: 28082, cap: 1000 }],
    [["cap", "[2001:db8::1]:28082", "7"], { kind: "cap", ip: "2001:db8::1", port: 28082, cap: 7 }],
    [["cap", "203.0.113.7:28082", "default"], { kind: "cap", ip: "203.0.113.7", port: 28082, cap: null }],
    [["status"], { kind: "status" }],
  ])("%j", (args, expected) => expect(parseFleetArgs(args)).toEqual(expected));

  it.each([
    [["cap", "203.0.113.7:28082", "1001"], /from 1 to 1000/],
    [["cap", "203.0.113.7:28082", "2.5"], /whole number/],
    [["cap", "203.0.113.7:28082", "-1"], /whole number/],
    [["cap", "rust.example.com:28082", "5"], /<ip>:<port>/],
    [["cap", "2001:db8::1:28082", "5"], /<ip>:<port>/],
    [["cap", "203.0.113.7", "5"], /<ip>:<port>/],
    [["cap", "203.0.113.7:0", "5"], /port must be from 1 to 65535/],
    [["cap", "203.0.113.7:28082"], /^usage: npm run fleet -- cap/],
    [["status", "now"], /^usage/],
    [[], /^usage/],
  ])("%j is refused", (args, message) => {
    const parsed = parseFleetArgs(args);
    expect("error" in parsed && parsed.error).toMatch(message);
    expect("error" in parsed && parsed.error).not.toContain("\n");
  });
});

describe("status", () => {
  it("lists alive processes with their leases, waiting servers, and slots per Rust server and address", async () => {
    const { prisma } = db;
    const ago = (ms: number) => new Date(Date.now() - ms);
    await prisma.fleetProcess.createMany({
      data: [
        { id: "p-a", host: "box-a", pid: 101, addresses: ["10.0.0.1", "10.0.0.2"], heartbeatAt: ago(1_000) },
        { id: "p-b", host: "box-b", pid: 202, addresses: ["10.0.0.3"], heartbeatAt: ago(2_000) },
        { id: "p-dead", host: "box-c", pid: 303, addresses: ["10.0.0.9"], heartbeatAt: ago(120_000) },
      ],
    });
    const lease = (key: string, holder: string | null, rustServer: string | null, egressAddress: string | null, expiresIn = 60_000) => ({
      key, holder, rustServer, egressAddress, expiresAt: new Date(Date.now() + expiresIn),
    });
    await prisma.fleetLease.createMany({
      data: [
        lease("user:u1", "p-a", null, null),
        lease("server:s1", "p-a", "198.51.100.4:28015", "10.0.0.1"),
        lease("server:s2", "p-a", "198.51.100.4:28015", "10.0.0.2"),
        lease("server:s3", "p-b", "198.51.100.4:28015", "10.0.0.3"),
        lease("server:s4", "p-b", "198.51.100.5:28015", "10.0.0.3"),
        lease("server:s5", "p-dead", "198.51.100.4:28015", "10.0.0.9"),
        lease("server:s6", "p-b", "198.51.100.4:28015", "10.0.0.3", -1_000), // expired
        lease("server:s7", null, "198.51.100.4:28015", "10.0.0.3"), // released
        lease("job:intel-poll", "p-b", null, null),
      ],
    });
    await setCap(prisma, { ip: "198.51.100.5", port: 28015, cap: 8 }, 5);
    const user = await linkUser(prisma, "300000000000000001");
    await prisma.pairedServer.create({
      data: {
        userId: user.id, serverName: "Rustoria US Main", ip: "198.51.100.4", port: 28015, playerSteamId: user.steamId, playerToken: Buffer.from("x"),
        playerTokenKeyVersion: 1, live: true, slotWaitSince: new Date("2026-12-01T03:00:00Z"),
      },
    });

    const lines = await fleetStatus(prisma, { ttlMs: 30_000, defaultCap: 5 });
    expect(lines.map((l) => l.replace(/heartbeat \d+\.\d s ago/, "heartbeat N s ago"))).toEqual([
      "Processes alive (heartbeat within 30 s): 2",
      "  box-a pid 101 (p-a) · addresses 10.0.0.1, 10.0.0.2 · leases 3 (server 2, user 1) · heartbeat N s ago",
      "  box-b pid 202 (p-b) · addresses 10.0.0.3 · leases 3 (job 1, server 2) · heartbeat N s ago",
      "Servers waiting for a connection slot: 1",
      `  Rustoria US Main (198.51.100.4:28015) · user ${user.id} · since 2026-12-01T03:00:00.000Z`,
      "Rust servers with open sockets: 2",
      "  198.51.100.4:28015 (cap 5, default): 10.0.0.1 1/5, 10.0.0.2 1/5, 10.0.0.3 1/5, 10.0.0.9 1/5 (no alive process)",
      "  198.51.100.5:28015 (cap 8, set): 10.0.0.3 1/8",
    ]);
  });
});
