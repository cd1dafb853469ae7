// /faq — answers from the FAQ in the ContentStore (operators edit it with /admin content set).
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { faqChoices, faqEmbed } from "../src/content/faq-answer.ts";
import { readContent } from "../src/content/read-content.ts";

const data = {
  name: "faq",
  description: "Answers to common questions",
  type: ApplicationCommandType.ChatInput,
  options: [{ type: ApplicationCommandOptionType.String, name: "topic", description: "The question (empty: list them)", autocomplete: true, max_length: 100 }],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const options = z.object({ topic: z.string().max(100).optional() });

export const faq: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const content = await readContent(ctx.prisma, "faq", ctx.logger);
    return { embeds: [faqEmbed(content, opts.topic)], ephemeral: true };
  },
  async autocomplete(_interaction, focused, ctx) {
    if (focused.name !== "topic") return [];
    return faqChoices(await readContent(ctx.prisma, "faq", ctx.logger), focused.value);
  },
};
