// Tracked-item alerts (a MarketListener): at each poll that changed a server's listing, its tracked items are read
// (one indexed query; a poll without changes reads nothing, and an item tracked meanwhile is compared from the
// listing it was tracked against), matched (match.ts), and each user told in ONE #shop post per poll (format.ts),
// deduplicated through the outbox's dedupeKey. Guests' tracked items alert the guest, in their own destination.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { Logger } from "../../logger.ts";
import type { MonumentAt } from "../../events/monuments.ts";
import type { Notifier } from "../../notify/notifier.ts";
import { itemNamesById } from "../../tools/items/item-names.ts";
import type { MarketListener, MarketUpdate } from "../types.ts";
import { alertMessages } from "./format.ts";
import { TrackMatcher, type TrackedView } from "./match.ts";

export interface TrackAlertDeps {
  prisma: PrismaClient;
  notifier: Pick<Notifier, "notify">;
  logger: Logger;
  /** The server's monuments as its session read them (ServerEvents.monuments), for "near Outpost". */
  monuments: (serverId: string) => readonly MonumentAt[];
}

export class TrackAlerts {
  /** The market service calls listeners one after another per server, so its memory is always the previous poll's. */
  readonly #matcher = new TrackMatcher();

  constructor(private readonly deps: TrackAlertDeps) {}

  /** Register with the market service (ShopMarkets.onUpdate). */
  readonly listener: MarketListener = (update) => this.onUpdate(update);

  /** Register with ShopMarkets.onForget: a server's memory goes when it is stopped, removed or wiped. */
  readonly forget = (serverId: string): void => this.#matcher.forget(serverId);

  async onUpdate(update: MarketUpdate): Promise<void> {
    if (update.frozen) return;
    // Nothing changed: no offer crossed a rule, so the tracked items are not even read.
    const tracked = update.seeding || update.changes.length ? await this.#tracked(update.serverId) : [];
    const transitions = this.#matcher.match(update, tracked);
    if (!transitions.length) return;
    const { prisma, notifier } = this.deps;
    const ids = new Set<number>();
    for (const t of transitions) ids.add(t.offer.order.itemId).add(t.offer.order.currencyId);
    const names = await itemNamesById(prisma, ids);
    const messages = alertMessages(transitions, {
      serverId: update.serverId,
      now: update.now,
      mapSize: update.mapSize,
      monuments: this.deps.monuments(update.serverId),
      itemName: (itemId) => names.get(itemId) ?? `item ${itemId}`,
    });
    const at = new Date(update.now);
    for (const m of messages) {
      await notifier.notify({ userId: m.userId, dedupeKey: m.dedupeKey, event: { kind: "shop-alert", serverName: update.serverName, at: at.toISOString(), title: m.title, lines: m.lines } });
    }
    const told = [...new Set(messages.flatMap((m) => m.trackedIds))];
    await prisma.trackedShopItem.updateMany({ where: { id: { in: told } }, data: { lastNotifiedAt: at } });
  }

  /** The server's tracked items: its owner's, and those of guests whose access is not revoked. */
  async #tracked(serverId: string): Promise<TrackedView[]> {
    const { prisma } = this.deps;
    const [rows, grants] = await Promise.all([
      prisma.trackedShopItem.findMany({
        where: { pairedServerId: serverId },
        select: { id: true, userId: true, itemId: true, currencyItemId: true, maxUnitPriceMilli: true, user: { select: { steamId: true } }, pairedServer: { select: { userId: true } } },
      }),
      prisma.dashboardGuestAccess.findMany({ where: { pairedServerId: serverId, revokedAt: null }, select: { guestSteamId: true } }),
    ]);
    const guests = new Set(grants.map((g) => g.guestSteamId));
    return rows
      .filter((r) => r.userId === r.pairedServer.userId || guests.has(r.user.steamId))
      .map(({ id, userId, itemId, currencyItemId, maxUnitPriceMilli }) => ({ id, userId, itemId, currencyItemId, maxUnitPriceMilli }));
  }
}
