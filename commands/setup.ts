// /setup — the notification channels of this guild, which serve every member whose notifications go here:
// create or repair them, switch families, or forget the setup (Manage Server, no linked Steam needed: the
// configuration is the guild's); and `use-here`, by which any linked member sends their notifications here.
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
import { findLinkedUser, requireLinkedUser } from "../src/identity/linked-user.ts";
import { FAMILIES, FAMILY_LIST, NotificationFamily } from "../src/notify/families.ts";
import { chooseGuild } from "../src/notify/route.ts";
import { requireIntegration, removeSetup, runSetup, setFamily, type SetupReport } from "../src/notify/setup.ts";
import { familyPanel } from "./components/family.ts";
import { removeConfirmModal } from "./components/setup-remove.ts";

const data = {
  name: "setup",
  description: "Set up the notification channels in this server",
  type: ApplicationCommandType.ChatInput,
  // No default_member_permissions: `use-here` is for every member. run, families and remove check Manage Server.
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
    { type: ApplicationCommandOptionType.Subcommand, name: "use-here", description: "Send your servers' notifications to this server's channels" },
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
  z.object({ subcommand: z.literal("use-here") }),
]);

const MANAGE_SERVER = { run: PermissionFlagsBits.ManageGuild, families: PermissionFlagsBits.ManageGuild, remove: PermissionFlagsBits.ManageGuild };

export const setup: SlashCommand = {
  data,
  ephemeral: false,
  subcommandPermissions: MANAGE_SERVER,
  async execute(interaction, ctx) {
    const guild = interaction.guild;
    if (!guild) throw new UserError("Run /setup in a server, not in a DM.");
    const opts = parseOptions(interaction, options);
    if (opts.subcommand === "use-here") return useHere(ctx, guild.id, interaction.user.id);
    if (!interaction.memberPermissions?.has(MANAGE_SERVER[opts.subcommand])) {
      throw new UserError("Setting up this server's channels needs **Manage Server**. To send your own notifications here, run `/setup use-here`.");
    }

    switch (opts.subcommand) {
      case "run": {
        const report = await runSetup(ctx.prisma, guild, interaction.user.id);
        // A runner who plays and has not chosen a guild yet is served here too; one who has is asked to choose.
        const runner = await findLinkedUser(ctx.prisma, interaction.user.id);
        const routed = runner && !runner.notificationGuildId ? (await ctx.prisma.user.updateMany({ where: { id: runner.id, notificationGuildId: null }, data: { notificationGuildId: guild.id } })).count : 0;
        await releaseHeld(ctx, guild.id, report);
        const note =
          routed ? "Your own servers' notifications come here too."
          : runner?.notificationGuildId && runner.notificationGuildId !== guild.id ? "Your own servers' notifications still go to the server you chose: run `/setup use-here` to bring them here."
          : undefined;
        return { embeds: [reportEmbed(report, note)] };
      }
      case "families": {
        if (opts.family === undefined || opts.enabled === undefined) {
          return { ...familyPanel(await requireIntegration(ctx.prisma, guild.id)), ephemeral: true };
        }
        const { integration, report } = await setFamily(ctx.prisma, guild, interaction.user.id, opts.family, opts.enabled);
        if (report) await releaseHeld(ctx, guild.id, report);
        const label = FAMILIES[opts.family].label;
        return { content: `${label} notifications are now **${opts.enabled ? "on" : "off"}**.`, ...familyPanel(integration), ephemeral: true };
      }
      case "remove": {
        if (opts.delete_channels) return { modal: removeConfirmModal(guild.name) };
        await removeSetup(ctx.prisma, guild, false);
        return {
          content:
            "Notifications will no longer be posted here. The channels stay; run `/setup run` to use them again. " +
            "Members whose notifications came here keep them waiting until then, or until they run `/setup use-here` in another server.",
          ephemeral: true,
        };
      }
    }
  },
};

async function releaseHeld(ctx: BotContext, guildId: string, report: SetupReport): Promise<void> {
  const repaired = report.channels.filter((c) => c.outcome !== "off" && c.channelId).map((c) => c.family);
  await ctx.notifier.releaseGuild(guildId, repaired);
}

/** Any linked member: their notifications go to this guild's channels from now on (and what waited is posted). */
export async function useHere(ctx: BotContext, guildId: string, discordUserId: string) {
  const user = await requireLinkedUser(ctx.prisma, discordUserId);
  const integration = await ctx.prisma.discordIntegration.findUnique({ where: { guildId } });
  if (!integration) throw new UserError("The bot isn't set up in this server yet: someone with **Manage Server** runs `/setup run` first, then try again.");
  const { previous } = await chooseGuild(ctx.prisma, user.id, integration);
  await ctx.notifier.release(user.id, FAMILY_LIST);
  return {
    content:
      `Your servers' notifications now go to **${integration.guildName}**${previous ? ` instead of **${previous}**` : ""}. ` +
      "To move them again, run `/setup use-here` in another server where the bot is set up.",
    ephemeral: true,
  };
}

const OUTCOME_TEXT = { created: "created", adopted: "found and adopted", kept: "already there", off: "switched off" } as const;

function reportEmbed(report: SetupReport, note?: string) {
  const lines = report.channels.map(
    (c) => `${c.channelId && c.outcome !== "off" ? `<#${c.channelId}>` : `**${FAMILIES[c.family].label}**`} — ${OUTCOME_TEXT[c.outcome]}`,
  );
  return {
    title: report.channels.some((c) => c.outcome === "created") ? "Notification channels ready" : "Notification channels checked",
    description: [
      `Category <#${report.categoryId}> ${report.categoryCreated ? "created" : "in place"}.`,
      ...lines,
      ...(report.problems.length ? ["", "**Needs your attention:**", ...report.problems] : []),
      "",
      "Every member's notifications can come here: a member who shares only this set-up server with the bot gets them here, and any member can run `/setup use-here`.",
      ...(note ? [note] : []),
    ].join("\n"),
    color: report.problems.length ? 0xe67e22 : 0x2ecc71,
  };
}
