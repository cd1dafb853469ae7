// /unlink — detach this Discord account from its Steam account.
import { ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import type { SlashCommand } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { unlinkDiscord } from "../src/identity/link-account.ts";

const data = {
  name: "unlink",
  description: "Unlink your Steam account from your Discord account",
  type: ApplicationCommandType.ChatInput,
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

export const unlink: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    if (!(await unlinkDiscord(ctx.prisma, interaction.user.id))) throw new UserError("Your Discord account is not linked to a Steam account.");
    return { content: "Unlinked. Your servers and settings stay with your Steam account; `/link` again to use them.", ephemeral: true };
  },
};
