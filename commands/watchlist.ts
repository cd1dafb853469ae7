// /watchlist — saved filters over player intel notes (tags, a name pattern, tracked only; one server or all):
// their players coming online and going offline are posted in #player-intel (src/intel/watch/alerts.ts).
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { requireMentionRole } from "../src/bot/mention-role.ts";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { findLinkedUser, requireLinkedUser } from "../src/identity/linked-user.ts";
import { PATTERN_MAX } from "../src/intel/watch/pattern.ts";
import { createWatchlist, deleteWatchlist, listWatchlists, showWatchlist, watchlistChoices, WATCHLIST_NAME_MAX } from "../src/intel/watch/watchlist-actions.ts";
import { serverChoices } from "../src/sharing/server-access.ts";

const name = { type: ApplicationCommandOptionType.String, name: "name", description: "The watchlist", required: true, autocomplete: true, max_length: 100 } as const;

const data = {
  name: "watchlist",
  description: "Saved filters over your player notes: alerts when their players come online or go offline",
  type: ApplicationCommandType.ChatInput,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "create",
      description: "Save a watchlist (give tags, a name pattern or tracked-only)",
      options: [
        { type: ApplicationCommandOptionType.String, name: "name", description: "What to call it (also for !online <name> in game)", required: true, max_length: WATCHLIST_NAME_MAX },
        { type: ApplicationCommandOptionType.String, name: "server", description: "Only this server of yours (default: all)", autocomplete: true },
        { type: ApplicationCommandOptionType.String, name: "tags", description: "Players whose note has any of these tags (raider, clan)", max_length: 400 },
        // Longer than PATTERN_MAX on purpose: a long pattern gets a sentence saying the limit, not Discord's error.
        { type: ApplicationCommandOptionType.String, name: "pattern", description: `Player names matching this regular expression (RE2, case-insensitive, ${PATTERN_MAX} chars)`, max_length: 1000 },
        { type: ApplicationCommandOptionType.Boolean, name: "tracked-only", description: "Only players you track" },
        { type: ApplicationCommandOptionType.Role, name: "role", description: "A role to mention with its alerts" },
      ],
    },
    { type: ApplicationCommandOptionType.Subcommand, name: "list", description: "Your watchlists" },
    { type: ApplicationCommandOptionType.Subcommand, name: "show", description: "A watchlist's filter and who it matches online now", options: [name] },
    { type: ApplicationCommandOptionType.Subcommand, name: "delete", description: "Delete a watchlist", options: [name] },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const options = z.discriminatedUnion("subcommand", [
  z.object({
    subcommand: z.literal("create"),
    name: z.string().max(200),
    server: z.string().regex(/^[a-z0-9]{1,40}$/, "Pick a server from the list.").optional(),
    tags: z.string().max(400).optional(),
    pattern: z.string().max(1000).optional(),
    "tracked-only": z.boolean().optional(),
    role: z.string().regex(/^\d{17,20}$/, "Pick a role.").optional(),
  }),
  z.object({ subcommand: z.literal("list") }),
  z.object({ subcommand: z.enum(["show", "delete"]), name: z.string().max(200) }),
]);

export const watchlistCommand: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const deps = { prisma: ctx.prisma, config: ctx.config };
    switch (opts.subcommand) {
      case "create": {
        // Checked before anything is saved; the role's id is what createWatchlist stores (mentionRoleId).
        const role = opts.role === undefined ? undefined : await requireMentionRole(interaction, ctx.prisma, user.id);
        return { content: await createWatchlist(deps, user, { ...opts, role, trackedOnly: opts["tracked-only"] }), ephemeral: true };
      }
      case "list":
        return { content: await listWatchlists(deps, user), ephemeral: true };
      case "show":
        return { content: await showWatchlist(deps, user, opts.name), ephemeral: true };
      case "delete":
        return { content: await deleteWatchlist(deps, user, opts.name), ephemeral: true };
    }
  },
  async autocomplete(interaction, focused, ctx) {
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    if (!user) return [];
    if (focused.name === "server") return serverChoices(ctx.prisma, user, focused.value, { ownedOnly: true });
    if (focused.name === "name") return watchlistChoices(ctx.prisma, user, focused.value);
    return [];
  },
};
