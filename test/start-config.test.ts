// Problems of the machine a bot starts on (a port in use, a data directory it cannot use) end the process with
// one line naming the variable to change, like a bad value does: run as a person runs npm start / start:web.
import { once } from "node:events";
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runToEnd, spawnTs, type Finished } from "./helpers/spawn.ts";

// Spawns processes that open the embedded database: well clear of the time it takes on a busy 2-core machine.
const SPAWN_TIMEOUT_MS = 180_000;
// Never reached: these runs stop before logging in.
const DISCORD = { DISCORD_TOKEN: "MTIz.fake.token", DISCORD_REST_URL: "http://127.0.0.1:9/api" };

const cwd = await mkdtemp(join(tmpdir(), "start-config-"));
afterAll(() => rm(cwd, { recursive: true, force: true }));

const start = (env: Record<string, string>) => runToEnd(spawnTs("src/main.ts", [], { cwd, env: { ...DISCORD, ...env } }));
const startWeb = (env: Record<string, string>) => runToEnd(spawnTs("src/web/main.ts", [], { cwd, env }));

/** Exactly one line on stderr, starting with the variable's name; no stack trace, no "uncaught exception". */
function expectOneLine(run: Finished, variable: string): string {
  expect(run.code).not.toBe(0);
  const lines = run.stderr.trim().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^Configuration error: ${variable}: `));
  expect(run.stdout + run.stderr).not.toMatch(/^\s+at /m);
  expect(run.stdout).not.toContain("uncaught exception");
  return lines[0]!;
}

// chmod does not stop root from writing: run as root, the read-only case runs its child as "nobody".
const NOBODY = 65534;
const asUser = process.getuid?.() === 0 ? NOBODY : undefined;

describe("a data directory the bot cannot use", () => {
  it("DATA_DIR is a file: names it and says to pick a directory", async () => {
    const file = join(cwd, "a-file");
    await writeFile(file, "not a directory");
    const line = expectOneLine(await start({ DATA_DIR: file }), "DATA_DIR");
    expect(line).toContain(`${file} is a file`);
  });

  it("DATA_DIR under a file: names the file in the way", async () => {
    const file = join(cwd, "in-the-way");
    await writeFile(file, "");
    const line = expectOneLine(await start({ DATA_DIR: join(file, "data") }), "DATA_DIR");
    expect(line).toContain(`${file} is a file`);
  });

  it("DATA_DIR under a file with CREDS_ENCRYPTION_KEY set (the database's own directory lock meets it first)", async () => {
    const file = join(cwd, "in-the-way-too");
    await writeFile(file, "");
    const key = `1:${Buffer.alloc(32, 7).toString("base64")}`;
    const line = expectOneLine(await start({ DATA_DIR: join(file, "data"), CREDS_ENCRYPTION_KEY: key }), "DATA_DIR");
    expect(line).toContain(`${file} is a file`);
  });

  it("DATA_DIR a path that cannot be created (a name too long for the file system)", async () => {
    const line = expectOneLine(await start({ DATA_DIR: join(cwd, "x".repeat(300)) }), "DATA_DIR");
    expect(line).toContain("ENAMETOOLONG");
  });

  it("DATA_DIR read-only: says this user may not write there", async () => {
    const dir = join(cwd, "read-only");
    await mkdir(dir);
    await chmod(dir, 0o555);
    // The bot's own directory, read-only (one owned by another user is refused as such: test/embedded/data-dir-modes).
    if (asUser !== undefined) await chown(dir, asUser, asUser);
    await chmod(cwd, 0o755); // mkdtemp's 0700 would keep another user out of the working directory itself
    const run = await runToEnd(spawnTs("src/main.ts", [], { cwd, env: { ...DISCORD, HOME: cwd, DATA_DIR: dir }, ...(asUser !== undefined && { user: asUser }) }));
    const line = expectOneLine(run, "DATA_DIR");
    expect(line).toContain("may not write");
  });
});

describe("a data directory holding something this user cannot read", () => {
  it.skipIf(asUser === undefined)("a directory inside DATA_DIR that only another user can read: one line naming it, no stack", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const dir = join(cwd, "unreadable-inside");
    await mkdir(join(dir, "old-backup"), { recursive: true });
    await writeFile(join(dir, "encryption.key"), `1:${Buffer.alloc(32, 7).toString("base64")}\n`, { mode: 0o600 });
    await chown(dir, asUser!, asUser!);
    await chown(join(dir, "encryption.key"), asUser!, asUser!);
    await chmod(dir, 0o700);
    await chmod(join(dir, "old-backup"), 0o700); // root's: the bot's user can neither read nor change it
    await chmod(cwd, 0o755);
    const run = await runToEnd(spawnTs("src/main.ts", [], { cwd, env: { ...DISCORD, HOME: cwd, DATA_DIR: dir }, user: asUser! }));
    const line = expectOneLine(run, "DATA_DIR");
    expect(line).toContain(`${join(dir, "old-backup")} cannot be read by this user`);
  });
});

describe("a web address the sidecar cannot listen on", () => {
  it("npm start with WEB_PORT in use: names WEB_PORT and the port", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const other = createServer();
    other.listen(0, "0.0.0.0");
    await once(other, "listening");
    const { port } = other.address() as AddressInfo;
    try {
      const line = expectOneLine(await start({ DATA_DIR: join(cwd, "busy-port"), WEB_PORT: String(port) }), "WEB_PORT");
      expect(line).toContain(`port ${port} is already in use`);
    } finally {
      other.close();
    }
  });

  it("npm run start:web with WEB_HOST not an address of this machine: names WEB_HOST", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    // 192.0.2.1 is reserved for documentation (RFC 5737): no machine has it.
    const line = expectOneLine(await startWeb({ DATA_DIR: join(cwd, "web-host"), WEB_HOST: "192.0.2.1" }), "WEB_HOST");
    expect(line).toContain("192.0.2.1 is not an address of this machine");
  });
});

describe("egress addresses the machine does not have", () => {
  it("npm start with RUSTPLUS_EGRESS_ADDRESSES not local: one line naming it, before anything connects", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    // 127.0.0.2 is on loopback (Linux routes 127/8 there); 192.0.2.1 is reserved for documentation (RFC 5737).
    const line = expectOneLine(await start({ DATA_DIR: join(cwd, "egress"), RUSTPLUS_EGRESS_ADDRESSES: "127.0.0.2,192.0.2.1=203.0.113.7" }), "RUSTPLUS_EGRESS_ADDRESSES");
    expect(line).toContain("192.0.2.1 is not an address of this machine");
  });
});

describe("a PostgreSQL server the bot cannot use", () => {
  it("DATABASE_URL on a port that accepts and closes at once: one DATABASE_URL line, password masked", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    // Not PostgreSQL: anything that hangs up on pg's startup message (a proxy with no backend, a wrong service).
    const server = createServer((socket) => socket.destroy());
    server.listen(0, "127.0.0.1");
    await once(server, "listening");
    const { port } = server.address() as AddressInfo;
    try {
      const key = `1:${Buffer.alloc(32, 7).toString("base64")}`;
      const url = `postgresql://bot:hunter2@127.0.0.1:${port}/rust`;
      const run = await start({ DATA_DIR: join(cwd, "pg-closed"), DATABASE_URL: url, CREDS_ENCRYPTION_KEY: key });
      const line = expectOneLine(run, "DATABASE_URL");
      expect(line).toContain(`cannot reach the database at postgresql://bot:***@127.0.0.1:${port}/rust`);
      expect(line).not.toContain("hunter2");
    } finally {
      server.close();
    }
  });
});

