// The direct messages that tell people their link changed. They are sent after the change is committed and
// never undo it: a DM that cannot be delivered (closed DMs, Discord down) is logged, and the link stands.
import { escapeMarkdown } from "discord.js";
import type { Logger } from "../logger.ts";
import type { DirectMessage } from "../notify/dm.ts";
import type { Notifier } from "../notify/notifier.ts";
import { profileName, type LinkProfile } from "./link-profile.ts";

/** "**Name (@user)** (<@id>)": the name as shown on the confirm page, and a mention Discord resolves (no ping: allowed_mentions is empty). */
export function discordAccountLabel(discordUserId: string, profile: LinkProfile | null): string {
  return profile ? `**${escapeMarkdown(profileName(profile))}** (<@${discordUserId}>)` : `<@${discordUserId}>`;
}

/** To the Discord account that has just been linked. */
export function linkedMessage(input: { steamId: string; previousSteamId: string | null; movedFrom: string | null }): DirectMessage {
  const lines = [`Your Discord account is now linked to Steam account \`${input.steamId}\`.`];
  if (input.previousSteamId) lines.push(`It replaces Steam account \`${input.previousSteamId}\`, which is no longer linked to this Discord account.`);
  if (input.movedFrom) lines.push(`The Discord account <@${input.movedFrom}> held this Steam account before and agreed to the move.`);
  lines.push("If this was not you, run `/unlink` now.");
  return { content: lines.join("\n") };
}

/** To the Discord account whose Steam link was moved to another one (it agreed in a DM). */
export function movedAwayMessage(input: { steamId: string; to: string; toProfile: LinkProfile | null }): DirectMessage {
  return {
    content:
      `Steam account \`${input.steamId}\` is now linked to ${discordAccountLabel(input.to, input.toProfile)}, as you confirmed; ` +
      "your Discord account is no longer linked to it. Run `/link` to link a Steam account again.",
  };
}

/** To the Discord account whose login was refused by the Steam account's owner. */
export function refusedMessage(steamId: string): DirectMessage {
  return { content: `The Discord account that holds Steam account \`${steamId}\` refused to move it to you. Nothing changed.` };
}

/** Sends a notice; failures are logged with who and why, never thrown. */
export async function tell(notifier: Notifier | undefined, logger: Logger, discordUserId: string, message: DirectMessage, what: string): Promise<void> {
  if (!notifier) return void logger.warn({ discordUserId, notice: what }, "link notice not sent: no Discord REST in this process");
  try {
    const outcome = await notifier.directMessage(discordUserId, message);
    if (outcome !== "sent") logger.warn({ discordUserId, notice: what, outcome }, "link notice not delivered");
  } catch (err) {
    logger.error({ err, discordUserId, notice: what }, "link notice failed");
  }
}
