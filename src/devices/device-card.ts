// How a smart device looks in Discord: its live card and buttons. Pure, so the card, /device list and the
// tests agree. Contents are named from the item catalog; an id the catalog lacks shows as Rust's item id.
import { escapeMarkdown, type APIEmbed } from "discord.js";
import { customId, Prefix } from "../bot/custom-ids.ts";
import type { SmartDevice } from "../generated/prisma/client.ts";
import type { NotificationButton } from "../notify/buttons.ts";
import { NotificationFamily } from "../notify/families.ts";
import { isToolCupboard, isVendingMachine, readContents, type StorageContents } from "./entity-payload.ts";

export type DeviceCardRow = Pick<SmartDevice, "id" | "kind" | "name" | "isOn" | "contents" | "lastTriggeredAt" | "unreachableSince">;

export const deviceKey = (deviceId: string) => `device:${deviceId}`;

export const KIND_LABELS: Record<SmartDevice["kind"], string> = {
  SWITCH: "Smart switch",
  ALARM: "Smart alarm",
  STORAGE_MONITOR: "Storage monitor",
  CAMERA: "Camera",
};

export const deviceFamily = (kind: SmartDevice["kind"]) => (kind === "STORAGE_MONITOR" ? NotificationFamily.STORAGE : NotificationFamily.DEVICES);

const GREEN = 0x2ecc71;
const RED = 0xe74c3c;
const GREY = 0x95a5a6;
const ORANGE = 0xe67e22;

/** A short state for lists: "on", "off", "last triggered …", "12 stacks". */
export function deviceState(row: DeviceCardRow): string {
  if (row.unreachableSince) return "not found in game (pair it again)";
  switch (row.kind) {
    case "SWITCH":
      return row.isOn === null ? "state unknown" : row.isOn ? "on" : "off";
    case "ALARM":
      return row.lastTriggeredAt ? `last triggered <t:${seconds(row.lastTriggeredAt)}:R>` : "not triggered yet";
    case "STORAGE_MONITOR": {
      const contents = readContents(row.contents);
      return contents ? `${contents.items.length} stacks` : "contents unknown";
    }
    case "CAMERA":
      return "";
  }
}

/** Display names by Rust+ item id (signed int32), for the ids a storage monitor holds. */
export type ItemNames = ReadonlyMap<number, string>;

export function deviceCard(row: DeviceCardRow, serverName: string, names: ItemNames = new Map()): APIEmbed {
  const fields: NonNullable<APIEmbed["fields"]> = [];
  let color = GREY;
  let label: string = KIND_LABELS[row.kind];
  if (row.unreachableSince) {
    fields.push({ name: "Status", value: "⚠️ Not found in game: destroyed, or the server was wiped. Pair it again in game to bring it back." });
  } else if (row.kind === "SWITCH") {
    fields.push({ name: "State", value: row.isOn === null ? "❔ Unknown" : row.isOn ? "🟢 On" : "🔴 Off", inline: true });
    if (row.isOn !== null) color = row.isOn ? GREEN : RED;
  } else if (row.kind === "ALARM") {
    fields.push(
      { name: "Powered", value: row.isOn ? "🔔 Yes" : "No", inline: true },
      { name: "Last triggered", value: row.lastTriggeredAt ? `<t:${seconds(row.lastTriggeredAt)}:f> (<t:${seconds(row.lastTriggeredAt)}:R>)` : "Not yet", inline: true },
    );
    if (row.isOn) color = ORANGE;
  } else if (row.kind === "STORAGE_MONITOR") {
    const contents = readContents(row.contents);
    fields.push(...storageFields(contents, names));
    if (contents) color = isToolCupboard(contents) && contents.protectionExpiry === 0 ? RED : GREEN;
    if (contents && isVendingMachine(contents)) label = "Vending machine (your shop, through its storage monitor)";
  }
  return {
    title: escapeMarkdown(row.name), // fitted on the way out (src/bot/fit-payload.ts)
    description: `${label} on ${escapeMarkdown(serverName)}`,
    color,
    fields,
  };
}

function storageFields(contents: StorageContents | null, names: ItemNames): NonNullable<APIEmbed["fields"]> {
  if (!contents) return [{ name: "Contents", value: "Not read yet: shown once the bot is connected to the server." }];
  // A shop's items are its stock for sale and the payments taken in (the game keeps both in one inventory).
  const label = isVendingMachine(contents) ? "Stock and takings" : "Contents";
  const fields = [{ name: label, value: itemLines(contents, names), inline: false }, { name: "Slots", value: `${contents.items.length} / ${contents.capacity}`, inline: true }];
  if (isToolCupboard(contents)) {
    const expiry = contents.protectionExpiry;
    fields.push({ name: "Upkeep", value: expiry === 0 ? "⚠️ Decaying: no upkeep left" : `Lasts until <t:${expiry}:f> (<t:${expiry}:R>)`, inline: true });
  }
  return fields;
}

/** "Sulfur × 1,000" per item ("`-932201673` × 1,000" when the catalog lacks the id), stacks of one item added up,
 * largest first, within a field's 1,024 characters. */
function itemLines(contents: StorageContents, names: ItemNames): string {
  if (!contents.items.length) return "Empty";
  const totals = new Map<string, { label: string; quantity: number }>();
  for (const item of contents.items) {
    const key = `${item.itemId}${item.itemIsBlueprint ? "bp" : ""}`;
    const entry = totals.get(key) ?? { label: `${itemLabel(item.itemId, names)}${item.itemIsBlueprint ? " (blueprint)" : ""}`, quantity: 0 };
    entry.quantity += item.quantity;
    totals.set(key, entry);
  }
  const lines = [...totals.values()].sort((a, b) => b.quantity - a.quantity).map((e) => `${e.label} × ${e.quantity.toLocaleString("en-US")}`);
  let text = "";
  for (const [i, line] of lines.entries()) {
    const more = `… and ${lines.length - i} more`;
    if (text.length + line.length + 1 + more.length + 1 > 1024) return `${text}${more}`;
    text += `${line}\n`;
  }
  return text.trimEnd();
}

/** On and Off for a switch that can be reached; nothing for the others. */
export function deviceButtons(row: Pick<SmartDevice, "id" | "kind" | "unreachableSince">): NotificationButton[] | undefined {
  if (row.kind !== "SWITCH" || row.unreachableSince) return undefined;
  return [
    { customId: customId(Prefix.device, "on", row.id), label: "On", style: "success" },
    { customId: customId(Prefix.device, "off", row.id), label: "Off", style: "danger" },
  ];
}

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

const itemLabel = (itemId: number, names: ItemNames) => {
  const name = names.get(itemId);
  return name === undefined ? `\`${itemId}\`` : escapeMarkdown(name);
};
