// What the bot needs in a guild for /setup and the notifier, named the way Discord's settings name them.
import { PermissionFlagsBits, type PermissionsBitField } from "discord.js";

export const PERMISSION_NAMES: [bigint, string][] = [
  [PermissionFlagsBits.ViewChannel, "View Channels"],
  [PermissionFlagsBits.ManageChannels, "Manage Channels"],
  [PermissionFlagsBits.ManageRoles, "Manage Roles"],
  [PermissionFlagsBits.SendMessages, "Send Messages"],
  [PermissionFlagsBits.EmbedLinks, "Embed Links"],
  [PermissionFlagsBits.AttachFiles, "Attach Files"],
  [PermissionFlagsBits.ReadMessageHistory, "Read Message History"],
];

/** To create and repair the channels. */
export const SETUP_PERMISSIONS = PERMISSION_NAMES.map(([bit]) => bit);
/** To post notifications in a channel. */
export const POST_PERMISSIONS = [PermissionFlagsBits.ViewChannel, PermissionFlagsBits.SendMessages, PermissionFlagsBits.EmbedLinks];
/** Granted to the bot on every channel it creates, so a restrictive server still lets it post. */
export const BOT_CHANNEL_ALLOW = [...POST_PERMISSIONS, PermissionFlagsBits.AttachFiles, PermissionFlagsBits.ReadMessageHistory];

export function missingNames(have: Readonly<PermissionsBitField> | null, needed: bigint[]): string[] {
  return needed.filter((bit) => !have?.has(bit, true)).map((bit) => PERMISSION_NAMES.find(([b]) => b === bit)?.[1] ?? String(bit));
}
