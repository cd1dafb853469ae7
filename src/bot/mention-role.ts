// The role a command's `role:` option asks the bot to mention on every alert (/watchlist create, /alarm notify).
// The bot may hold "Mention @everyone, @here and All Roles", so it could ping a role the member could not ping
// themselves; and its posts go to the guild the user's notifications route to (src/notify/route.ts), where a
// role of another guild shows as @deleted-role. One check for every such option, so they cannot drift apart.
import { PermissionFlagsBits, type ChatInputCommandInteraction } from "discord.js";
import type { PrismaClient } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import { resolveRoute } from "../notify/route.ts";
import { plain } from "./plain-text.ts";

/**
 * The id of the role in option `option`, if the invoking member may have the bot mention it in their
 * notifications: the command runs in a guild; that guild is where `userId`'s notifications go (resolveRoute: a
 * user who has not chosen and shares exactly one set-up guild with the bot gets it as their choice, as on their
 * next notification); the role is not @everyone (whose id is the guild's); and it is mentionable, or the member
 * has Mention Everyone there (Discord's own rule for who may mention a role: the role object's `mentionable`,
 * https://discord.com/developers/docs/topics/permissions#role-object, and the MENTION_EVERYONE permission).
 * The role object and the member's permissions come from the interaction (`resolved.roles`, `member.permissions`),
 * so nothing is fetched from Discord except resolveRoute's member look-ups for a user without a choice.
 * Throws UserError saying why not (nothing changed); rethrows what resolveRoute throws (a Discord failure).
 */
export async function requireMentionRole(interaction: ChatInputCommandInteraction, prisma: PrismaClient, userId: string, option = "role"): Promise<string> {
  const guildId = interaction.guildId;
  if (!guildId || !interaction.inGuild()) {
    throw new UserError("Pick the role in the Discord server your notifications go to: run this command there, not in a DM.");
  }
  const role = interaction.options.getRole(option);
  if (!role) throw new UserError("Pick a role from this server.");
  if (role.id === guildId) throw new UserError("Pick a role other than @everyone.");
  if (!role.mentionable && !interaction.memberPermissions.has(PermissionFlagsBits.MentionEveryone)) {
    throw new UserError(
      `**@${plain(role.name)}** is not mentionable and you may not mention it yourself (**Mention @everyone, @here and All Roles**), so the bot will not mention it for you. ` +
        "Pick a role anyone may mention, or ask an admin to allow mentioning it (Server Settings → Roles).",
    );
  }
  const route = await resolveRoute(prisma, interaction.client.rest, userId, interaction.user.id);
  const routedTo = route.kind === "guild" ? route.integration.guildId : route.kind === "chosen" ? route.guildId : null;
  if (routedTo === guildId) return role.id;
  if (routedTo === null) {
    throw new UserError("Your notifications go to no Discord server yet, so there is nowhere to mention a role. Run `/setup use-here` in this server first, then pick the role again.");
  }
  const where = route.kind === "guild" ? `**${plain(route.integration.guildName)}**` : "another Discord server";
  throw new UserError(
    `Your notifications go to ${where}, where a role of this server cannot be mentioned. ` +
      "Run this command there with one of its roles, or run `/setup use-here` here to bring your notifications to this server.",
  );
}
