// This process's part of the fleet: every FLEET_LEASE_TTL_MS/3 the leases are renewed and the work of any lost
// one stopped, on a timer of its own so that a slow round (opening dozens of sockets on a busy machine) never
// lets them lapse; and every FLEET_LEASE_TTL_MS/3 (and at once when another process gives work back) a round
// claims users with live work whose lease is free — a fair share of them, ceil(users / live processes), so the
// users spread over the processes.
// Holding `user:<id>` means running that user's push listener and their live servers' sockets (each with its
// own `server:` lease and slot); holding `job:intel-poll` means running the player-intel poll.
import { performance } from "node:perf_hooks";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import type { PushListener, PushOwnership } from "../rustplus/push-listener.ts";
import { realTimers, type Timers } from "../rustplus/timers.ts";
import type { LeaseKeeper } from "./lease-keeper.ts";
import { listenForLeases } from "./lease-wakeup.ts";
import type { SocketLeases } from "./socket-leases.ts";
import { leaseKey, type ClaimRefusal, type EgressAddress, type HeldLease, type SlotWaits } from "./types.ts";

export const INTEL_JOB = "intel-poll";

/** Slot waits before src/fleet/slot-waits.ts: nothing recorded, nothing told. */

/** The fleet's clock: monotonic (performance.now), its timers unref'd like the connections'. */
export const fleetTimers: Timers = { ...realTimers, now: () => performance.now() };

export interface FleetDeps {
  prisma: PrismaClient;
  logger: Logger;
  keeper: LeaseKeeper;
  addresses: readonly EgressAddress[];
  rust: ConnectionManager;
  pushes: PushListener;
  /** The player-intel poll: started while this process holds its job lease (returns its stop function). */
  intel: { start(): () => void };
  slotWaits?: SlotWaits;
  /** Rounds' timers (the keeper's clock is set apart). */
  timers?: Timers;
  /** PostgreSQL URL for LISTEN (absent: embedded database, one process). */
  listenUrl?: string;
}

/** What the bot exposes of its fleet part (readiness, tests). */
export interface FleetView {
  processId: string;
  leases: { held(): HeldLease[] };
  /** The last renewal succeeded within the TTL. */
  healthy(): boolean;
  /** Runs a round now (or after the one running) and resolves when it is done. */
  round(): Promise<void>;
}

const userOf = (key: string) => (key.startsWith("user:") ? key.slice("user:".length) : undefined);
const serverOf = (key: string) => (key.startsWith("server:") ? key.slice("server:".length) : undefined);

export class Fleet implements FleetView {
  readonly processId: string;
  readonly leases: { held(): HeldLease[] };
  readonly #d: FleetDeps;
  readonly #timers: Timers;
  readonly #log: Logger;
  #timer: unknown;
  #renewTimer: unknown;
  #renewing: Promise<void> | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #waiters: Array<() => void> = [];
  #stopped = true;
  #stopIntel: (() => void) | undefined;
  #closeListen: (() => Promise<void>) | undefined;

  constructor(deps: FleetDeps) {
    this.#d = deps;
    this.#timers = deps.timers ?? fleetTimers;
    this.#log = deps.logger;
    this.processId = deps.keeper.processId;
    this.leases = { held: () => deps.keeper.held() };
  }

  healthy(): boolean {
    return this.#d.keeper.healthy();
  }

  /** Registers the process, listens for releases (PostgreSQL), runs the first round and schedules the next ones. */
  async start(shards: readonly number[]): Promise<void> {
    this.#stopped = false;
    await this.#d.keeper.register(shards);
    if (this.#d.listenUrl) {
      this.#closeListen = await listenForLeases(this.#d.listenUrl, this.#log, () => this.#timers.setTimeout(() => this.#wakeSoon(), 0)).catch((err: unknown) => {
        this.#log.warn({ err }, "cannot LISTEN for the fleet's releases: takeovers wait for the next round");
        return undefined;
      });
    }
    await this.round();
  }

  round(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiters.push(resolve);
      this.#wake();
    });
  }

  #wakeSoon(): void {
    this.#again = true;
    this.#wake();
  }

  /** No more rounds (shutdown, before the sockets stop). */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#timers.clearTimeout(this.#timer);
    this.#timers.clearTimeout(this.#renewTimer);
    await this.#closeListen?.();
    await this.#renewing;
    await this.#running;
    for (const resolve of this.#waiters.splice(0)) resolve();
  }

  /** Shutdown, once the sockets and push listeners are stopped: every lease given back, the process row deleted. */
  async releaseAll(): Promise<void> {
    this.#stopIntel?.();
    for (const lease of this.#d.keeper.held()) this.#logWork(lease.key, "released");
    await this.#d.keeper.releaseAll();
  }

  #wake(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop();
  }

  async #loop(): Promise<void> {
    // Before start() (and after stop()) there are no rounds: those waiting for one wait for start().
    while (!this.#stopped && (this.#again || this.#waiters.length)) {
      this.#again = false;
      const waiters = this.#waiters.splice(0);
      await this.#round().catch((err: unknown) => this.#log.warn({ err }, "a fleet round failed"));
      for (const resolve of waiters) resolve();
    }
    this.#running = undefined;
    if (!this.#stopped) {
      this.#timers.clearTimeout(this.#timer);
      this.#timer = this.#timers.setTimeout(() => this.#wakeSoon(), Math.floor(this.#d.keeper.ttlMs / 3));
    }
  }

  /** Renews the leases now, then every TTL/3 until stop(); a renewal never waits for a round. */
  #renew(): Promise<void> {
    this.#renewing ??= this.#renewOnce()
      .catch((err: unknown) => this.#log.warn({ err }, "renewing the fleet's leases failed"))
      .finally(() => {
        this.#renewing = undefined;
        if (this.#stopped) return;
        this.#timers.clearTimeout(this.#renewTimer);
        this.#renewTimer = this.#timers.setTimeout(() => void this.#renew(), Math.floor(this.#d.keeper.ttlMs / 3));
      });
    return this.#renewing;
  }

  async #renewOnce(): Promise<void> {
    const { keeper } = this.#d;
    // Lapsed on the local clock (a pause, failed renewals): stopped before anything else, synchronously (after a
    // SIGCONT this timer is due with the sockets' buffered data); the next round takes the work again with the
    // same fence when nobody else took it meanwhile.
    const lapsed = keeper.lapsed();
    for (const key of lapsed) {
      keeper.forget(key);
      this.#lost(key);
    }
    const lost = await keeper.renew();
    for (const key of lost) this.#lost(key);
    if ((lapsed.length || lost.length) && !this.#stopped) this.#wakeSoon();
  }

  async #round(): Promise<void> {
    const { keeper, prisma, rust, pushes } = this.#d;
    // A round starts from renewed leases (and none lapsed): it renews now, or joins the renewal under way.
    await this.#renew();

    const candidates = new Set(
      (
        await prisma.$queryRaw<{ userId: string }[]>`
          SELECT "userId" FROM "PairedServer" WHERE live AND "needsRepairSince" IS NULL
          UNION SELECT "userId" FROM "FcmCredential"`
      ).map((r) => r.userId),
    );
    for (const userId of this.#heldUsers()) if (!candidates.has(userId)) await this.#releaseUser(userId, "no live work");

    const share = Math.ceil(candidates.size / (await keeper.aliveProcesses()));
    const mine = this.#heldUsers();
    // More than a fair share (another process joined): the excess is given back for the others to take.
    for (const userId of mine.slice(share)) await this.#releaseUser(userId, "fair share");
    let count = Math.min(mine.length, share);
    if (count < share) {
      const busy = new Set(
        (
          await prisma.$queryRaw<{ key: string }[]>`
            SELECT key FROM "FleetLease" WHERE key LIKE 'user:%' AND holder IS NOT NULL AND holder <> ${keeper.processId} AND "expiresAt" > now()`
        ).map((r) => r.key),
      );
      const free = shuffle([...candidates].filter((u) => !keeper.get(leaseKey.user(u)) && !busy.has(leaseKey.user(u))));
      for (const userId of free) {
        if (count >= share) break;
        if ((await this.#takeUser(userId)) === true) count++;
      }
    }

    const job = leaseKey.job(INTEL_JOB);
    if (!keeper.valid(job) && !("kind" in (await keeper.acquire(job)))) {
      this.#log.info({ job: INTEL_JOB }, "took over");
      this.#stopIntel = this.#d.intel.start();
    }

    await rust.syncUsers(new Set(this.#heldUsers()));
    await pushes.sync();
  }

  #heldUsers(): string[] {
    return this.#d.keeper
      .held()
      .map((l) => userOf(l.key))
      .filter((u): u is string => u !== undefined);
  }

  async #takeUser(userId: string): Promise<true | ClaimRefusal> {
    const key = leaseKey.user(userId);
    if (this.#d.keeper.valid(key)) return true;
    const lease = await this.#d.keeper.acquire(key);
    if ("kind" in lease) return lease;
    this.#log.info({ userId, fence: String(lease.fence) }, "took over");
    return true;
  }

  /** Stops a user's work (sockets first, then the push listener), then gives the lease back. */
  async #releaseUser(userId: string, reason: string): Promise<void> {
    this.#d.rust.dropUser(userId);
    this.#d.pushes.stop(userId);
    this.#log.info({ userId, reason }, "released");
    await this.#d.keeper.release([leaseKey.user(userId)]);
  }

  /** The work under a lease that is no longer ours stops now, unheard. */
  #lost(key: string): void {
    this.#logWork(key, "lost lease", "warn");
    const userId = userOf(key);
    if (userId) {
      this.#d.rust.dropUser(userId);
      this.#d.pushes.stop(userId);
    }
    const serverId = serverOf(key);
    if (serverId) this.#d.rust.dropServer(serverId);
    if (key === leaseKey.job(INTEL_JOB)) {
      this.#stopIntel?.();
      this.#stopIntel = undefined;
    }
  }

  #logWork(key: string, msg: string, level: "info" | "warn" = "info"): void {
    const userId = userOf(key);
    const serverId = serverOf(key);
    this.#log[level]({ ...(userId && { userId }), ...(serverId && { serverId, userId: this.#d.rust.ownerOf(serverId) }), ...(!userId && !serverId && { lease: key }) }, msg);
  }

  /** The connection manager's view of the leases. */
  readonly socketLeases: SocketLeases = {
    claimUser: async (userId) => {
      const held = this.#d.keeper.valid(leaseKey.user(userId));
      const outcome = await this.#takeUser(userId);
      if (outcome === true && !held) void this.#d.pushes.restart(userId).catch((err: unknown) => this.#log.error({ err, userId }, "starting a push listener failed"));
      // The holder opens it at once instead of at its next round.
      if (outcome !== true) await this.#d.keeper.nudge(leaseKey.user(userId)).catch(() => undefined);
      return outcome;
    },
    claimSocket: async (serverId, userId, ip, port) => {
      const lease = await this.#d.keeper.acquire(leaseKey.server(serverId), { ip, port });
      if ("kind" in lease) return lease;
      const address = this.#d.addresses.find((a) => a.identity === lease.egressAddress) ?? this.#d.addresses[0]!;
      this.#log.info({ serverId, userId, egressAddress: address.identity, fence: String(lease.fence) }, "took over");
      return { fence: lease.fence, address };
    },
    releaseSocket: (serverId) => {
      void this.#d.keeper.release([leaseKey.server(serverId)]).catch((err: unknown) => this.#log.warn({ err, serverId }, "releasing a socket lease failed"));
    },
    valid: (userId, serverId) => this.#d.keeper.valid(leaseKey.user(userId)) && this.#d.keeper.valid(leaseKey.server(serverId)),
    noSlot: (serverId, refusal) => {
      this.#d.slotWaits
        ?.noSlot(serverId, { rustServer: refusal.rustServer, cap: refusal.cap, addressesInFleet: refusal.addresses })
        .catch((err: unknown) => this.#log.warn({ err, serverId }, "recording a slot wait failed"));
    },
    gotSlot: (serverId) => {
      this.#d.slotWaits?.gotSlot(serverId).catch((err: unknown) => this.#log.warn({ err, serverId }, "clearing a slot wait failed"));
    },
  };

  /** The push listener's view of the user leases. */
  readonly pushOwnership: PushOwnership = {
    holds: (userId) => this.#d.keeper.valid(leaseKey.user(userId)),
    claim: async (userId) => (await this.#takeUser(userId)) === true,
    valid: (userId) => this.#d.keeper.valid(leaseKey.user(userId)),
  };
}

function shuffle<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}
