// The per-address cap: a Rust server accepts at most `cap` Rust+ sockets from one address
// (app.maxconnectionsperip, 5 by default: Facepunch's server convar, see ../shared/research/rustplus.md). Every
// lease of a server socket records its Rust server and egress address; a new one is given an address only inside
// the transaction that writes it, under a transaction-scoped advisory lock per Rust server, so two processes
// choosing at once cannot both take the last slot.
import { isIP } from "node:net";
import type { Prisma } from "../generated/prisma/client.ts";

/** "ip:port" of a Rust server, the key of its slots. */
export const rustServerKey = (ip: string, port: number): string => `${ip}:${port}`;

/** Whether a socket from address `from` can reach `to`: the same IP family (an IPv6 source cannot reach an IPv4
 *  server, nor the other way round). Anything not an IP (the default route, a host name, `host:<name>`) may. */
export function sameFamily(from: string | null, to: string): boolean {
  return from === null || isIP(from) === 0 || isIP(to) === 0 || isIP(from) === isIP(to);
}

/** The cap for one Rust server: its RustServerLimit row when the operator set one, else `fallback`. */
export async function capFor(tx: Prisma.TransactionClient, ip: string, port: number, fallback: number): Promise<number> {
  const row = await tx.rustServerLimit.findUnique({ where: { ip_port: { ip, port } }, select: { connectionsPerAddress: true } });
  return row?.connectionsPerAddress ?? fallback;
}

/** Live sockets per egress address identity to `rustServer` (unexpired, held leases), except `exceptKey`'s. */
export async function slotsInUse(tx: Prisma.TransactionClient, rustServer: string, exceptKey?: string): Promise<Map<string, number>> {
  const rows = await tx.$queryRaw<{ egressAddress: string | null; n: bigint }[]>`
    SELECT "egressAddress", count(*) AS n FROM "FleetLease"
    WHERE "rustServer" = ${rustServer} AND holder IS NOT NULL AND "expiresAt" > now() AND key <> ${exceptKey ?? ""}
    GROUP BY "egressAddress"`;
  return new Map(rows.filter((r) => r.egressAddress !== null).map((r) => [r.egressAddress!, Number(r.n)]));
}

/**
 * Takes the Rust server's slot lock for the rest of `tx`, then picks the least used of `identities` that is
 * under `cap`; null when all are full. Call it in the transaction that writes the lease with the answer.
 */
export async function pickAddress(
  tx: Prisma.TransactionClient,
  input: { rustServer: string; identities: readonly string[]; cap: number; exceptKey?: string },
): Promise<string | null> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"rust-slot:" + input.rustServer}))`;
  const used = await slotsInUse(tx, input.rustServer, input.exceptKey);
  let best: { identity: string; n: number } | null = null;
  for (const identity of input.identities) {
    const n = used.get(identity) ?? 0;
    if (n < input.cap && (!best || n < best.n)) best = { identity, n };
  }
  return best?.identity ?? null;
}
