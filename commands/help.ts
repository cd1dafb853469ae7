// /help — the commands this user can run here, and whether their Steam account is linked.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionsBitField,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { billingEnabled, PAID_COMMANDS } from "../src/billing/billing-mode.ts";
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
    // Without billing, commands that need it are left out: they could only say so.
    const works = (name: string) => billingEnabled(ctx.config) || !PAID_COMMANDS.has(name);
    for (const command of ctx.commands) {
      const needed = command.data.default_member_permissions;
      if (needed && !perms.has(BigInt(needed))) continue;
      if (command.data.contexts && !command.data.contexts.includes(here)) continue;
      const subcommands = (command.data.options ?? []).filter((o) => o.type === ApplicationCommandOptionType.Subcommand);
      if (subcommands.length === 0 && works(command.data.name)) lines.push(`**/${command.data.name}** — ${command.data.description}`);
      for (const sub of subcommands) {
        const subNeeded = command.subcommandPermissions?.[sub.name];
        if (subNeeded !== undefined && !perms.has(subNeeded)) continue;
        if (works(`${command.data.name} ${sub.name}`)) lines.push(`**/${command.data.name} ${sub.name}** — ${sub.description}`);
      }
    }
    const account = user
      ? `Your Steam account (${user.steamId}) is linked.`
      : "Your Steam account is not linked yet: run `/link` to pair servers and use your devices.";
    return { embeds: [{ title: "Commands", description: lines.join("\n"), footer: { text: account } }], ephemeral: true };
  },
};
