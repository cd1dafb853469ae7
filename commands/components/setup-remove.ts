// setup-remove — the modal that confirms /setup remove delete_channels:true by typing the server's name.
import { ComponentType, PermissionFlagsBits, TextInputStyle, type APIModalInteractionResponseCallbackData } from "discord.js";
import { customId, Prefix } from "../../src/bot/custom-ids.ts";
import type { ComponentHandler } from "../../src/bot/types.ts";
import { UserError } from "../../src/errors.ts";
import { requireLinkedUser } from "../../src/identity/linked-user.ts";
import { removeSetup } from "../../src/notify/setup.ts";
import { fitText } from "../../src/bot/fit-text.ts";

const FIELD = "confirm";

export function removeConfirmModal(guildName: string): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId(Prefix.setupRemove),
    title: "Delete the notification channels?",
    components: [
      {
        type: ComponentType.ActionRow,
        components: [
          {
            type: ComponentType.TextInput,
            custom_id: FIELD,
            style: TextInputStyle.Short,
            label: "Type the server name to confirm",
            placeholder: fitText(guildName, 100),
            required: true,
            max_length: 100,
          },
        ],
      },
    ],
  };
}

export const setupRemoveModal: ComponentHandler = {
  prefix: Prefix.setupRemove,
  async execute(interaction, _args, ctx) {
    if (!interaction.isModalSubmit() || !interaction.guild) throw new UserError("This form only works in a server.");
    if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
      throw new UserError("Only members with Manage Server can remove the setup.");
    }
    const typed = interaction.fields.getTextInputValue(FIELD).trim();
    if (typed.toLowerCase() !== interaction.guild.name.trim().toLowerCase()) {
      throw new UserError(`That is not this server's name, so nothing was deleted.`);
    }
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const deleted = await removeSetup(ctx.prisma, interaction.guild, user.id, true);
    return { content: `Deleted ${deleted} channel${deleted === 1 ? "" : "s"}. Notifications will no longer be posted here.`, ephemeral: true };
  },
};
