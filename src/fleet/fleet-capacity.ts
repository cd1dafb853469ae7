// How many Rust+ connection slots the whole fleet has to one Rust server, and how many are free: the distinct
// egress address identities of the processes alive now (heartbeat within the lease TTL), each good for `cap`
// sockets to that server, less the sockets their unexpired server leases hold. A process with no slot of its own
// asks this before telling an owner their server waits: while another process has a free slot, the wait is the
// scheduler's to resolve, not the owner's news.
import type { Prisma } from "../generated/prisma/client.ts";
import { sameFamily, slotsInUse } from "./slots.ts";

export interface FleetCapacity {
  /** The egress address identities of the processes alive now, sorted. */
  addresses: string[];
  /** Sockets to the server per identity (identities of dead processes whose leases have not expired included). */
  used: Map<string, number>;
  /** Free slots on alive addresses: Σ max(0, cap − used). */
  free: number;
}

/** The egress address identities of the processes whose heartbeat is younger than `ttlMs` (by the database's clock). */
export async function aliveAddresses(tx: Prisma.TransactionClient, ttlMs: number): Promise<string[]> {
  const rows = await tx.$queryRaw<{ identity: string }[]>`
    SELECT DISTINCT unnest(addresses) AS identity FROM "FleetProcess"
    WHERE "heartbeatAt" > now() - (${Math.round(ttlMs)}::int * interval '1 millisecond')
    ORDER BY identity`;
  return rows.map((r) => r.identity);
}

/** The fleet's slots to `rustServer` ("ip:port") under `cap` sockets per address; `ttlMs`: the lease TTL (ms). */
export async function fleetCapacity(tx: Prisma.TransactionClient, rustServer: string, cap: number, ttlMs: number): Promise<FleetCapacity> {
  // Addresses of the other IP family have no slot to this server (an IPv4 server on a dual-stack fleet).
  const ip = rustServer.slice(0, rustServer.lastIndexOf(":"));
  const addresses = (await aliveAddresses(tx, ttlMs)).filter((identity) => sameFamily(identity, ip));
  const used = await slotsInUse(tx, rustServer);
  const free = addresses.reduce((sum, identity) => sum + Math.max(0, cap - (used.get(identity) ?? 0)), 0);
  return { addresses, used, free };
}
