// family:<FAMILY>:<on|off> — a button on the /setup families panel.
import { ButtonStyle, ComponentType, PermissionFlagsBits, type APIActionRowComponent, type APIButtonComponent } from "discord.js";
import { customId, Prefix } from "../../src/bot/custom-ids.ts";
import type { ComponentHandler } from "../../src/bot/types.ts";
import { UserError } from "../../src/errors.ts";
import type { DiscordIntegration } from "../../src/generated/prisma/client.ts";
import { FAMILIES, FAMILY_LIST, familyState, isFamily } from "../../src/notify/families.ts";
import { setFamily } from "../../src/notify/setup.ts";

export function familyPanel(integration: DiscordIntegration): { components: APIActionRowComponent<APIButtonComponent>[] } {
  const buttons: APIButtonComponent[] = FAMILY_LIST.map((family) => {
    const { enabled } = familyState(integration, family);
    return {
      type: ComponentType.Button,
      style: enabled ? ButtonStyle.Success : ButtonStyle.Secondary,
      label: `${FAMILIES[family].label}: ${enabled ? "on" : "off"}`,
      custom_id: customId(Prefix.family, family, enabled ? "off" : "on"),
    };
  });
  const rows: APIActionRowComponent<APIButtonComponent>[] = [];
  for (let i = 0; i < buttons.length; i += 5) rows.push({ type: ComponentType.ActionRow, components: buttons.slice(i, i + 5) });
  return { components: rows };
}

export const familyButton: ComponentHandler = {
  prefix: Prefix.family,
  async execute(interaction, [family = "", state = ""], ctx) {
    if (!isFamily(family) || (state !== "on" && state !== "off")) throw new UserError("This button is not valid any more. Run `/setup families` again.");
    if (!interaction.guild) throw new UserError("This button only works in a server.");
    if (!interaction.memberPermissions?.has(PermissionFlagsBits.ManageGuild)) {
      throw new UserError("Only members with Manage Server can switch notifications.");
    }
    // The guild's configuration: a Manage Server member need not have linked Steam.
    const { integration, report } = await setFamily(ctx.prisma, interaction.guild, interaction.user.id, family, state === "on");
    if (report) await ctx.notifier.releaseGuild(interaction.guild.id, [family]);
    return { update: { content: `${FAMILIES[family].label} notifications are now **${state}**.`, ...familyPanel(integration) } };
  },
};
