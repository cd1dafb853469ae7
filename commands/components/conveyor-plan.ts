// conveyor-plan:<boxes>:<slots> — the /conveyor plan form: the items or categories to sort, and a name.
import { ComponentType, TextInputStyle, type APIModalInteractionResponseCallbackData } from "discord.js";
import { customId, Prefix } from "../../src/bot/custom-ids.ts";
import type { ComponentHandler } from "../../src/bot/types.ts";
import { readContent } from "../../src/content/read-content.ts";
import { UserError } from "../../src/errors.ts";
import { requireLinkedUser } from "../../src/identity/linked-user.ts";
import { planAnswer } from "../../src/tools/conveyor/plan-answer.ts";
import { MAX_BOXES, planSorter } from "../../src/tools/conveyor/plan-sorter.ts";
import { resolveTargets } from "../../src/tools/conveyor/resolve-targets.ts";
import { planNameSchema, saveSorterPlan } from "../../src/tools/conveyor/saved-plans.ts";

/** The largest box (a large wooden box has 48 slots). */
export const MAX_SLOTS = 48;

export function conveyorPlanModal(boxes: number, slots: number): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId(Prefix.conveyorPlan, boxes, slots),
    title: "Sorter plan",
    components: [
      { type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: "items", label: "Items or categories, one per line", style: TextInputStyle.Paragraph, required: true, max_length: 4000, placeholder: "sulfur\nmetal fragments\nAmmunition" }] },
      { type: ComponentType.ActionRow, components: [{ type: ComponentType.TextInput, custom_id: "name", label: "Save as", style: TextInputStyle.Short, required: false, max_length: 50, placeholder: "main sorter" }] },
    ],
  };
}

const whole = (s: string | undefined, max: number) => (s !== undefined && /^\d{1,3}$/.test(s) && Number(s) >= 1 && Number(s) <= max ? Number(s) : undefined);

export const conveyorPlanForm: ComponentHandler = {
  prefix: Prefix.conveyorPlan,
  async execute(interaction, args, ctx) {
    if (!interaction.isModalSubmit()) throw new UserError("This only works from the /conveyor plan form.");
    const boxes = whole(args[0], MAX_BOXES);
    const slots = whole(args[1], MAX_SLOTS);
    if (boxes === undefined || slots === undefined) throw new UserError("This form is damaged; run /conveyor plan again.");
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const name = planNameSchema.safeParse(interaction.fields.getTextInputValue("name").trim() || "sorter");
    if (!name.success) throw new UserError(name.error.issues[0]?.message ?? "Bad name.");
    const targets = await resolveTargets(ctx.prisma, interaction.fields.getTextInputValue("items"));
    const manifest = planSorter(targets, boxes, slots);
    await saveSorterPlan(ctx.prisma, user.id, name.data, manifest);
    const messages = await readContent(ctx.prisma, "messages", ctx.logger);
    return { ...planAnswer(name.data, manifest, messages["conveyor.footer"]), ephemeral: true };
  },
};
