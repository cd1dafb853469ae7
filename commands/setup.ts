// /setup — the notification channels: create or repair them, switch families, or forget the setup.
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  InteractionContextType,
  PermissionFlagsBits,
  type RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import { z } from "zod";
import { parseOptions } from "../src/bot/options.ts";
import type { BotContext, SlashCommand } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { requireLinkedUser } from "../src/identity/linked-user.ts";
import { FAMILIES, FAMILY_LIST, NotificationFamily } from "../src/notify/families.ts";
import { requireIntegration, removeSetup, runSetup, setFamily, type SetupReport } from "../src/notify/setup.ts";
import { familyPanel } from "./components/family.ts";
import { removeConfirmModal } from "./components/setup-remove.ts";

const data = {
  name: "setup",
  description: "Set up the notification channels in this server",
  type: ApplicationCommandType.ChatInput,
  default_member_permissions: String(PermissionFlagsBits.ManageGuild),
  contexts: [InteractionContextType.Guild],
  options: [
    { type: ApplicationCommandOptionType.Subcommand, name: "run", description: "Create the channels, or repair them if some were deleted" },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "families",
      description: "Switch notification families on or off",
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: "family",
          description: "The family to switch (leave empty to see all of them)",
          choices: FAMILY_LIST.map((f) => ({ name: FAMILIES[f].label, value: f })),
        },
        { type: ApplicationCommandOptionType.Boolean, name: "enabled", description: "On or off" },
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "remove",
      description: "Stop posting notifications here",
      options: [{ type: ApplicationCommandOptionType.Boolean, name: "delete_channels", description: "Also delete the channels (asks to confirm)" }],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const options = z.discriminatedUnion("subcommand", [
  z.object({ subcommand: z.literal("run") }),
  z
    .object({ subcommand: z.literal("families"), family: z.enum(NotificationFamily).optional(), enabled: z.boolean().optional() })
    .refine((o) => (o.family === undefined) === (o.enabled === undefined), {
      error: "Give both a family and on/off, or neither to see the panel.",
    }),
  z.object({ subcommand: z.literal("remove"), delete_channels: z.boolean().default(false) }),
]);

export const setup: SlashCommand = {
  data,
  ephemeral: false,
  async execute(interaction, ctx) {
    const guild = interaction.guild;
    if (!guild) throw new UserError("Run /setup in a server, not in a DM.");
    const opts = parseOptions(interaction, options);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);

    switch (opts.subcommand) {
      case "run": {
        const report = await runSetup(ctx.prisma, guild, user.id);
        await releaseHeld(ctx, user.id, report);
        return { embeds: [reportEmbed(report)] };
      }
      case "families": {
        if (opts.family === undefined || opts.enabled === undefined) {
          return { ...familyPanel(await requireIntegration(ctx.prisma, user.id, guild.id)), ephemeral: true };
        }
        const { integration, report } = await setFamily(ctx.prisma, guild, user.id, opts.family, opts.enabled);
        if (report) await releaseHeld(ctx, user.id, report);
        const label = FAMILIES[opts.family].label;
        return { content: `${label} notifications are now **${opts.enabled ? "on" : "off"}**.`, ...familyPanel(integration), ephemeral: true };
      }
      case "remove": {
        if (opts.delete_channels) return { modal: removeConfirmModal(guild.name) };
        await removeSetup(ctx.prisma, guild, user.id, false);
        return { content: "Notifications will no longer be posted here. The channels stay; run `/setup run` to use them again.", ephemeral: true };
      }
    }
  },
};

async function releaseHeld(ctx: BotContext, userId: string, report: SetupReport): Promise<void> {
  const repaired = report.channels.filter((c) => c.outcome !== "off" && c.channelId).map((c) => c.family);
  await ctx.notifier.release(userId, repaired);
}

const OUTCOME_TEXT = { created: "created", adopted: "found and adopted", kept: "already there", off: "switched off" } as const;

function reportEmbed(report: SetupReport) {
  const lines = report.channels.map(
    (c) => `${c.channelId && c.outcome !== "off" ? `<#${c.channelId}>` : `**${FAMILIES[c.family].label}**`} — ${OUTCOME_TEXT[c.outcome]}`,
  );
  return {
    title: report.channels.some((c) => c.outcome === "created") ? "Notification channels ready" : "Notification channels checked",
    description: [
      `Category <#${report.categoryId}> ${report.categoryCreated ? "created" : "in place"}.`,
      ...lines,
      ...(report.problems.length ? ["", "**Needs your attention:**", ...report.problems] : []),
    ].join("\n"),
    color: report.problems.length ? 0xe67e22 : 0x2ecc71,
  };
}
