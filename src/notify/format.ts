// A domain event as a Discord embed. Text that comes from players is escaped: no markdown, no mentions; the
// embed is fitted to Discord's limits by the dispatcher (src/bot/fit-payload.ts).
import { escapeMarkdown, type APIEmbed } from "discord.js";
import type { NotificationEvent } from "./events.ts";

const RED = 0xe74c3c;
const ORANGE = 0xe67e22;
const BLUE = 0x3498db;
const GREEN = 0x2ecc71;
const GREY = 0x95a5a6;
const PURPLE = 0x9b59b6;

const clean = (s: string) => escapeMarkdown(s).replace(/@/g, "@\u200b");
const where = (grid: string | undefined) => (grid ? ` at ${grid}` : "");

export function formatEvent(event: NotificationEvent): APIEmbed {
  const common = { timestamp: event.at, ...("serverName" in event && { footer: { text: clean(event.serverName) } }) };
  switch (event.kind) {
    case "alarm":
      return { ...common, color: RED, title: `🚨 ${clean(event.alarmName)}${where(event.grid)}`, ...(event.message && { description: clean(event.message) }) };
    case "raid":
      return { ...common, color: RED, title: `💥 ${clean(event.title)}${where(event.grid)}`, description: clean(event.detail) };
    case "map-event":
      return { ...common, color: ORANGE, title: `${clean(event.event)}${where(event.grid)}`, description: clean(event.text) };
    case "team-chat":
      return { ...common, color: BLUE, author: { name: clean(event.author) }, description: clean(event.text) };
    case "death":
      return { ...common, color: GREY, title: `💀 ${clean(event.player)} died${where(event.grid)}` };
    case "login":
      return { ...common, color: event.online ? GREEN : GREY, title: `${clean(event.player)} ${event.online ? "is online" : "went offline"}` };
    case "shop-hit":
      return {
        ...common,
        color: PURPLE,
        title: `🛒 ${clean(event.item)}${where(event.grid)}`,
        description: `${event.quantity} for ${event.price} ${clean(event.currency)}`,
      };
    case "tracked-player":
      return { ...common, color: ORANGE, title: `👁 ${clean(event.player)}`, description: clean(event.text) };
    case "server-status":
      return { ...common, color: GREEN, description: clean(event.text) };
    case "account":
      return { ...common, color: RED, title: clean(event.title), description: clean(event.text), ...(event.url && { url: event.url }) };
  }
}
