// Contracts of the fleet: which process owns which piece of live work (FleetLease rows), and the egress
// addresses a process binds its Rust+ sockets to. See prisma/schema.prisma (FleetLease, FleetProcess,
// RustServerLimit) and README "Running a fleet".
import { hostname } from "node:os";

/** An egress address of this process: `bind` is the local source address (null: the system's default route);
 *  `identity` is the address the Rust server sees, the unit of its per-address cap. */
export interface EgressAddress {
  bind: string | null;
  identity: string;
}

/** Parses RUSTPLUS_EGRESS_ADDRESSES entries ("10.0.0.5" or "10.0.0.5=203.0.113.7", already validated by config);
 *  none: one address, the default route, counted per machine (`host:<hostname>`). */
export function egressAddresses(entries: readonly string[], host: string = hostname()): EgressAddress[] {
  if (!entries.length) return [{ bind: null, identity: `host:${host}` }];
  const seen = new Map<string, EgressAddress>();
  for (const entry of entries) {
    const [bind = "", identity = bind] = entry.split("=").map((s) => s.trim());
    if (!seen.has(identity)) seen.set(identity, { bind, identity });
  }
  return [...seen.values()];
}

/**
 * FleetLease keys. The unit of ownership is the user (`user:`): one process holds a user's push listener and all
 * their live servers' sockets, so what pairs a push with a socket event (an alarm seen both ways, a death) stays
 * in one process as it always was. Each open socket also holds a `server:` lease carrying its Rust server and
 * egress address (the per-address cap), held by the same process. `job:` is a fleet-wide singleton (the intel poll).
 */
export const leaseKey = {
  user: (userId: string) => `user:${userId}`,
  server: (pairedServerId: string) => `server:${pairedServerId}`,
  push: (userId: string) => `push:${userId}`,
  job: (name: string) => `job:${name}`,
} as const;

/** A lease this process holds. `validUntilMs` is on this process's monotonic clock (performance.now()): the
 *  process acts on the work only before it, so after a pause (SIGSTOP, a long GC) longer than the TTL it knows
 *  at once that the lease may be someone else's, before touching the socket. */
export interface HeldLease {
  key: string;
  fence: bigint;
  /** The egress address identity the socket counts against (server leases only). */
  egressAddress: string | null;
  validUntilMs: number;
}

/** Why a server socket could not be given to this process. */
export type ClaimRefusal =
  /** Another live process holds it. */
  | { kind: "held-elsewhere"; holder: string }
  /** Every (Rust server, address) slot this process has is at the cap. */
  | { kind: "no-slot"; rustServer: string; cap: number; addresses: number };

/** Told when a server waits for a slot anywhere in the fleet, and when it gets one (src/fleet/slot-waits.ts). */
export interface SlotWaits {
  /** No process of the fleet has a free slot for this server: record `slotWaitSince` and tell the owner once. */
  noSlot(pairedServerId: string, info: { rustServer: string; cap: number; addressesInFleet: number }): Promise<void>;
  /** The server's socket opened: clear `slotWaitSince` (and say so, when the owner was told it waits). */
  gotSlot(pairedServerId: string): Promise<void>;
}
