// The notification families: one channel each under the /setup category. One table, used by /setup,
// /setup families, the notifier and /help.
import type { DiscordIntegration } from "../generated/prisma/client.ts";
import { NotificationFamily } from "../generated/prisma/enums.ts";

export { NotificationFamily };

interface FamilyInfo {
  /** Prefix of the DiscordIntegration columns: <column>Enabled, <column>ChannelId. */
  column: "alarms" | "events" | "teamChat" | "devices" | "storage" | "shop" | "intel" | "deaths" | "status";
  label: string;
  channelName: string;
  topic: string;
  /** Members write here (the team chat bridge); every other channel is a read-only feed. */
  membersWrite: boolean;
}

export const FAMILIES: Record<NotificationFamily, FamilyInfo> = {
  ALARMS: { column: "alarms", label: "Alarms & raids", channelName: "alarms-and-raids", topic: "Smart alarms, raid warnings and decaying tool cupboards.", membersWrite: false },
  EVENTS: { column: "events", label: "Events", channelName: "events", topic: "Cargo ship, patrol helicopter, Chinook, oil rigs and the travelling vendor.", membersWrite: false },
  TEAM_CHAT: { column: "teamChat", label: "Team chat", channelName: "team-chat", topic: "In-game team chat. Write here to talk to the team in game.", membersWrite: true },
  DEVICES: { column: "devices", label: "Smart devices", channelName: "smart-devices", topic: "Smart switches and alarms, with their controls.", membersWrite: false },
  STORAGE: { column: "storage", label: "Storage monitors", channelName: "storage-monitors", topic: "Storage monitor contents and tool cupboard upkeep.", membersWrite: false },
  SHOP: { column: "shop", label: "Shop", channelName: "shop", topic: "Vending machine offers matching your tracked items.", membersWrite: false },
  INTEL: { column: "intel", label: "Player intel", channelName: "player-intel", topic: "Tracked players coming online and going offline.", membersWrite: false },
  DEATHS: { column: "deaths", label: "Deaths & logins", channelName: "deaths-and-logins", topic: "Teammates dying, logging in and out.", membersWrite: false },
  STATUS: { column: "status", label: "Server status", channelName: "server-status", topic: "Paired servers: players, queue, time and wipe.", membersWrite: false },
};

export const FAMILY_LIST = Object.keys(FAMILIES) as NotificationFamily[];

export function isFamily(value: string): value is NotificationFamily {
  return value in FAMILIES;
}

type EnabledColumn = `${FamilyInfo["column"]}Enabled`;
type ChannelColumn = `${FamilyInfo["column"]}ChannelId`;

export function enabledColumn(family: NotificationFamily): EnabledColumn {
  return `${FAMILIES[family].column}Enabled`;
}

export function channelColumn(family: NotificationFamily): ChannelColumn {
  return `${FAMILIES[family].column}ChannelId`;
}

export function familyState(integration: DiscordIntegration, family: NotificationFamily): { enabled: boolean; channelId: string | null } {
  return { enabled: integration[enabledColumn(family)], channelId: integration[channelColumn(family)] };
}
