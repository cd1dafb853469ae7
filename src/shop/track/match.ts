// The pure step of tracked-item alerts: a server's tracked items and one MarketUpdate in, the transitions to tell
// out, per user. No database here, so the bench times it alone. Each transition is found by comparing one offer
// (machine marker id + order key) in the previous listing and in this one under the tracked item's own rule, so it
// is told exactly once, whatever the market's change list says; the previous listing is what was there when an
// item was tracked, so a newly tracked item's existing offers are silent.
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
  /** The last listing that counted, indexed: tracked item id → its offers (all currencies) by offer key. */
  index: Map<number, Map<string, Offer>>;
  /** The item ids the index covers. */
  items: Set<number>;
  /** The machines of that listing (to index an item tracked since). */
  machines: ReadonlyMap<number, VendingMachine>;
}

/**
 * Per-server memory of the last listing, and the transitions of each poll. One instance per process; a server's
 * state is set by its seeding update (the first after a connect) and kept while it is frozen.
 */
export class TrackMatcher {
  readonly #servers = new Map<string, ServerState>();

  /**
   * The transitions of `update` for `tracked` (the server's tracked items), best first per user. Seeding sets
   * the state and returns nothing; frozen returns nothing and keeps it. O(orders + tracked items' offers) per poll
   * with changes; O(tracked) without.
   */
  match(update: MarketUpdate, tracked: readonly TrackedView[]): Transition[] {
    const state = this.#servers.get(update.serverId);
    if (update.frozen) return [];
    const items = new Set(tracked.map((t) => t.itemId));
    if (update.seeding || !state) {
      this.#servers.set(update.serverId, { index: indexListing(update.machines, items), items, machines: update.machines });
      return [];
    }
    // Items tracked since the last poll: their offers in the last listing, so what was there stays silent.
    const added = [...items].filter((i) => !state.items.has(i));
    if (added.length) for (const [item, offers] of indexListing(state.machines, new Set(added))) state.index.set(item, offers);
    // No change in the listing: no offer can have crossed a rule (a re-tracked limit compares the same listing).
    if (!update.changes.length) {
      for (const i of added) state.items.add(i);
      state.machines = update.machines;
      return [];
    }
    const now = indexListing(update.machines, items);
    const out: Transition[] = [];
    for (const t of tracked) {
      const before = state.index.get(t.itemId);
      const after = now.get(t.itemId);
      if (after) for (const offer of after.values()) transition(t, before?.get(offer.key), offer, update.machines, out);
      if (before) for (const old of before.values()) if (!after?.has(old.key)) transition(t, old, undefined, update.machines, out);
    }
    this.#servers.set(update.serverId, { index: now, items, machines: update.machines });
    return out;
  }

  /** Forget a server (its paired server removed). */
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
