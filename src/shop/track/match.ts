// The pure step of tracked-item alerts: a server's tracked items and one MarketUpdate in, the transitions to tell
// out, per user. No database here, so the bench times it alone. Each offer (machine marker id + order key) the poll
// changed is compared as it was and as it is under each tracked item's own rule, so a crossing is told exactly once
// however many changes touched the offer; an item tracked since the last poll is compared from the listing it was
// tracked against, so its existing offers are silent.
import type { MarketUpdate, SellOrder, VendingMachine } from "../types.ts";
import { orderKeys } from "../market.ts";
import { compareUnitPrice, milliPrice } from "../unit-price.ts";

/** A TrackedShopItem as the matcher needs it. */
export interface TrackedView {
  id: string;
  userId: string;
  itemId: number;
  /** Null = any currency (and then any price). */
  currencyItemId: number | null;
  /** Thousandths of the currency per item; null = any price. */
  maxUnitPriceMilli: number | null;
}

/** One offer of a machine as the matcher keeps it: references into the listing, not copies. */
export interface Offer {
  /** `${markerId}:${order key}`. */
  key: string;
  machine: VendingMachine;
  order: SellOrder;
}

export type TransitionKind = "appeared" | "dropped" | "back-in-stock" | "gone";
/** Why a matching offer stopped matching. */
export type GoneReason = "machine-gone" | "removed" | "sold-out" | "price-rose";

export interface Transition {
  kind: TransitionKind;
  reason?: GoneReason;
  tracked: TrackedView;
  /** The offer now; for "gone" with the machine or order gone, the offer as it was last seen. */
  offer: Offer;
}

interface ServerState {
  /** The last listing's offers of the tracked items: item id → its offers (all currencies) by offer key. */
  index: Map<number, Map<string, Offer>>;
  /** The item ids the index covers. */
  items: Set<number>;
  /** The last listing (to index an item tracked since). */
  machines: ReadonlyMap<number, VendingMachine>;
}

/**
 * Per-server memory of the last listing's tracked offers, and the transitions of each poll. One instance per
 * process; a server's memory is set by its seeding update (the first after a connect) and kept while it is frozen.
 */
export class TrackMatcher {
  readonly #servers = new Map<string, ServerState>();

  /**
   * The transitions of `update` for `tracked` (all the server's tracked items, of every user). Seeding sets the
   * memory and returns nothing; frozen returns nothing and keeps it; with no changes `tracked` is not read (nothing
   * can cross a rule), so a caller may pass [] then. The memory follows the market's changes (their order keys), so
   * a poll costs O(changes × tracked items per item), plus one scan of the listing when an item is newly tracked.
   */
  match(update: MarketUpdate, tracked: readonly TrackedView[]): Transition[] {
    if (update.frozen) return [];
    const state = this.#servers.get(update.serverId);
    if (update.seeding || !state) {
      const items = new Set(tracked.map((t) => t.itemId));
      this.#servers.set(update.serverId, { index: indexListing(update.machines, items), items, machines: update.machines });
      return [];
    }
    const before = state.machines;
    state.machines = update.machines;
    if (!update.changes.length) return [];
    const byItem = new Map<number, TrackedView[]>();
    for (const t of tracked) {
      const list = byItem.get(t.itemId);
      if (list) list.push(t);
      else byItem.set(t.itemId, [t]);
    }
    // Items tracked since the last poll: their offers in the last listing, so what was there stays silent.
    const added = new Set([...byItem.keys()].filter((i) => !state.items.has(i)));
    if (added.size) for (const [item, offers] of indexListing(before, added)) state.index.set(item, offers);
    for (const i of added) state.items.add(i);
    for (const i of state.items) {
      if (byItem.has(i)) continue;
      state.items.delete(i);
      state.index.delete(i);
    }
    // The offers this poll touched, with how each was before it; the index becomes this listing's.
    const touched = new Map<string, { itemId: number; before: Offer | undefined }>();
    for (const c of update.changes) {
      if (!("key" in c) || !byItem.has(c.order.itemId)) continue;
      const key = `${c.machine.markerId}:${c.key}`;
      let offers = state.index.get(c.order.itemId);
      if (!offers) state.index.set(c.order.itemId, (offers = new Map()));
      if (!touched.has(key)) touched.set(key, { itemId: c.order.itemId, before: offers.get(key) });
      if (c.kind === "order-removed") offers.delete(key);
      else offers.set(key, { key, machine: c.machine, order: c.order });
    }
    const out: Transition[] = [];
    for (const [key, { itemId, before: was }] of touched) {
      const now = state.index.get(itemId)?.get(key);
      for (const t of byItem.get(itemId)!) transition(t, was, now, update.machines, out);
    }
    return out;
  }

  /** Drops a server's memory (stopped, removed, a new wipe): its next update seeds again. */
  forget(serverId: string): void {
    this.#servers.delete(serverId);
  }
}

function transition(t: TrackedView, before: Offer | undefined, after: Offer | undefined, machines: ReadonlyMap<number, VendingMachine>, out: Transition[]): void {
  const was = before !== undefined && matches(t, before.order);
  const is = after !== undefined && matches(t, after.order);
  if (was === is) return;
  if (is) {
    const kind: TransitionKind = !before ? "appeared" : before.order.amountInStock <= 0 ? "back-in-stock" : overLimit(t, before.order) ? "dropped" : "appeared";
    out.push({ kind, tracked: t, offer: after! });
    return;
  }
  const reason: GoneReason = !after ? (machines.has(before!.machine.markerId) ? "removed" : "machine-gone") : after.order.amountInStock <= 0 ? "sold-out" : "price-rose";
  out.push({ kind: "gone", reason, tracked: t, offer: after ?? before! });
}

/** Whether an offer is one the tracked item asks for: the item itself (not its blueprint), in stock, in the currency, at or under the limit. */
export function matches(t: TrackedView, o: SellOrder): boolean {
  if (o.itemId !== t.itemId || o.itemIsBlueprint || o.amountInStock <= 0) return false;
  if (t.currencyItemId !== null && (o.currencyId !== t.currencyItemId || o.currencyIsBlueprint)) return false;
  return !overLimit(t, o);
}

/** Over the tracked limit, or not a usable price (a quantity of 0 from a broken answer never matches a limit). */
function overLimit(t: TrackedView, o: SellOrder): boolean {
  if (t.maxUnitPriceMilli === null) return false;
  if (!Number.isSafeInteger(o.quantity) || o.quantity <= 0 || !Number.isSafeInteger(o.costPerItem) || o.costPerItem < 0) return true;
  return compareUnitPrice({ cost: o.costPerItem, quantity: o.quantity }, milliPrice(t.maxUnitPriceMilli)) > 0;
}

/**
 * The offers of `items` in a listing, by item then offer key (`${markerId}:${market.ts's order key}`: item,
 * currency, both blueprint flags and the occurrence; price and stock are not part of it, so a price change is the
 * same offer). Only machines selling a tracked item have their keys built.
 */
export function indexListing(machines: ReadonlyMap<number, VendingMachine>, items: ReadonlySet<number>): Map<number, Map<string, Offer>> {
  const index = new Map<number, Map<string, Offer>>();
  if (!items.size) return index;
  for (const machine of machines.values()) {
    if (!machine.orders.some((o) => items.has(o.itemId))) continue;
    for (const [orderKey, order] of orderKeys(machine.orders)) {
      if (!items.has(order.itemId)) continue;
      const key = `${machine.markerId}:${orderKey}`;
      let offers = index.get(order.itemId);
      if (!offers) index.set(order.itemId, (offers = new Map()));
      offers.set(key, { key, machine, order });
    }
  }
  return index;
}
