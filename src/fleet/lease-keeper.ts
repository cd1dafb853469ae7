// This process's FleetLease rows: taking, renewing and giving back the leases that say which process owns which
// piece of live work. The database's clock decides expiry (expiresAt vs now()), so processes on machines with
// different clocks agree; this process's own monotonic clock decides when it must stop acting (validUntilMs),
// so after a pause longer than the TTL it knows at once, before any renewal, that the work may be someone else's.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { performance } from "node:perf_hooks";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { capFor, pickAddress, rustServerKey, sameFamily } from "./slots.ts";
import type { ClaimRefusal, EgressAddress, HeldLease } from "./types.ts";

/** The channel a release is announced on (PostgreSQL NOTIFY), so other processes claim the work at once. */
export const LEASE_CHANNEL = "fleet_lease";

export interface LeaseKeeperOptions {
  /** Lease lifetime in ms (FLEET_LEASE_TTL_MS). */
  ttlMs: number;
  /** This process's egress addresses (RUSTPLUS_EGRESS_ADDRESSES, parsed). */
  addresses: readonly EgressAddress[];
  /** Sockets per (Rust server, address) when the server has no RustServerLimit row. */
  connectionsPerAddress: number;
  /** Announces releases to other processes (PostgreSQL); nothing to tell with one process. */
  notify?: boolean;
  /** No other process can open this database (the embedded one: its data directory is locked), so every other
   *  holder is a process that died without giving its work back: register() frees its leases at once. */
  soleProcess?: boolean;
  /** Monotonic clock in ms (performance.now by default). */
  now?: () => number;
  processId?: string;
  logger: Logger;
}

/** A lease's Rust server, for `server:` keys: the slot it counts against. */
export interface SocketTarget {
  ip: string;
  port: number;
}

export class LeaseKeeper {
  readonly processId: string;
  readonly #held = new Map<string, HeldLease>();
  readonly #now: () => number;
  /** Monotonic time the last successful renewal started. */
  #renewedAt: number | undefined;
  #registered = false;

  constructor(
    private readonly prisma: PrismaClient,
    private readonly options: LeaseKeeperOptions,
  ) {
    this.processId = options.processId ?? randomUUID();
    this.#now = options.now ?? (() => performance.now());
  }

  get ttlMs(): number {
    return this.options.ttlMs;
  }

  /** A tenth of the TTL: what the local clock keeps in hand against the database's (clock rates, the query's time). */
  get #marginMs(): number {
    return Math.ceil(this.options.ttlMs / 10);
  }

  now(): number {
    return this.#now();
  }

  /** Writes (or refreshes) this process's FleetProcess row: host, pid, addresses' identities, shards. */
  async register(shards: readonly number[] = []): Promise<void> {
    const data = { host: hostname(), pid: process.pid, addresses: this.options.addresses.map((a) => a.identity), shards: [...shards], heartbeatAt: new Date() };
    await this.prisma.$executeRaw`
      INSERT INTO "FleetProcess" (id, host, pid, addresses, shards, "startedAt", "heartbeatAt")
      VALUES (${this.processId}, ${data.host}, ${data.pid}, ${data.addresses}, ${data.shards}, now(), now())
      ON CONFLICT (id) DO UPDATE SET host = EXCLUDED.host, pid = EXCLUDED.pid, addresses = EXCLUDED.addresses, shards = EXCLUDED.shards, "heartbeatAt" = now()`;
    if (this.options.soleProcess) {
      // After a kill -9, a crash or a power cut, the live servers are back at start, not a TTL later (and their
      // slots are not counted against the cap meanwhile).
      await this.prisma.$executeRaw`
        UPDATE "FleetLease" SET holder = NULL, "expiresAt" = now() WHERE holder IS NOT NULL AND holder <> ${this.processId}`;
      await this.prisma.fleetProcess.deleteMany({ where: { id: { not: this.processId } } });
    }
    this.#registered = true;
    this.#renewedAt ??= this.#now();
  }

  /**
   * Takes `key` when it is free, expired (database time) or already ours, in one transaction; the fence goes up
   * by one whenever the holder changes. With `socket`, the lease also takes a slot of that Rust server on one of
   * this process's addresses (under the server's cap): refused with `no-slot` when every address is full.
   * Returns the held lease, or why not (`held-elsewhere` names the holder's process id).
   */
  async acquire(key: string, socket?: SocketTarget): Promise<HeldLease | ClaimRefusal> {
    const started = this.#now();
    const ttl = this.options.ttlMs;
    const me = this.processId;
    const outcome = await this.prisma.$transaction(async (tx): Promise<ClaimRefusal | { fence: bigint; egress: string | null }> => {
      let rustServer: string | null = null;
      let egress: string | null = null;
      if (socket) {
        rustServer = rustServerKey(socket.ip, socket.port);
        const cap = await capFor(tx, socket.ip, socket.port, this.options.connectionsPerAddress);
        const identities = this.options.addresses.filter((a) => sameFamily(a.bind, socket.ip)).map((a) => a.identity);
        egress = await pickAddress(tx, { rustServer, identities, cap, exceptKey: key });
        if (egress === null) {
          const holder = await this.#otherHolder(tx, key);
          return holder ? { kind: "held-elsewhere", holder } : { kind: "no-slot", rustServer, cap, addresses: identities.length };
        }
      }
      const rows = await tx.$queryRaw<{ fence: bigint }[]>`
        INSERT INTO "FleetLease" AS l (key, holder, fence, "expiresAt", "acquiredAt", "rustServer", "egressAddress")
        VALUES (${key}, ${me}, 1, now() + ${ttl} * interval '1 millisecond', now(), ${rustServer}, ${egress})
        ON CONFLICT (key) DO UPDATE SET
          holder = EXCLUDED.holder,
          fence = l.fence + CASE WHEN l.holder IS DISTINCT FROM EXCLUDED.holder THEN 1 ELSE 0 END,
          "acquiredAt" = CASE WHEN l.holder IS DISTINCT FROM EXCLUDED.holder THEN now() ELSE l."acquiredAt" END,
          "expiresAt" = EXCLUDED."expiresAt",
          "rustServer" = EXCLUDED."rustServer",
          "egressAddress" = EXCLUDED."egressAddress"
        WHERE l.holder IS NULL OR l."expiresAt" <= now() OR l.holder = EXCLUDED.holder
        RETURNING fence`;
      if (!rows[0]) return { kind: "held-elsewhere", holder: (await this.#otherHolder(tx, key)) ?? "unknown" };
      return { fence: BigInt(rows[0].fence), egress };
    });
    if ("kind" in outcome) return outcome;
    const lease: HeldLease = { key, fence: outcome.fence, egressAddress: outcome.egress, validUntilMs: started + ttl - this.#marginMs };
    this.#held.set(key, lease);
    return lease;
  }

  async #otherHolder(tx: Pick<PrismaClient, "$queryRaw">, key: string): Promise<string | null> {
    const rows = await tx.$queryRaw<{ holder: string }[]>`
      SELECT holder FROM "FleetLease" WHERE key = ${key} AND holder IS NOT NULL AND holder <> ${this.processId} AND "expiresAt" > now()`;
    return rows[0]?.holder ?? null;
  }

  /**
   * Extends every held lease by the TTL in one UPDATE and beats this process's heartbeat. Returns the keys the
   * database no longer gives us (taken over after they expired): they are dropped here, and the work under them
   * must stop now. Throws when the database cannot be reached (the leases then lapse on the local clock).
   */
  async renew(): Promise<string[]> {
    const started = this.#now();
    const keys = [...this.#held.keys()];
    const ttl = this.options.ttlMs;
    const kept = new Set<string>();
    if (keys.length) {
      const rows = await this.prisma.$queryRaw<{ key: string }[]>`
        UPDATE "FleetLease" SET "expiresAt" = now() + ${ttl} * interval '1 millisecond'
        WHERE holder = ${this.processId} AND key = ANY(${keys}::text[]) RETURNING key`;
      for (const r of rows) kept.add(r.key);
    }
    if (this.#registered) {
      const { count } = await this.prisma.fleetProcess.updateMany({ where: { id: this.processId }, data: { heartbeatAt: new Date() } });
      if (count === 0) await this.register();
    }
    const lost: string[] = [];
    for (const key of keys) {
      const lease = this.#held.get(key);
      if (!lease) continue; // released while the renewal ran
      if (kept.has(key)) lease.validUntilMs = started + ttl - this.#marginMs;
      else {
        this.#held.delete(key);
        lost.push(key);
      }
    }
    this.#renewedAt = started;
    return lost;
  }

  /** Gives leases back at once (holder NULL, expired now) and tells the other processes. */
  async release(keys: readonly string[]): Promise<void> {
    const mine = keys.filter((k) => this.#held.delete(k));
    if (!mine.length) return;
    await this.prisma.$executeRaw`
      UPDATE "FleetLease" SET holder = NULL, "expiresAt" = now() WHERE holder = ${this.processId} AND key = ANY(${mine}::text[])`;
    if (this.options.notify) await this.prisma.$executeRaw`SELECT pg_notify(${LEASE_CHANNEL}, ${mine.join(",").slice(0, 7000)})`;
  }

  /** Shutdown: every lease given back and this process's row deleted. */
  async releaseAll(): Promise<void> {
    await this.release([...this.#held.keys()]);
    await this.prisma.fleetProcess.deleteMany({ where: { id: this.processId } });
    this.#registered = false;
  }

  /** Forgets a lease locally (its validity lapsed): the row stays until it expires or is renewed by nobody. */
  forget(key: string): void {
    this.#held.delete(key);
  }

  /** Asks every process to run a round now (PostgreSQL), e.g. when a user's work is held by another one. */
  async nudge(key: string): Promise<void> {
    if (this.options.notify) await this.prisma.$executeRaw`SELECT pg_notify(${LEASE_CHANNEL}, ${key})`;
  }

  held(): HeldLease[] {
    return [...this.#held.values()].map((l) => ({ ...l }));
  }

  get(key: string): HeldLease | undefined {
    return this.#held.get(key);
  }

  /** Whether this process may act on `key`'s work now: held and within its validity on the monotonic clock. */
  valid(key: string): boolean {
    const lease = this.#held.get(key);
    return lease !== undefined && lease.validUntilMs > this.#now();
  }

  /** Keys whose validity ran out on the local clock (a renewal failed or the process was paused). */
  lapsed(): string[] {
    const now = this.#now();
    return [...this.#held.values()].filter((l) => l.validUntilMs <= now).map((l) => l.key);
  }

  /** The last renewal succeeded within the TTL. */
  healthy(): boolean {
    return this.#renewedAt !== undefined && this.#now() - this.#renewedAt < this.options.ttlMs;
  }

  /** Processes whose heartbeat is within the TTL (database time), this one included; at least 1. */
  async aliveProcesses(): Promise<number> {
    const rows = await this.prisma.$queryRaw<{ n: bigint }[]>`
      SELECT count(*) AS n FROM "FleetProcess" WHERE "heartbeatAt" > now() - ${this.options.ttlMs} * interval '1 millisecond' OR id = ${this.processId}`;
    return Math.max(1, Number(rows[0]?.n ?? 1));
  }
}
