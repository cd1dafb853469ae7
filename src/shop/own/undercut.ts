// Undercut alerts for the team's own shops, where the server still reports vending markers (a MarketListener).
// A shop's storage monitor is linked to its vending machine marker (SmartDevice.vendingMarkerId) when exactly one
// player machine's sell orders fit the monitor's stock (machineFits); the link stays while that marker is listed.
// Then any rival machine (a player's, not one of the team's own shops) offering the same item (same blueprint flag)
// for the SAME currency (same blueprint flag) at a lower unit price than one of our orders is an undercut: compared
// exactly (compareUnitPrice), an equal price is none, another currency is never compared. Posted once per transition per (our order, their machine and order): this
// process keeps each shop's current undercuts; the first update after a (re)connect or restart (seeding) only sets
// them, a frozen update (markers not believed) changes nothing.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { isVendingMachine, readContents } from "../../devices/entity-payload.ts";
import { gridLabel } from "../../events/grid.ts";
import type { Logger } from "../../logger.ts";
import type { Notifier } from "../../notify/notifier.ts";
import { serverLabel } from "../../pairing/server-card.ts";
import { itemNamesById } from "../../tools/items/item-names.ts";
import { orderKeys } from "../market.ts";
import { shopNameText } from "../shop-name.ts";
import type { ForgetReason } from "../market-service.ts";
import type { MarketUpdate, OrderKey, SellOrder, VendingMachine } from "../types.ts";
import { compareUnitPrice } from "../unit-price.ts";
import { alertParts } from "./alert-parts.ts";
import { itemLabel, stockKey, stockOf, type StockLine } from "./stock.ts";

/**
 * Whether `machine` can be the vending machine whose inventory is `stock`: a player's machine with at least one order in
 * stock; every order's item held at least amountInStock × quantity times (the game's amountInStock is the purchases the
 * held items allow); and nothing held that is neither an order's item nor an order's currency (takings).
 */
export function machineFits(stock: readonly StockLine[], machine: VendingMachine): boolean {
  if (machine.npc || !machine.orders.some((o) => o.amountInStock > 0)) return false;
  const held = new Map(stock.map((l) => [stockKey(l.itemId, l.itemIsBlueprint), l.quantity]));
  const allowed = new Set<string>();
  for (const order of machine.orders) {
    const key = stockKey(order.itemId, order.itemIsBlueprint);
    if ((held.get(key) ?? 0) < order.amountInStock * order.quantity) return false;
    allowed.add(key).add(stockKey(order.currencyId, order.currencyIsBlueprint));
  }
  return [...held.keys()].every((key) => allowed.has(key));
}

/** The one machine that fits `stock`, or null when none or several do. */
export function matchMachine(stock: readonly StockLine[], machines: Iterable<VendingMachine>): VendingMachine | null {
  let found: VendingMachine | null = null;
  for (const machine of machines) {
    if (!machineFits(stock, machine)) continue;
    if (found) return null;
    found = machine;
  }
  return found;
}

export interface Undercut {
  ourKey: OrderKey;
  ours: SellOrder;
  machine: VendingMachine;
  theirKey: OrderKey;
  theirs: SellOrder;
}

/**
 * The in-stock offers of rival machines below one of `ours`' in-stock orders, item and currency alike. Not rivals:
 * `ours` itself, the team's other shops (`teamMarkerIds`: the markers this pairing's other storage monitors are
 * linked to) — a second shop of ours selling cheaper is the owner's own choice — and NPC shops (Outpost, Bandit Camp):
 * their prices are the game's, fixed and always there, so an alert would only repeat what every player knows each
 * time the owner sets a price above them.
 */
export function undercutsOf(ours: VendingMachine, machines: Iterable<VendingMachine>, teamMarkerIds: ReadonlySet<number> = new Set()): Undercut[] {
  const mine = [...orderKeys(ours.orders)].filter(([, o]) => o.amountInStock > 0 && o.quantity > 0);
  if (!mine.length) return [];
  const found: Undercut[] = [];
  for (const machine of machines) {
    if (machine.markerId === ours.markerId || machine.npc || teamMarkerIds.has(machine.markerId)) continue;
    for (const [theirKey, theirs] of orderKeys(machine.orders)) {
      if (theirs.amountInStock <= 0 || theirs.quantity <= 0) continue;
      for (const [ourKey, o] of mine) {
        const same = o.itemId === theirs.itemId && o.itemIsBlueprint === theirs.itemIsBlueprint && o.currencyId === theirs.currencyId && o.currencyIsBlueprint === theirs.currencyIsBlueprint;
        if (same && compareUnitPrice({ cost: theirs.costPerItem, quantity: theirs.quantity }, { cost: o.costPerItem, quantity: o.quantity }) < 0) {
          found.push({ ourKey, ours: o, machine, theirKey, theirs });
        }
      }
    }
  }
  return found;
}

/**
 * The vending markers the storage monitors paired through `serverId` (one owner's pairing of a game server) are linked
 * to, from SmartDevice.vendingMarkerId: the team's own shops, which never undercut each other. Not other pairings of
 * the same address: another team on that server may use the bot too, and its shops are rivals.
 */
export async function teamMarkerIds(prisma: PrismaClient, serverId: string): Promise<Set<number>> {
  const rows = await prisma.smartDevice.findMany({ where: { pairedServerId: serverId, kind: "STORAGE_MONITOR", vendingMarkerId: { not: null } }, select: { vendingMarkerId: true } });
  return new Set(rows.map((r) => r.vendingMarkerId!));
}

const undercutId = (u: Undercut) => `${u.ourKey}|${u.machine.markerId}|${u.theirKey}`;

/** "3 Rocket for 1,000 Scrap" (blueprints marked). */
export function offerText(order: SellOrder, names: ReadonlyMap<number, string>): string {
  const currency = itemLabel({ itemId: order.currencyId, itemIsBlueprint: order.currencyIsBlueprint }, names);
  return `${order.quantity.toLocaleString("en-US")} ${itemLabel(order, names)} for ${order.costPerItem.toLocaleString("en-US")} ${currency}`;
}

/** One line per undercut: theirs, where, and ours. Shop names are players' text (the notifier escapes them). */
export function undercutLine(u: Undercut, mapSize: number, names: ReadonlyMap<number, string>): string {
  const name = shopNameText(u.machine.name);
  const who = name ? `"${name}"` : "a shop";
  return `Undercut: ${offerText(u.theirs, names)} at ${gridLabel(u.machine.x, u.machine.y, mapSize)} (${who}); yours: ${offerText(u.ours, names)}`;
}

export interface UndercutDeps {
  prisma: PrismaClient;
  notifier: Pick<Notifier, "notify">;
  logger: Logger;
}

export class OwnShopUndercuts {
  /** Per server, per own shop (device id): its undercuts at the last update that counted. */
  readonly #seen = new Map<string, Map<string, Set<string>>>();

  constructor(private readonly deps: UndercutDeps) {}

  /** Register with ShopMarkets.onUpdate. */
  readonly listener = (update: MarketUpdate): Promise<void> => this.onUpdate(update);

  /**
   * Register with ShopMarkets.onForget: a server's shops are forgotten when it is stopped, removed or wiped. At a
   * wipe the shops' links to vending markers (SmartDevice.vendingMarkerId) are cleared too: marker ids start again,
   * so an old id may now be someone else's machine; the next update matches each shop afresh.
   */
  readonly forget = async (serverId: string, reason: ForgetReason = "forget"): Promise<void> => {
    this.#seen.delete(serverId);
    if (reason !== "wipe") return;
    await this.deps.prisma.smartDevice.updateMany({ where: { pairedServerId: serverId, vendingMarkerId: { not: null } }, data: { vendingMarkerId: null } });
  };

  async onUpdate(update: MarketUpdate): Promise<void> {
    if (update.frozen) return;
    const { prisma, notifier } = this.deps;
    const devices = await prisma.smartDevice.findMany({
      where: { pairedServerId: update.serverId, kind: "STORAGE_MONITOR", unreachableSince: null },
      include: { pairedServer: true },
      orderBy: { createdAt: "asc" },
    });
    let seen = this.#seen.get(update.serverId);
    if (!seen) this.#seen.set(update.serverId, (seen = new Map()));
    const linked = new Set(devices.flatMap((d) => (d.vendingMarkerId !== null && update.machines.has(d.vendingMarkerId) ? [d.vendingMarkerId] : [])));
    // First every shop's machine (linking those not linked yet), then the undercuts: a shop linked later in this loop
    // is still the team's, never a rival of an earlier one.
    const shops: { device: (typeof devices)[number]; machine: VendingMachine | undefined }[] = [];
    for (const device of devices) {
      const contents = readContents(device.contents);
      if (!contents || !isVendingMachine(contents)) {
        // No longer on a vending machine (its readings say another box): its old machine is no shop of ours now.
        if (contents && device.vendingMarkerId !== null) await prisma.smartDevice.updateMany({ where: { id: device.id }, data: { vendingMarkerId: null } });
        continue;
      }
      let machine = device.vendingMarkerId === null ? undefined : update.machines.get(device.vendingMarkerId);
      if (!machine) {
        // Not linked yet, or its marker is gone: match again among the machines no other shop is linked to.
        const match = matchMachine(stockOf(contents), [...update.machines.values()].filter((m) => !linked.has(m.markerId)));
        if (match || device.vendingMarkerId !== null) {
          await prisma.smartDevice.updateMany({ where: { id: device.id }, data: { vendingMarkerId: match?.markerId ?? null } });
        }
        if (match) linked.add(match.markerId);
        machine = match ?? undefined;
      }
      shops.push({ device, machine });
    }
    const team = shops.length ? new Set([...(await teamMarkerIds(prisma, update.serverId)), ...linked]) : linked;
    for (const { device, machine } of shops) {
      const current = machine ? undercutsOf(machine, update.machines.values(), team) : [];
      const before = seen.get(device.id);
      seen.set(device.id, new Set(current.map(undercutId)));
      if (update.seeding) continue;
      const fresh = current.filter((u) => !before?.has(undercutId(u)));
      if (!fresh.length) continue;
      const names = await itemNamesById(prisma, fresh.flatMap((u) => [u.ours.itemId, u.ours.currencyId]));
      const lines = fresh.map((u) => undercutLine(u, update.mapSize, names));
      for (const [i, part] of alertParts(`${device.name}: undercut`, lines).entries()) {
        await notifier.notify({
          userId: device.pairedServer.userId,
          dedupeKey: `shop-undercut:${device.id}:${update.now}:${i}`,
          event: { kind: "shop-alert", serverName: serverLabel(device.pairedServer), at: new Date(update.now).toISOString(), ...part },
        });
      }
    }
  }
}
