// route:<guildId> — a button on the pairing message (or the note telling a member their notifications wait)
// choosing which set-up guild carries the presser's notifications. Pressed in a DM, so membership is checked.
import { Prefix } from "../../src/bot/custom-ids.ts";
import type { ComponentHandler } from "../../src/bot/types.ts";
import { UserError } from "../../src/errors.ts";
import { isMember } from "../../src/notify/route.ts";
import { useHere } from "../setup.ts";

export const routeButton: ComponentHandler = {
  prefix: Prefix.route,
  async execute(interaction, [guildId = ""], ctx) {
    if (!/^\d{17,20}$/.test(guildId)) throw new UserError("This button is not valid any more. Run `/setup use-here` in the server you want instead.");
    if (!(await isMember(interaction.client.rest, guildId, interaction.user.id))) {
      throw new UserError("You are not a member of that server (or the bot left it), so nothing changed. Run `/setup use-here` in the server you want.");
    }
    return useHere(ctx, guildId, interaction.user.id);
  },
};
