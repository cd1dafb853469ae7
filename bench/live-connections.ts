// How many paired servers one process holds live: 2,000 rustplus.js sockets (400 fake servers × 5 players, the
// per-address limit, in a child process) restored from the database, then steady polling. Reports the time to
// connect, memory per connection (RSS and heap, after GC) and CPU while polling, and the fakes' rate_limit count.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { REST } from "@discordjs/rest";
import pino from "pino";
import { openDatabase } from "../src/db/client.ts";
import { buildKeyring, formatKey, generateKey, SecretBox } from "../src/db/crypto.ts";
import { Notifier } from "../src/notify/notifier.ts";
import { ConnectionManager } from "../src/rustplus/connection-manager.ts";
import { fleetSteamId, fleetToken } from "./fleet-ids.ts";
import type { BenchResult } from "./run.ts";

const SERVERS = Number(process.env["BENCH_LIVE_SERVERS"] ?? 2_000);
const PER_FAKE = 5;
const POLL_EVERY_MS = 10_000;
const STEADY_MS = 30_000;

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;
const MB = 1024 * 1024;

function memory() {
  gc();
  gc();
  const m = process.memoryUsage();
  return { rss: m.rss, heap: m.heapUsed + m.external + m.arrayBuffers };
}

export async function liveConnections(): Promise<BenchResult[]> {
  const fakes = Math.ceil(SERVERS / PER_FAKE);
  const child = spawn(process.execPath, ["--import", "tsx", "bench/fake-fleet.ts", String(fakes), String(PER_FAKE)], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async () => JSON.parse(((await lines.next()).value as string | undefined) ?? "null") as Record<string, unknown>;
  const { ports } = (await next()) as { ports: number[] };
  const stats = async () => {
    child.stdin.write("stats\n");
    return (await next()) as { connections: number; requests: number; rateLimited: number; faults: number };
  };

  const db = await openDatabase({ kind: "memory" });
  const secrets = new SecretBox(buildKeyring(formatKey(1, generateKey())));
  const logger = pino({ level: "warn" });
  const users = Array.from({ length: SERVERS }, (_, i) => ({ id: `bench-user-${i}`, steamId: fleetSteamId(Math.floor(i / PER_FAKE), i % PER_FAKE), displayName: `p${i}` }));
  await db.prisma.user.createMany({ data: users });
  await db.prisma.pairedServer.createMany({
    data: users.map((u, i) => {
      const sealed = secrets.seal("PairedServer.playerToken", String(fleetToken(Math.floor(i / PER_FAKE), i % PER_FAKE)));
      return { userId: u.id, serverName: `Fake ${i}`, ip: "127.0.0.1", port: ports[Math.floor(i / PER_FAKE)]!, playerSteamId: u.steamId, playerToken: sealed.ciphertext, playerTokenKeyVersion: sealed.keyVersion, live: true };
    }),
  });

  const manager = new ConnectionManager(db.prisma, secrets, new Notifier(db.prisma, logger, new REST()), logger, { infoEveryMs: POLL_EVERY_MS });
  const before = memory();
  const started = performance.now();
  await manager.restoreAll();
  while (manager.counts().connected < SERVERS) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    if (performance.now() - started > 180_000) throw new Error(`only ${manager.counts().connected} of ${SERVERS} connected after 3 minutes`);
  }
  const connectMs = performance.now() - started;
  const after = memory();

  // Steady state: every server's info and time polled every 10 s (the card refresh runs every 60 s in production).
  const requestsBefore = (await stats()).requests;
  const cpuBefore = process.cpuUsage();
  const wallBefore = performance.now();
  await new Promise((resolve) => setTimeout(resolve, STEADY_MS));
  const cpu = process.cpuUsage(cpuBefore);
  const wall = performance.now() - wallBefore;
  const fleet = await stats();
  const connected = manager.counts().connected;

  manager.stopAll();
  child.stdin.end();
  await once(child, "exit");
  await db.close();

  const perConn = (bytes: number) => `${((bytes / SERVERS) / 1024).toFixed(0)} KiB`;
  return [
    { name: "live paired servers held", figure: `${connected} / ${SERVERS}`, detail: `${fakes} fake servers × ${PER_FAKE} players, in a child process` },
    { name: "time to restore every connection", figure: `${(connectMs / 1000).toFixed(1)} s`, detail: "50 sockets opening at once, each proving its token with getInfo + getTime" },
    { name: "memory per live connection (RSS)", figure: perConn(after.rss - before.rss), detail: `RSS ${(before.rss / MB).toFixed(0)} → ${(after.rss / MB).toFixed(0)} MiB` },
    { name: "memory per live connection (heap+external)", figure: perConn(after.heap - before.heap), detail: `after GC, ${(before.heap / MB).toFixed(0)} → ${(after.heap / MB).toFixed(0)} MiB` },
    {
      name: "CPU at steady polling",
      figure: `${(((cpu.user + cpu.system) / 1000 / wall) * 100).toFixed(1)} %`,
      detail: `of one core; ${(((fleet.requests - requestsBefore) / wall) * 1000).toFixed(0)} requests/s over ${STEADY_MS / 1000} s`,
    },
    { name: "rate_limit errors from the fakes", figure: String(fleet.rateLimited), detail: `${fleet.requests} requests in all, ${fleet.faults} fake faults` },
  ];
}
