// /craft — a recipe's ingredients, workbench and time, and the raw cost of the whole tree.
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { readContent } from "../src/content/read-content.ts";
import { UserError } from "../src/errors.ts";
import { craftEmbed, recipeChoices } from "../src/tools/crafting/craft-answer.ts";
import { craftCost, MAX_QUANTITY } from "../src/tools/crafting/raw-cost.ts";
import { resolveItem, shown } from "../src/tools/items/find-item.ts";
import { itemNames } from "../src/tools/items/item-names.ts";

const data = {
  name: "craft",
  description: "What crafting an item takes, down to raw materials",
  type: ApplicationCommandType.ChatInput,
  options: [
    { type: ApplicationCommandOptionType.String, name: "item", description: "The item", required: true, autocomplete: true, max_length: 100 },
    { type: ApplicationCommandOptionType.Integer, name: "quantity", description: "How many (default 1)", min_value: 1, max_value: MAX_QUANTITY },
    {
      type: ApplicationCommandOptionType.String,
      name: "mode",
      description: "Amortised (exact per item) or batch (whole crafts)",
      choices: [{ name: "Amortised", value: "amortised" }, { name: "Batch", value: "batch" }],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const range = `The quantity is 1 to ${MAX_QUANTITY.toLocaleString("en-US")}.`;
const options = z.object({
  item: z.string().trim().min(1, "Name an item.").max(100),
  quantity: z.number().int().min(1, range).max(MAX_QUANTITY, range).default(1),
  mode: z.enum(["amortised", "batch"]).default("amortised"),
});

export const craft: SlashCommand = {
  data,
  ephemeral: false,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const book = await readContent(ctx.prisma, "recipes", ctx.logger);
    const direct = book.recipes.some((r) => r.item === opts.item.toLowerCase());
    const shortname = direct ? opts.item.toLowerCase() : (await resolveItem(ctx.prisma, opts.item)).shortname;
    if (!book.recipes.some((r) => r.item === shortname)) throw new UserError(`There is no recipe for \`${shown(shortname)}\` yet.`);
    const cost = craftCost(book, shortname, opts.quantity, opts.mode);
    const names = await itemNames(ctx.prisma);
    const messages = await readContent(ctx.prisma, "messages", ctx.logger);
    return { embeds: [craftEmbed(cost, opts.mode, names, messages["craft.footer"])] };
  },
  async autocomplete(_interaction, focused, ctx) {
    if (focused.name !== "item") return [];
    const book = await readContent(ctx.prisma, "recipes", ctx.logger);
    return recipeChoices(book, [...(await itemNames(ctx.prisma))].map(([shortname, name]) => ({ shortname, name })), focused.value);
  },
};
