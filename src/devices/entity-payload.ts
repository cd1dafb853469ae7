// What the game says about a device (getEntityInfo answers and entityChanged broadcasts), checked before use,
// and the columns it sets. Storage contents are stored as JSON and read back through the same schema.
import { z } from "zod";
import type { SmartDevice } from "../generated/prisma/client.ts";

/**
 * Most items kept from one reading; the rest are left out. A large box has 48 slots, a vending machine 30 (capacity,
 * research/rustplus.md), and the game lists one item per slot; modded servers may have bigger boxes, so the cap is
 * generous: it only stops a hostile server making the bot store and draw an endless list.
 */
export const MAX_STORAGE_ITEMS = 1_000;
/**
 * Largest quantity kept for one item: a larger one (a hostile or modded server) is read as this, never dropped, so a
 * sale is still seen; it is also the largest ShopSale.quantity (a 32-bit Int column) can hold.
 */
export const MAX_ITEM_QUANTITY = 2 ** 31 - 1;

const item = z.object({
  itemId: z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1),
  quantity: z.number().int().min(0).transform((q) => Math.min(q, MAX_ITEM_QUANTITY)),
  itemIsBlueprint: z.boolean().catch(false),
});
type Item = z.infer<typeof item>;

/**
 * The items of a reading, checked one by one: an invalid item (a negative quantity, no id) is left out and the
 * others kept, at most MAX_STORAGE_ITEMS (the first ones); not a list reads as none. One bad item must not make the
 * whole box read as empty: that would hide a cupboard's upkeep, and a shop's sale in the meantime.
 */
const items = z.unknown().transform((raw): Item[] => {
  if (!Array.isArray(raw)) return [];
  const kept: Item[] = [];
  for (const entry of raw as unknown[]) {
    if (kept.length >= MAX_STORAGE_ITEMS) break;
    const parsed = item.safeParse(entry);
    if (parsed.success) kept.push(parsed.data);
  }
  return kept;
});

/** protobufjs fills unset fields with their defaults, but a server may still send anything. */
export const entityPayload = z.object({
  value: z.boolean().catch(false),
  items,
  capacity: z.number().int().min(0).max(10_000).catch(0),
  hasProtection: z.boolean().catch(false),
  protectionExpiry: z.number().int().min(0).catch(0),
});
export type EntityPayload = z.infer<typeof entityPayload>;

export const storageContents = entityPayload.pick({ items: true, capacity: true, hasProtection: true, protectionExpiry: true });
export type StorageContents = z.infer<typeof storageContents>;

/**
 * A vending machine's inventory slots: 30, as storage monitors report it (research/rustplus.md:
 * 29 = tool cupboard, 30 = vending machine, 48 = large box). Its items are the stock for sale AND the currency
 * paid in, which the owner collects from the same inventory.
 */
const VENDING_MACHINE_CAPACITY = 30;

/** Whether a storage monitor is on a vending machine (one of the team's own shops): its capacity, and not a cupboard. */
export function isVendingMachine(contents: Pick<StorageContents, "capacity" | "hasProtection" | "protectionExpiry">): boolean {
  return contents.capacity === VENDING_MACHINE_CAPACITY && !contents.hasProtection && contents.protectionExpiry === 0;
}

/**
 * A tool cupboard's slots when last checked (30 is a vending machine, 48 a large box). The game has changed it
 * before (28 → 29 in October 2023, rustplusplus #251), so it is only the fallback of isToolCupboard.
 */
const TOOL_CUPBOARD_CAPACITY = 29;

/**
 * Whether a storage monitor is on a tool cupboard. The game's StorageMonitor.FillEntityPayload sets `hasProtection`
 * for a tool cupboard (BuildingPrivlidge) only, decaying or not, and `protectionExpiry` only while it has upkeep
 * (decompiled server, e.g. GoofyNest/RustServer-Staging StorageMonitor.cs). Servers that leave defaults off the wire
 * omit both for other boxes (read as false and 0), so either one set means a cupboard; when both are unset (another
 * box, or a server or mod that does not send them) the capacity decides.
 */
export function isToolCupboard(contents: Pick<StorageContents, "capacity" | "hasProtection" | "protectionExpiry">): boolean {
  return contents.hasProtection || contents.protectionExpiry > 0 || contents.capacity === TOOL_CUPBOARD_CAPACITY;
}

type Kind = SmartDevice["kind"];
export type DeviceUpdate = Partial<Pick<SmartDevice, "isOn" | "lastTriggeredAt">> & { contents?: StorageContents };

/**
 * The columns a payload changes, or null when it says nothing: a storage monitor sends each change twice, first
 * a bare `value: true` (capacity 0), then the contents. `changedAt` is null for a reading (getEntityInfo): an alarm
 * found powered after a reconnect did not trigger just now.
 */
export function deviceUpdate(kind: Kind, payload: EntityPayload, changedAt: Date | null): DeviceUpdate | null {
  switch (kind) {
    case "SWITCH":
      return { isOn: payload.value };
    case "ALARM":
      return payload.value && changedAt ? { isOn: true, lastTriggeredAt: changedAt } : { isOn: payload.value };
    case "STORAGE_MONITOR":
      if (payload.capacity === 0) return null;
      return { contents: { items: payload.items, capacity: payload.capacity, hasProtection: payload.hasProtection, protectionExpiry: payload.protectionExpiry } };
    case "CAMERA":
      return null;
  }
}

/** Stored contents, or null when there are none yet (or they are unreadable). */
export function readContents(json: unknown): StorageContents | null {
  const parsed = storageContents.safeParse(json);
  return parsed.success ? parsed.data : null;
}
