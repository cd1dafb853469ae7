// /conveyor plan|show — industrial conveyor filters for a sorter: per box, conveyors of at most 30 entries in
// the game's copy/paste format, and an overflow; saved per user by name.
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { readContent } from "../src/content/read-content.ts";
import { findLinkedUser, requireLinkedUser } from "../src/identity/linked-user.ts";
import { planAnswer } from "../src/tools/conveyor/plan-answer.ts";
import { MAX_BOXES } from "../src/tools/conveyor/plan-sorter.ts";
import { findSorterPlan, listSorterPlans, planNameSchema } from "../src/tools/conveyor/saved-plans.ts";
import { conveyorPlanModal, MAX_SLOTS } from "./components/conveyor-plan.ts";

const data = {
  name: "conveyor",
  description: "Industrial conveyor filters for a sorter",
  type: ApplicationCommandType.ChatInput,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "plan",
      description: "Plan a sorter: list the items or categories in the form that opens",
      options: [
        { type: ApplicationCommandOptionType.Integer, name: "boxes", description: "How many boxes to sort into", required: true, min_value: 1, max_value: MAX_BOXES },
        { type: ApplicationCommandOptionType.Integer, name: "slots", description: "Slots per box (large wood box: 48)", min_value: 1, max_value: MAX_SLOTS },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "show",
      description: "One of your saved sorter plans",
      options: [{ type: ApplicationCommandOptionType.String, name: "name", description: "The plan", required: true, autocomplete: true, max_length: 50 }],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const boxesRange = `Boxes: 1 to ${MAX_BOXES}.`;
const slotsRange = `Slots per box: 1 to ${MAX_SLOTS}.`;
const options = z.discriminatedUnion("subcommand", [
  z.object({ subcommand: z.literal("plan"), boxes: z.number().int().min(1, boxesRange).max(MAX_BOXES, boxesRange), slots: z.number().int().min(1, slotsRange).max(MAX_SLOTS, slotsRange).default(MAX_SLOTS) }),
  z.object({ subcommand: z.literal("show"), name: planNameSchema }),
]);

export const conveyor: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    if (opts.subcommand === "plan") return { modal: conveyorPlanModal(opts.boxes, opts.slots) };
    const plan = await findSorterPlan(ctx.prisma, user.id, opts.name);
    const messages = await readContent(ctx.prisma, "messages", ctx.logger);
    return { ...planAnswer(plan.name, plan.manifest, messages["conveyor.footer"]), ephemeral: true };
  },
  async autocomplete(interaction, focused, ctx) {
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    if (!user || focused.name !== "name") return [];
    const q = focused.value.trim().toLowerCase();
    return (await listSorterPlans(ctx.prisma, user.id)).filter((p) => p.name.toLowerCase().includes(q)).map((p) => ({ name: p.name, value: p.name }));
  },
};
