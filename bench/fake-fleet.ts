// A child process holding fake Rust servers for the live-connections benchmark, so their work and memory
// are not counted against the bot's process. Prints the ports as one JSON line; answers "stats" on stdin.
import { createInterface } from "node:readline";
import { FakeRustServer } from "../test/fakes/rustplus/index.ts";
import { fleetSteamId, fleetToken } from "./fleet-ids.ts";

const servers = Number(process.argv[2] ?? 400);
const playersPerServer = Number(process.argv[3] ?? 5);

const fleet: FakeRustServer[] = [];
for (let s = 0; s < servers; s++) {
  const players = Array.from({ length: playersPerServer }, (_, p) => ({ steamId: fleetSteamId(s, p), playerToken: fleetToken(s, p) }));
  fleet.push(await FakeRustServer.start({ players }));
}
process.stdout.write(`${JSON.stringify({ ports: fleet.map((f) => f.port) })}\n`);

const sum = (pick: (f: FakeRustServer) => number) => fleet.reduce((n, f) => n + pick(f), 0);
for await (const line of createInterface({ input: process.stdin })) {
  if (line.trim() !== "stats") continue;
  process.stdout.write(
    `${JSON.stringify({
      connections: sum((f) => f.connections),
      requests: sum((f) => Object.values(f.requests).reduce((a, b) => a + b, 0)),
      rateLimited: sum((f) => f.rateLimited),
      faults: sum((f) => f.faults.length),
    })}\n`,
  );
}
await Promise.all(fleet.map((f) => f.close()));
