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

/** An unchanged listing is written again at most this often (ms), so observedAt tells how fresh it is. */
export const REFRESH_OBSERVED_EVERY_MS = 5 * 60_000;

/** A server's listing as stored (ShopMarket). */
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
  /** Accepted for symmetry with the other services; every time comes from the poll (observe's `now`). */
  timers?: Timers | undefined;
  /** Default REFRESH_OBSERVED_EVERY_MS. */
  refreshEveryMs?: number | undefined;
}

interface Written {
  at: number;
  reported: boolean;
}

export class ShopMarkets implements MarketFeed {
  /** Kept across reconnects in this process (the freeze); a new process seeds from its first answer. */
  readonly #markets = new Map<string, Market>();
  /** Servers with a session polling now (observe seen since the last ended). */
  readonly #live = new Set<string>();
  readonly #written = new Map<string, Written>();
  readonly #listeners: MarketListener[] = [];
  readonly #queues = new Map<string, Promise<void>>();
  readonly #work: WorkSet;
  readonly #refreshEveryMs: number;

  constructor(private readonly deps: ShopMarketsDeps) {
    this.#refreshEveryMs = deps.refreshEveryMs ?? REFRESH_OBSERVED_EVERY_MS;
    this.#work = new WorkSet((err) => deps.logger.error({ err }, "shop market work failed"));
  }

  /** Adds a listener: called with every MarketUpdate, one after another per server in poll order; errors are logged. */
  onUpdate(listener: MarketListener): void {
    this.#listeners.push(listener);
  }

  observe(input: Parameters<MarketFeed["observe"]>[0]): void {
    const { serverId } = input;
    const log = this.deps.logger.child({ serverId });
    let market = this.#markets.get(serverId);
    if (!market) this.#markets.set(serverId, (market = new Market()));
    this.#live.add(serverId);
    const machines = parseVendingMachines(input.markers, input.monuments, log);
    const step = market.update(machines, input.npcVending);
    const update: MarketUpdate = {
      serverId, userId: input.userId, serverName: input.serverName, now: input.now, mapSize: input.mapSize, wipeAt: input.wipeAt,
      machines: market.machines, changes: step.changes, seeding: step.seeding, frozen: step.frozen,
    };
    const written = this.#written.get(serverId);
    const reported = !step.frozen;
    const write = step.changed || step.seeding || written?.reported !== reported || (reported && input.now - written.at >= this.#refreshEveryMs);
    if (write) this.#written.set(serverId, { at: reported ? input.now : (written?.at ?? input.now), reported });
    const listing = write ? [...market.machines.values()] : null;
    this.#enqueue(serverId, async () => {
      if (listing) await this.#store(serverId, listing, reported, input.now, log);
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
    this.#live.delete(serverId);
    this.#markets.get(serverId)?.end();
  }

  /** Forget a server (unpaired, stopped for good): its next answer starts a new market. */
  forget(serverId: string): void {
    this.ended(serverId);
    this.#markets.delete(serverId);
    this.#written.delete(serverId);
  }

  /** The stored listing of a server (any process), or null when none was ever written. Invalid stored machines are left out. */
  async listing(serverId: string): Promise<Listing | null> {
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
    return { machines, observedAt: row.observedAt, reported: row.reported, live: this.#live.has(serverId) };
  }

  /** Resolves when every write and listener call started so far is done (tests). */
  async settled(): Promise<void> {
    await this.#work.idle();
  }

  /**
   * Writes the listing. Not reported: the machines already stored stay (the last seen listing) and observedAt is not
   * moved; a server never seen reporting gets an empty listing.
   */
  async #store(serverId: string, machines: VendingMachine[], reported: boolean, now: number, log: Logger): Promise<void> {
    const json = machines as unknown as Prisma.InputJsonValue;
    try {
      if (reported) {
        const data = { machines: json, observedAt: new Date(now), reported: true };
        await this.deps.prisma.shopMarket.upsert({ where: { pairedServerId: serverId }, create: { pairedServerId: serverId, ...data }, update: data });
      } else {
        await this.deps.prisma.shopMarket.upsert({
          where: { pairedServerId: serverId },
          create: { pairedServerId: serverId, machines: json, observedAt: new Date(now), reported: false },
          update: { reported: false },
        });
      }
    } catch (err) {
      // Tried again at the next change or refresh; the paired server may have been removed meanwhile.
      this.#written.delete(serverId);
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
