// What the connection manager asks the fleet before it opens or keeps a socket: whether this process holds the
// owner's `user:` lease (taking it at once when free), a `server:` lease with a slot on one of its addresses, and
// whether both are still valid when an event comes off the socket. Without a fleet (a manager on its own, as in
// tests of the manager), the process owns everything and binds to the default route.
import type { ClaimRefusal, EgressAddress } from "./types.ts";

/** A socket's slot: its lease fence and the address to bind to. */
export interface SocketSlot {
  fence: bigint;
  address: EgressAddress;
}

export interface SocketLeases {
  /** The owner's lease: already held here, or taken now when free (and the user's other work started). */
  claimUser(userId: string): Promise<true | ClaimRefusal>;
  /** The server's socket lease with a slot of its Rust server; a refusal says why not. */
  claimSocket(serverId: string, userId: string, ip: string, port: number): Promise<SocketSlot | ClaimRefusal>;
  /** Gives the socket's lease (and slot) back; never throws. */
  releaseSocket(serverId: string): void;
  /** Whether this process may act on the socket's events now (both leases valid on the monotonic clock). */
  valid(userId: string, serverId: string): boolean;
  /** Told when a server waits for a slot, and when it has one (SlotWaits). */
  noSlot(serverId: string, refusal: Extract<ClaimRefusal, { kind: "no-slot" }>): void;
  gotSlot(serverId: string): void;
}

const DEFAULT_ROUTE: EgressAddress = { bind: null, identity: "default" };

/** One process that owns every user and socket (no fleet). */
export const soloLeases: SocketLeases = {
  claimUser: () => Promise.resolve(true),
  claimSocket: () => Promise.resolve({ fence: 0n, address: DEFAULT_ROUTE }),
  releaseSocket: () => undefined,
  valid: () => true,
  noSlot: () => undefined,
  gotSlot: () => undefined,
};
