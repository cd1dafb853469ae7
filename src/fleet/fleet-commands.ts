// What `npm run fleet -- <command>` does, apart from opening the database (src/fleet/cli.ts):
//   cap <ip:port> <n>        the Rust server allows n Rust+ connections per address (1–1000; RustServerLimit)
//   cap <ip:port> default    back to RUSTPLUS_CONNECTIONS_PER_ADDRESS
//   status                   alive processes, servers waiting for a slot, slots used per Rust server and address
import { isIP } from "node:net";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { aliveAddresses } from "./fleet-capacity.ts";

export const FLEET_USAGE = "usage: npm run fleet -- cap <ip:port> <1-1000|default> | status";
export const MAX_CAP = 1_000;

export type FleetCommand = { kind: "cap"; ip: string; port: number; cap: number | null } | { kind: "status" };

/** Reads the command line (after `--`); `error` is one line saying what is wrong. */
export function parseFleetArgs(args: readonly string[]): FleetCommand | { error: string } {
  const [command, ...rest] = args;
  if (command === "status" && rest.length === 0) return { kind: "status" };
  if (command !== "cap") return { error: FLEET_USAGE };
  if (rest.length !== 2) return { error: "usage: npm run fleet -- cap <ip:port> <1-1000|default>" };
  const [where = "", value = ""] = rest;
  const server = parseServer(where);
  if ("error" in server) return server;
  if (value === "default") return { kind: "cap", ...server, cap: null };
  const cap = /^\d{1,4}$/.test(value) ? Number(value) : NaN;
  if (!(cap >= 1 && cap <= MAX_CAP)) return { error: `the cap must be a whole number from 1 to ${MAX_CAP}, or "default" (got ${JSON.stringify(value)})` };
  return { kind: "cap", ...server, cap };
}

/** "1.2.3.4:28082" or "[2001:db8::1]:28082" (the address the bot pairs with, as in PairedServer.ip). */
function parseServer(text: string): { ip: string; port: number } | { error: string } {
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const ip = match?.[1] ?? match?.[2] ?? "";
  const port = Number(match?.[3]);
  if (!match || !isIP(ip) || (match[1] !== undefined) !== (isIP(ip) === 6)) {
    return { error: `the server must be <ip>:<port>, e.g. 203.0.113.7:28082 or [2001:db8::1]:28082 (got ${JSON.stringify(text)})` };
  }
  if (!(port >= 1 && port <= 65_535)) return { error: `the port must be from 1 to 65535 (got ${match[3]})` };
  return { ip, port };
}

/** Sets (or with null removes) the Rust server's cap; returns the line to print. */
export async function setCap(prisma: PrismaClient, command: { ip: string; port: number; cap: number | null }, defaultCap: number): Promise<string> {
  const { ip, port, cap } = command;
  const where = isIP(ip) === 6 ? `[${ip}]:${port}` : `${ip}:${port}`;
  if (cap === null) {
    await prisma.rustServerLimit.deleteMany({ where: { ip, port } });
    return `${where}: back to the default of ${defaultCap} Rust+ connections per address.`;
  }
  await prisma.rustServerLimit.upsert({ where: { ip_port: { ip, port } }, create: { ip, port, connectionsPerAddress: cap }, update: { connectionsPerAddress: cap } });
  return `${where}: ${cap} Rust+ connection${cap === 1 ? "" : "s"} per address (takes effect as sockets open).`;
}

/**
 * The fleet as the database sees it: processes with a heartbeat within `ttlMs` (their host, pid, addresses and
 * leases held), live servers waiting for a slot, and per Rust server the sockets per address against its cap.
 */
export async function fleetStatus(prisma: PrismaClient, options: { ttlMs: number; defaultCap: number }): Promise<string[]> {
  const ttl = Math.round(options.ttlMs);
  const processes = await prisma.$queryRaw<{ id: string; host: string; pid: number; addresses: string[]; ago: number }[]>`
    SELECT id, host, pid, addresses, (extract(epoch FROM now() - "heartbeatAt") * 1000)::float8 AS ago FROM "FleetProcess"
    WHERE "heartbeatAt" > now() - (${ttl}::int * interval '1 millisecond') ORDER BY host, pid, id`;
  const held = await prisma.$queryRaw<{ holder: string; kind: string; n: bigint }[]>`
    SELECT holder, split_part(key, ':', 1) AS kind, count(*) AS n FROM "FleetLease"
    WHERE holder IS NOT NULL AND "expiresAt" > now() GROUP BY holder, kind ORDER BY holder, kind`;
  const slots = await prisma.$queryRaw<{ rustServer: string; egressAddress: string; n: bigint }[]>`
    SELECT "rustServer", "egressAddress", count(*) AS n FROM "FleetLease"
    WHERE "rustServer" IS NOT NULL AND "egressAddress" IS NOT NULL AND holder IS NOT NULL AND "expiresAt" > now()
    GROUP BY "rustServer", "egressAddress" ORDER BY "rustServer", "egressAddress"`;
  const waiting = await prisma.pairedServer.findMany({
    where: { slotWaitSince: { not: null }, live: true },
    select: { serverName: true, ip: true, port: true, userId: true, slotWaitSince: true },
    orderBy: { slotWaitSince: "asc" },
  });
  const limits = new Map((await prisma.rustServerLimit.findMany()).map((l) => [`${l.ip}:${l.port}`, l.connectionsPerAddress]));
  const alive = new Set(await prisma.$transaction((tx) => aliveAddresses(tx, ttl)));

  const lines = [`Processes alive (heartbeat within ${ttl / 1000} s): ${processes.length}`];
  for (const p of processes) {
    const mine = held.filter((h) => h.holder === p.id);
    const total = mine.reduce((sum, h) => sum + Number(h.n), 0);
    const kinds = mine.map((h) => `${h.kind} ${h.n}`).join(", ");
    lines.push(
      `  ${p.host} pid ${p.pid} (${p.id}) · addresses ${p.addresses.join(", ") || "none"} · leases ${total}${kinds ? ` (${kinds})` : ""} · heartbeat ${(p.ago / 1000).toFixed(1)} s ago`,
    );
  }
  lines.push(`Servers waiting for a connection slot: ${waiting.length}`);
  for (const w of waiting) lines.push(`  ${w.serverName || "(unnamed)"} (${w.ip}:${w.port}) · user ${w.userId} · since ${w.slotWaitSince!.toISOString()}`);
  const servers = [...new Set(slots.map((s) => s.rustServer))];
  lines.push(`Rust servers with open sockets: ${servers.length}`);
  for (const server of servers) {
    const cap = limits.get(server) ?? options.defaultCap;
    const used = slots.filter((s) => s.rustServer === server).map((s) => `${s.egressAddress} ${s.n}/${cap}${alive.has(s.egressAddress) ? "" : " (no alive process)"}`);
    lines.push(`  ${server} (cap ${cap}${limits.has(server) ? ", set" : ", default"}): ${used.join(", ")}`);
  }
  return lines;
}
