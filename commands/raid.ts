// /raid — explosives and sulfur to destroy a structure: each explosive alone and the cheapest mix.
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { readContent } from "../src/content/read-content.ts";
import { raidEmbed, raidFooter, targetChoices } from "../src/tools/raid/raid-answer.ts";
import { MAX_TARGETS, planRaid } from "../src/tools/raid/raid-plan.ts";

const data = {
  name: "raid",
  description: "Explosives and sulfur to destroy a wall or door",
  type: ApplicationCommandType.ChatInput,
  options: [
    { type: ApplicationCommandOptionType.String, name: "target", description: "What to destroy", required: true, autocomplete: true, max_length: 50 },
    { type: ApplicationCommandOptionType.Integer, name: "count", description: "How many of them (default 1)", min_value: 1, max_value: MAX_TARGETS },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const options = z.object({
  target: z.string().max(50, "Pick a target from the list."),
  count: z.number().int().min(1, `The count is 1 to ${MAX_TARGETS}.`).max(MAX_TARGETS, `The count is 1 to ${MAX_TARGETS}.`).default(1),
});

export const raid: SlashCommand = {
  data,
  ephemeral: false,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const table = await readContent(ctx.prisma, "raid-table", ctx.logger);
    const plan = planRaid(table, opts.target, opts.count);
    const messages = await readContent(ctx.prisma, "messages", ctx.logger);
    return { embeds: [raidEmbed(plan, raidFooter(table, messages["raid.footer"]))] };
  },
  async autocomplete(_interaction, focused, ctx) {
    if (focused.name !== "target") return [];
    return targetChoices(await readContent(ctx.prisma, "raid-table", ctx.logger), focused.value);
  },
};
