// link-confirm:<confirm|refuse>:<token> — the buttons in the DM asking a Steam account's holder whether it may
// move to another Discord account. Only the holder (the request's subject) can answer (src/identity/link-confirm.ts).
import { Prefix } from "../../src/bot/custom-ids.ts";
import type { ComponentHandler } from "../../src/bot/types.ts";
import { UserError } from "../../src/errors.ts";
import { answerMove } from "../../src/identity/link-confirm.ts";

export const linkConfirmButton: ComponentHandler = {
  prefix: Prefix.linkConfirm,
  async execute(interaction, [choice = "", token = ""], ctx) {
    if (!interaction.isButton() || (choice !== "confirm" && choice !== "refuse") || !token) throw new UserError("This button is not valid.");
    const { content, components = [] } = await answerMove(ctx, { token, choice, presser: interaction.user.id });
    return { update: { content, components } };
  },
};
