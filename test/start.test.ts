// `npm start` as a person runs it: through tsx, in a directory of its own, with only the environment given.
import { once } from "node:events";
import { createServer, type IncomingMessage } from "node:http";
import type { AddressInfo } from "node:net";
import { access, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openDatabase } from "../src/db/client.ts";
import { runToEnd, spawnTs } from "./helpers/spawn.ts";

// Spawns processes (tsx, migrations): well clear of the time it takes on a busy 2-core machine.
const SPAWN_TIMEOUT_MS = 180_000;

const cwd = await mkdtemp(join(tmpdir(), "start-"));
afterAll(() => rm(cwd, { recursive: true, force: true }));

const start = (env: Record<string, string>) => runToEnd(spawnTs("src/main.ts", [], { cwd, env: { DATA_DIR: join(cwd, "data"), ...env } }));
const noStack = (text: string) => expect(text).not.toMatch(/^\s+at /m);

describe("npm start", () => {
  it("without a token, says exactly what to put where, and exits", async () => {
    const run = await start({});
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("DISCORD_TOKEN is not set");
    expect(run.stderr).toContain("https://discord.com/developers/applications");
    expect(run.stderr).toContain("DISCORD_TOKEN=<the token>");
    expect(run.stderr).toContain(".env");
    noStack(run.stderr);
  });

  it("with a bad value, prints one line for it and no stack trace", async () => {
    const run = await start({ DISCORD_TOKEN: "a.b.c", WEB_PORT: "seventy" });
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split("\n")).toEqual(['Configuration error: WEB_PORT: must be a port number (got "seventy")']);
  });

  it("with a token, applies migrations and logs in to Discord at the configured REST URL", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    const requests: IncomingMessage[] = [];
    const discord = createServer((req, res) => {
      requests.push(req);
      res.writeHead(401, { "content-type": "application/json" }).end(JSON.stringify({ message: "401: Unauthorized", code: 0 }));
    });
    discord.listen(0, "127.0.0.1");
    await once(discord, "listening");
    const { port } = discord.address() as AddressInfo;
    try {
      const run = await start({ DISCORD_TOKEN: "MTIz.fake.token", DISCORD_REST_URL: `http://127.0.0.1:${port}/api` });
      expect(run.stdout).toContain("applied database migrations");
      expect(run.stdout).toContain("logging in to Discord");
      expect(run.stdout).not.toContain("MTIz.fake.token");
      expect(requests.map((r) => [r.method, r.url, r.headers.authorization])).toContainEqual(["GET", "/api/v10/gateway/bot", "Bot MTIz.fake.token"]);
      // The fake rejects the token: the bot says so plainly and stops.
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("Discord rejected DISCORD_TOKEN");
      noStack(run.stderr);
    } finally {
      discord.close();
    }
    // The data directory now holds a migrated database, and the process released it.
    const db = await openDatabase({ kind: "embedded", dataDir: join(cwd, "data") });
    expect(db.applied).toEqual([]);
    await db.close();
  });

  it("on SIGTERM closes Discord and the database and releases the data directory", { timeout: SPAWN_TIMEOUT_MS }, async () => {
    // A Discord that never answers keeps the bot in the middle of logging in.
    let gatewayAsked!: () => void;
    const asked = new Promise<void>((resolve) => (gatewayAsked = resolve));
    const discord = createServer(() => gatewayAsked());
    discord.listen(0, "127.0.0.1");
    await once(discord, "listening");
    const { port } = discord.address() as AddressInfo;
    const dataDir = join(cwd, "sigterm");
    try {
      const child = spawnTs("src/main.ts", [], {
        cwd,
        env: { DATA_DIR: dataDir, DISCORD_TOKEN: "MTIz.fake.token", DISCORD_REST_URL: `http://127.0.0.1:${port}/api` },
      });
      const finished = runToEnd(child);
      await asked;
      await access(join(dataDir, "bot.lock"));
      child.kill("SIGTERM");
      const run = await finished;
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('"reason":"SIGTERM"');
      expect(run.stdout).toContain("stopped");
      await expect(access(join(dataDir, "bot.lock"))).rejects.toThrow();
    } finally {
      discord.closeAllConnections();
      discord.close();
    }
  });
});
