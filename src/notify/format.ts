// A domain event as a Discord embed. Text that comes from players is escaped: no markdown, no mentions; the
// embed is fitted to Discord's limits by the dispatcher (src/bot/fit-payload.ts).
import { escapeMarkdown, type APIEmbed } from "discord.js";
import { atPlace } from "../events/monuments.ts";
import type { NotificationEvent } from "./events.ts";

const RED = 0xe74c3c;
const ORANGE = 0xe67e22;
const BLUE = 0x3498db;
const GREEN = 0x2ecc71;
const GREY = 0x95a5a6;
const PURPLE = 0x9b59b6;

// Beyond discord.js's defaults: a player's `[text](url)` would be a masked link in a description, and a line
// starting with "# " or "- " (a rename's old name) a heading or a list.
const clean = (s: string) => escapeMarkdown(s, { maskedLink: true, heading: true, bulletedList: true, numberedList: true }).replace(/@/g, "@\u200b");
/** " at G12 near Outpost": the monument's name is the bot's own text, the grid a checked label. */
const where = (grid: string | undefined, near?: string) => atPlace({ ...(grid && { grid }), ...(near && { near }) });

export function formatEvent(event: NotificationEvent): APIEmbed {
  const common = { timestamp: event.at, ...("serverName" in event && { footer: { text: clean(event.serverName) } }) };
  switch (event.kind) {
    case "alarm":
      return { ...common, color: RED, title: `🚨 ${clean(event.alarmName)}${where(event.grid, event.near)}`, ...(event.message && { description: clean(event.message) }) };
    case "raid":
      return { ...common, color: RED, title: `💥 ${clean(event.title)}${where(event.grid, event.near)}`, description: clean(event.detail) };
    case "map-event":
      return { ...common, color: ORANGE, title: `${clean(event.event)}${where(event.grid, event.near)}`, description: clean(event.text) };
    case "team-chat":
      return { ...common, color: BLUE, author: { name: clean(event.author) }, description: clean(event.text) };
    case "death":
      return { ...common, color: GREY, title: `💀 ${clean(event.player)} died${where(event.grid, event.near)}`, ...deathDetail(event) };
    case "login":
      return { ...common, color: event.online ? GREEN : GREY, title: `${clean(event.player)} ${event.online ? "is online" : "went offline"}` };
    case "shop-alert":
      return { ...common, color: PURPLE, title: `🛒 ${clean(event.title)}${where(event.grid, event.near)}`, description: event.lines.map(clean).join("\n") };
    case "tracked-player":
      return { ...common, color: ORANGE, title: `👁 ${clean(event.player)}`, description: clean(event.text) };
    case "intel-alert":
      return { ...common, color: ORANGE, title: clean(event.title), description: event.lines.map(clean).join("\n") };
    case "server-status":
      return { ...common, color: GREEN, description: clean(event.text) };
    case "account":
      return { ...common, color: RED, title: clean(event.title), description: clean(event.text), ...(event.url && { url: event.url }) };
  }
}

/** What a death push says, and who killed (a Steam profile link: the push gives no killer's name). */
function deathDetail(event: Extract<NotificationEvent, { kind: "death" }>): Pick<APIEmbed, "description"> {
  const lines = [event.text && clean(event.text), event.killerSteamId && `Killer: [${event.killerSteamId}](https://steamcommunity.com/profiles/${event.killerSteamId})`];
  const description = lines.filter(Boolean).join("\n");
  return description ? { description } : {};
}
