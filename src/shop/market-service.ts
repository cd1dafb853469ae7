// The shop market of every server this process polls (a MarketFeed for ServerEvents): each getMapMarkers answer is
// parsed (vending-schema.ts), diffed (market.ts), written to ShopMarket when the listing changed (or to refresh its
// observedAt), and given to the listeners (tracked-item alerts, own shops' undercut, price history) in poll order.
import { z } from "zod";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { Timers } from "../rustplus/timers.ts";
import { WorkSet } from "../work-set.ts";
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

/** A server's listing (ShopMarket, or this process's market while it polls the server). */
export interface Listing {
  machines: VendingMachine[];
  /** When a poll last confirmed the listing (it is "as of" then). */
  observedAt: Date;
  /** False while the server sends no vending machines on a map with NPC shops: the listing is the last one seen. */
  reported: boolean;
  /** This process has a session polling the server now (false: the listing is kept from before, frozen). */
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
}

export class ShopMarkets implements MarketFeed {
  readonly #servers = new Map<string, ServerMarket>();
  readonly #listeners: MarketListener[] = [];
  readonly #queues = new Map<string, Promise<void>>();
  readonly #work: WorkSet;
  readonly #refreshEveryMs: number;
  readonly #writeEveryMs: number;

  constructor(private readonly deps: ShopMarketsDeps) {
    this.#refreshEveryMs = deps.refreshEveryMs ?? REFRESH_OBSERVED_EVERY_MS;
    this.#writeEveryMs = deps.writeEveryMs ?? WRITE_EVERY_MS;
    this.#work = new WorkSet((err) => deps.logger.error({ err }, "shop market work failed"));
  }

  /** Adds a listener: called with every MarketUpdate, one after another per server in poll order; errors are logged. */
  onUpdate(listener: MarketListener): void {
    this.#listeners.push(listener);
  }

  observe(input: Parameters<MarketFeed["observe"]>[0]): void {
    const { serverId, now } = input;
    let server = this.#servers.get(serverId);
    if (!server) {
      server = { market: new Market(), log: this.deps.logger.child({ serverId }), live: true, observedAt: null, reported: true, dirty: false, written: null };
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
    this.#enqueue(serverId, async () => {
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

  ended(serverId: string): void {
    const server = this.#servers.get(serverId);
    if (!server) return;
    server.live = false;
    server.market.end();
    // The last changes not yet written (WRITE_EVERY_MS) are written now: other processes read the database.
    if (server.dirty && server.observedAt !== null) {
      const job = this.#takeWrite(server, server.observedAt);
      this.#enqueue(serverId, () => this.#store(serverId, job, server.log));
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
    const row = await this.deps.prisma.shopMarket.findUnique({ where: { pairedServerId: serverId } });
    if (!row) return null;
    const machines: VendingMachine[] = [];
    let bad = 0;
    for (const entry of Array.isArray(row.machines) ? row.machines : []) {
      const parsed = storedMachine.safeParse(entry);
      if (parsed.success) machines.push(parsed.data);
      else bad++;
    }
    if (bad || !Array.isArray(row.machines)) this.deps.logger.warn({ serverId, bad }, "left out stored vending machines that are not valid");
    return { machines, observedAt: row.observedAt, reported: server?.live ? server.reported : row.reported, live: server?.live ?? false };
  }

  /** Resolves when every write and listener call started so far is done (tests). */
  async settled(): Promise<void> {
    await this.#work.idle();
  }

  /** What to write now (the listing as it stands), marking it written. */
  #takeWrite(server: ServerMarket, now: number): StoreJob {
    server.dirty = false;
    server.written = { at: now, reported: server.reported };
    const believed = server.observedAt !== null;
    return { machines: believed ? [...server.market.machines.values()] : null, reported: server.reported, observedAt: server.observedAt ?? now };
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

  #enqueue(serverId: string, job: () => Promise<void>): void {
    const next = (this.#queues.get(serverId) ?? Promise.resolve()).then(job).catch((err: unknown) => this.deps.logger.error({ err, serverId }, "shop market update failed"));
    this.#queues.set(serverId, next);
    this.#work.track(next);
    void next.finally(() => {
      if (this.#queues.get(serverId) === next) this.#queues.delete(serverId);
    });
  }
}
