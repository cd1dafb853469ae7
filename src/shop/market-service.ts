// The shop market of every server this process polls (a MarketFeed for ServerEvents): each getMapMarkers answer is
// parsed (vending-schema.ts), diffed (market.ts), written to ShopMarket when the listing changed (or to refresh its
// observedAt), and given to the listeners (tracked-item alerts, own shops' undercut, price history) in poll order.
import { z } from "zod";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Timers } from "../rustplus/timers.ts";
import { KeyedQueue, WorkSet } from "../work-set.ts";
import { Market } from "./market.ts";
import type { MarketFeed, MarketListener, MarketUpdate, VendingMachine } from "./types.ts";
import { parseVendingMachines, sellOrderSchema } from "./vending-schema.ts";

/** An unchanged listing is written again at most this often (ms), so the stored observedAt tells how fresh it is. */
export const REFRESH_OBSERVED_EVERY_MS = 5 * 60_000;
/**
 * A changed listing is written at most this often (ms). A busy server's listing changes at nearly every poll and
 * weighs ~1 KB per machine (500 KB for 500 machines): written every 12 s for 100 servers that is megabytes a second.
 * This process answers from memory meanwhile (listing), and the last change is written when the session ends.
 */
export const WRITE_EVERY_MS = 60_000;
/**
 * A process that does not poll a server (sharded: the session runs in the process owning the owner's shard) reads
 * the stored listing as live while the server is meant to be connected (PairedServer.live, not refused) and the
 * poller confirmed it within REFRESH_OBSERVED_EVERY_MS plus this slack (ms): a poll interval and a slow write.
 */
export const LIVE_ELSEWHERE_SLACK_MS = 2 * 60_000;

/** A server's listing (ShopMarket, or this process's market while it polls the server). */
export interface Listing {
  machines: VendingMachine[];
  /** When a poll last confirmed the listing (it is "as of" then). */
  observedAt: Date;
  /** False while the server sends no vending machines on a map with NPC shops: the listing is the last one seen. */
  reported: boolean;
  /**
   * A session polls the server now: in this process, or (a server this process does not poll) in another, as told by
   * a fresh stored listing of a server meant to be connected. False: the listing is kept from before, frozen.
   */
  live: boolean;
}

const storedMachine = z.object({
  markerId: z.number().int().min(0),
  x: z.number().finite(),
  y: z.number().finite(),
  name: z.string(),
  outOfStock: z.boolean(),
  npc: z.boolean(),
  orders: z.array(sellOrderSchema),
});

export interface ShopMarketsDeps {
  prisma: PrismaClient;
  logger: Logger;
  /** Accepted like the other services'; every time comes from the poll (observe's `now`). */
  timers?: Timers | undefined;
  /** Default REFRESH_OBSERVED_EVERY_MS. */
  refreshEveryMs?: number | undefined;
  /** Default WRITE_EVERY_MS. */
  writeEveryMs?: number | undefined;
}

interface StoreJob {
  /** Null: nothing believed in this process yet (a frozen first answer): the stored machines stay. */
  machines: VendingMachine[] | null;
  reported: boolean;
  observedAt: number;
  /** The server's wipe (ms; 0 = unknown): stored machines observed before it are an earlier wipe's. */
  wipeAt: number;
}

/** One server's market in this process: kept across reconnects (the freeze); a new process seeds from its first answer. */
interface ServerMarket {
  market: Market;
  /** The service's logger with the server's id: made once, not at every poll. */
  log: Logger;
  /** A session is polling (observe seen since the last ended). */
  live: boolean;
  /** The last believed answer (ms), or null before one. */
  observedAt: number | null;
  reported: boolean;
  /** The listing changed since it was last written. */
  dirty: boolean;
  /** When it was last written (ms), and whether as reported; null before the first write. */
  written: { at: number; reported: boolean } | null;
  /** The wipe (ms) the listing belongs to. */
  wipeAt: number;
  /** A new wipe began and nothing was believed since: the stored machines are the old wipe's, written as none. */
  wiped: boolean;
}

/** Why a server's state goes: see ShopMarkets.onForget. */
export type ForgetReason = "wipe" | "forget";
export type Forgetter = (serverId: string, reason: ForgetReason) => unknown;

export class ShopMarkets implements MarketFeed {
  readonly #servers = new Map<string, ServerMarket>();
  readonly #listeners: MarketListener[] = [];
  readonly #forgetters: Forgetter[] = [];
  readonly #work: WorkSet;
  readonly #queues: KeyedQueue;
  readonly #refreshEveryMs: number;
  readonly #writeEveryMs: number;

  constructor(private readonly deps: ShopMarketsDeps) {
    this.#refreshEveryMs = deps.refreshEveryMs ?? REFRESH_OBSERVED_EVERY_MS;
    this.#writeEveryMs = deps.writeEveryMs ?? WRITE_EVERY_MS;
    this.#work = new WorkSet((err) => deps.logger.error({ err }, "shop market work failed"));
    this.#queues = new KeyedQueue(this.#work, (err, serverId) => deps.logger.error({ err, serverId }, "shop market update failed"));
  }

  /** Adds a listener: called with every MarketUpdate, one after another per server in poll order; errors are logged. */
  onUpdate(listener: MarketListener): void {
    this.#listeners.push(listener);
  }

  /**
   * Adds what to call when a server's memory goes (forget) or a new wipe starts: a listener keeping per-server state
   * drops it, so nothing is compared across wipes or kept for a server no longer polled. Called in the server's
   * update order (after the updates before it, and awaited before the next); `reason` "wipe" at a new wipe (marker ids
   * start again, so anything kept by marker id is stale; also at a process's first answer when the stored listing was
   * observed before the server's wipe), "forget" when the server's memory goes.
   */
  onForget(forget: Forgetter): void {
    this.#forgetters.push(forget);
  }

  observe(input: Parameters<MarketFeed["observe"]>[0]): void {
    const { serverId, now } = input;
    let server = this.#servers.get(serverId);
    // Only a later known wipe counts: a wipe time absent (0) from one answer, or going back, is not a new wipe.
    const wiped = server !== undefined && server.wipeAt > 0 && input.wipeAt > server.wipeAt;
    if (server && !wiped && input.wipeAt > server.wipeAt) server.wipeAt = input.wipeAt;
    if (server && wiped) {
      // A new wipe: marker ids start again, so the old machines are neither gone nor comparable. Start afresh: the
      // next believed answer seeds silently, and the old wipe's stored machines are replaced (by none while frozen).
      server.log.info({ wipeAt: input.wipeAt }, "a new wipe: the shop market starts afresh");
      this.#queues.push(serverId, async () => this.#forgotten(serverId, "wipe"));
    }
    if (!server && input.wipeAt > 0) {
      // First answer in this process (a restart): a wipe since the stored listing was observed is a new wipe too, so
      // what listeners keep in the database by marker id (own shops' links) is stale. One read per server and process.
      const wipeAt = input.wipeAt;
      this.#queues.push(serverId, async () => {
        const row = await this.deps.prisma.shopMarket.findUnique({ where: { pairedServerId: serverId }, select: { observedAt: true } });
        if (row && row.observedAt.getTime() < wipeAt) await this.#forgotten(serverId, "wipe");
      });
    }
    if (!server || wiped) {
      const log = server?.log ?? this.deps.logger.child({ serverId });
      server = { market: new Market(), log, live: true, observedAt: null, reported: true, dirty: false, written: null, wipeAt: input.wipeAt, wiped };
      this.#servers.set(serverId, server);
    }
    const { log } = server;
    server.live = true;
    const step = server.market.update(parseVendingMachines(input.markers, input.monuments, log, server.market.machines), input.npcVending);
    const update: MarketUpdate = {
      serverId, userId: input.userId, serverName: input.serverName, now, mapSize: input.mapSize, wipeAt: input.wipeAt,
      machines: server.market.machines, changes: step.changes, seeding: step.seeding, frozen: step.frozen,
    };
    server.reported = !step.frozen;
    if (!step.frozen) server.observedAt = now;
    if (step.changed) server.dirty = true;
    const { written } = server;
    const write =
      !written || step.seeding || written.reported !== server.reported ||
      (server.dirty && now - written.at >= this.#writeEveryMs) || (server.reported && now - written.at >= this.#refreshEveryMs);
    const job = write ? this.#takeWrite(server, now) : null;
    this.#queues.push(serverId, async () => {
      if (job) await this.#store(serverId, job, log);
      for (const listener of this.#listeners) {
        try {
          await listener(update);
        } catch (err) {
          log.error({ err }, "a shop market listener failed");
        }
      }
    });
  }

  /** See MarketFeed.forget: the last changes are written, then this process's memory of the server goes. */
  forget(serverId: string): void {
    this.ended(serverId);
    if (!this.#servers.delete(serverId)) return;
    this.#queues.push(serverId, async () => this.#forgotten(serverId, "forget"));
  }

  ended(serverId: string): void {
    const server = this.#servers.get(serverId);
    if (!server) return;
    server.live = false;
    server.market.end();
    // The last changes not yet written (WRITE_EVERY_MS) are written now: other processes read the database.
    if (server.dirty && server.observedAt !== null) {
      const job = this.#takeWrite(server, server.observedAt);
      this.#queues.push(serverId, () => this.#store(serverId, job, server.log));
    }
  }

  /**
   * A server's listing, or null when none was ever seen. While this process polls the server, its market as of the
   * last poll; otherwise the stored ShopMarket row (written by any process), whose machines are checked again
   * (invalid ones left out with a log line).
   */
  async listing(serverId: string): Promise<Listing | null> {
    const server = this.#servers.get(serverId);
    // Before a believed answer in this process (a frozen first one), the stored listing is the last one seen.
    if (server?.live && server.observedAt !== null) {
      return { machines: [...server.market.machines.values()], observedAt: new Date(server.observedAt), reported: server.reported, live: true };
    }
    const row = await this.deps.prisma.shopMarket.findUnique({ where: { pairedServerId: serverId }, include: { pairedServer: { select: { live: true, needsRepairSince: true } } } });
    if (!row) return null;
    const now = this.deps.timers?.now() ?? Date.now();
    // Polled by another process (sharded), or by none: see LIVE_ELSEWHERE_SLACK_MS.
    const liveElsewhere = row.pairedServer.live && !row.pairedServer.needsRepairSince && row.reported && now - row.observedAt.getTime() <= this.#refreshEveryMs + LIVE_ELSEWHERE_SLACK_MS;
    const machines: VendingMachine[] = [];
    let bad = 0;
    for (const entry of Array.isArray(row.machines) ? row.machines : []) {
      const parsed = storedMachine.safeParse(entry);
      if (parsed.success) machines.push(parsed.data);
      else bad++;
    }
    if (bad || !Array.isArray(row.machines)) this.deps.logger.warn({ serverId, bad }, "left out stored vending machines that are not valid");
    return { machines, observedAt: row.observedAt, reported: server?.live ? server.reported : row.reported, live: server ? server.live : liveElsewhere };
  }

  /** Resolves when every write and listener call started so far is done (tests). */
  async settled(): Promise<void> {
    await this.#work.idle();
  }

  async #forgotten(serverId: string, reason: ForgetReason): Promise<void> {
    for (const forget of this.#forgetters) {
      try {
        await forget(serverId, reason);
      } catch (err) {
        this.deps.logger.error({ err, serverId }, "a shop market listener failed to forget a server");
      }
    }
  }

  /** What to write now (the listing as it stands), marking it written. */
  #takeWrite(server: ServerMarket, now: number): StoreJob {
    server.dirty = false;
    server.written = { at: now, reported: server.reported };
    const believed = server.observedAt !== null;
    if (believed) server.wiped = false;
    return { machines: believed ? [...server.market.machines.values()] : server.wiped ? [] : null, reported: server.reported, observedAt: server.observedAt ?? now, wipeAt: server.wipeAt };
  }

  /**
   * Writes the listing as of its last believed poll, with whether the latest answer reported vending machines. Before
   * any believed answer in this process, the machines already stored stay (the last seen listing, e.g. from before a
   * restart); a server never seen reporting gets an empty listing.
   */
  async #store(serverId: string, job: StoreJob, log: Logger): Promise<void> {
    const observedAt = new Date(job.observedAt);
    try {
      const machines = (job.machines ?? []) as unknown as Prisma.InputJsonValue;
      if (!job.machines && job.wipeAt > 0) {
        // Kept machines seen before this wipe (e.g. by a process before a restart) are gone: marker ids start again.
        await this.deps.prisma.shopMarket.updateMany({ where: { pairedServerId: serverId, observedAt: { lt: new Date(job.wipeAt) } }, data: { machines: [], observedAt } });
      }
      await this.deps.prisma.shopMarket.upsert({
        where: { pairedServerId: serverId },
        create: { pairedServerId: serverId, machines, observedAt, reported: job.reported },
        update: job.machines ? { machines, observedAt, reported: job.reported } : { reported: job.reported },
      });
    } catch (err) {
      // Written again at the next poll; the paired server may have been removed meanwhile.
      const server = this.#servers.get(serverId);
      if (server) {
        server.written = null;
        server.dirty = true;
      }
      log.warn({ err }, "writing the shop market failed");
    }
  }
}
