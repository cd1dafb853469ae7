// /help — the commands this user can run here, and whether their Steam account is linked.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionsBitField,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { SlashCommand } from "../src/bot/types.ts";
import { findLinkedUser } from "../src/identity/linked-user.ts";

const data = {
  name: "help",
  description: "List the commands you can use",
  type: ApplicationCommandType.ChatInput,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const help: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    // In a DM member permissions do not apply, but a command limited to guilds (`contexts`) is not offered there.
    const perms = interaction.memberPermissions ?? new PermissionsBitField(PermissionsBitField.All);
    const here = interaction.inGuild() ? InteractionContextType.Guild : InteractionContextType.BotDM;
    const lines: string[] = [];
    for (const command of ctx.commands) {
      const needed = command.data.default_member_permissions;
      if (needed && !perms.has(BigInt(needed))) continue;
      if (command.data.contexts && !command.data.contexts.includes(here)) continue;
      const subcommands = (command.data.options ?? []).filter((o) => o.type === ApplicationCommandOptionType.Subcommand);
      if (subcommands.length === 0) lines.push(`**/${command.data.name}** — ${command.data.description}`);
      for (const sub of subcommands) lines.push(`**/${command.data.name} ${sub.name}** — ${sub.description}`);
    }
    const account = user
      ? `Your Steam account (${user.steamId}) is linked.`
      : "Your Steam account is not linked yet: run `/link` to pair servers and use your devices.";
    return { embeds: [{ title: "Commands", description: lines.join("\n"), footer: { text: account } }], ephemeral: true };
  },
};
