// /admin beta — operators (ADMIN_STEAM_IDS) grant, revoke and list beta testers.
import { ApplicationCommandOptionType, ApplicationCommandType, PermissionFlagsBits, time, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { grantBeta, isAdmin, listBeta, revokeBeta } from "../src/admin/beta-testers.ts";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { UserError } from "../src/errors.ts";
import { requireLinkedUser } from "../src/identity/linked-user.ts";

const steamIdOption = { type: ApplicationCommandOptionType.String, name: "steam_id", description: "17-digit Steam id", required: true, min_length: 17, max_length: 17 } as const;

const data = {
  name: "admin",
  description: "Operator tools",
  type: ApplicationCommandType.ChatInput,
  default_member_permissions: String(PermissionFlagsBits.Administrator),
  options: [
    {
      type: ApplicationCommandOptionType.SubcommandGroup,
      name: "beta",
      description: "Beta testers",
      options: [
        {
          type: ApplicationCommandOptionType.Subcommand,
          name: "grant",
          description: "Give a Steam account a tier",
          options: [
            steamIdOption,
            { type: ApplicationCommandOptionType.String, name: "tier", description: "Tier", required: true, choices: [{ name: "Operator", value: "OPERATOR" }, { name: "Overlord", value: "OVERLORD" }] },
            { type: ApplicationCommandOptionType.Integer, name: "days", description: "How long (empty: until revoked)", min_value: 1, max_value: 3650 },
            { type: ApplicationCommandOptionType.String, name: "note", description: "Why", max_length: 200 },
          ],
        },
        { type: ApplicationCommandOptionType.Subcommand, name: "revoke", description: "End a beta grant", options: [steamIdOption] },
        { type: ApplicationCommandOptionType.Subcommand, name: "list", description: "Active beta grants" },
      ],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const steamId = z.string().regex(/^7656\d{13}$/, "That is not a 17-digit Steam id (7656…).");
const options = z.discriminatedUnion("subcommand", [
  z.object({ subcommand: z.literal("grant"), steam_id: steamId, tier: z.enum(["OPERATOR", "OVERLORD"]), days: z.number().int().min(1).max(3650).optional(), note: z.string().max(200).optional() }),
  z.object({ subcommand: z.literal("revoke"), steam_id: steamId }),
  z.object({ subcommand: z.literal("list") }),
]);

export const admin: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    if (!isAdmin(ctx.config.ADMIN_STEAM_IDS, user)) throw new UserError("This command is for the bot's operators.");
    const opts = parseOptions(interaction, options);
    const actor = { user };
    switch (opts.subcommand) {
      case "grant": {
        const row = await grantBeta(ctx.prisma, actor, { steamId: opts.steam_id, tier: opts.tier, days: opts.days, note: opts.note });
        return { content: `${row.steamId} has ${row.tier} ${row.expiresAt ? `until ${time(row.expiresAt, "D")}` : "until revoked"}.`, ephemeral: true };
      }
      case "revoke":
        await revokeBeta(ctx.prisma, actor, opts.steam_id);
        return { content: `Beta grant of ${opts.steam_id} revoked.`, ephemeral: true };
      case "list": {
        const rows = await listBeta(ctx.prisma);
        const lines = rows.map((r) => `${r.steamId} — ${r.tier}${r.expiresAt ? `, until ${time(r.expiresAt, "D")}` : ""}${r.note ? ` (${r.note})` : ""}`);
        return { content: lines.length ? lines.join("\n") : "No active beta grants.", ephemeral: true };
      }
    }
  },
};
