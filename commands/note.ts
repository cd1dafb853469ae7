// /note — map notes on a paired server: add (by grid cell, x,y, where you or a teammate stand), list (with deaths
// and the team's in-game markers), remove, clear. Guests read; the owner and guests in the team change them.
import { ApplicationCommandOptionType, ApplicationCommandType, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { customId, Prefix } from "../src/bot/custom-ids.ts";
import { parseOptions } from "../src/bot/options.ts";
import { plain } from "../src/bot/plain-text.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { findLinkedUser, requireLinkedUser } from "../src/identity/linked-user.ts";
import { parseColor, parseEmoji, parseLabel, LABEL_MAX } from "../src/notes/fields.ts";
import { actionRow } from "../src/notify/buttons.ts";
import { addNoteFor, clearableServer, clearNotesFor, listNotesFor, noteChoices, removeNoteFor } from "../src/notes/note-actions.ts";
import { serverLabel } from "../src/pairing/server-card.ts";
import { serverChoices } from "../src/sharing/server-access.ts";
import { UserError } from "../src/errors.ts";

const server = { type: ApplicationCommandOptionType.String, name: "server", description: "Which server (needed when you have several)", autocomplete: true } as const;
const ADD_CATEGORIES = [
  { name: "tag", value: "TAG" },
  { name: "SAM site", value: "SAM" },
  { name: "custom (your emoji and colour)", value: "CUSTOM" },
] as const;
const ALL_CATEGORIES = [...ADD_CATEGORIES, { name: "death", value: "DEATH" }] as const;

const data = {
  name: "note",
  description: "Notes on a server's map: tags, SAM sites, your own markers; deaths are noted for you",
  type: ApplicationCommandType.ChatInput,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "add",
      description: "Put a note on the map",
      options: [
        { type: ApplicationCommandOptionType.String, name: "category", description: "What kind of note", required: true, choices: [...ADD_CATEGORIES] },
        { type: ApplicationCommandOptionType.String, name: "position", description: "A grid cell (G12), metres (1500,2100), me, or a teammate (@name or in-game name)", required: true, max_length: 64 },
        { type: ApplicationCommandOptionType.String, name: "label", description: "What it says", max_length: LABEL_MAX },
        { type: ApplicationCommandOptionType.String, name: "emoji", description: "Custom notes: one emoji as its icon", max_length: 64 },
        { type: ApplicationCommandOptionType.String, name: "color", description: "Custom notes: a colour like #ff8800", max_length: 7 },
        { type: ApplicationCommandOptionType.String, name: "ttl", description: "How long it stays: 30m, 2h, 1d … (default: until wipe)", max_length: 20 },
        server,
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "list",
      description: "The server's notes, deaths and in-game markers",
      options: [server, { type: ApplicationCommandOptionType.String, name: "category", description: "Only this kind", choices: [...ALL_CATEGORIES] }],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "remove",
      description: "Take a note off the map",
      options: [{ type: ApplicationCommandOptionType.String, name: "note", description: "A note (type to search by label)", required: true, autocomplete: true }],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "clear",
      description: "Take every note of one kind (or all, after a confirm) off the map",
      options: [{ type: ApplicationCommandOptionType.String, name: "category", description: "Only this kind (leave out for all)", choices: [...ALL_CATEGORIES] }, server],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const pick = (what: string) => z.string().regex(/^[a-z0-9]{1,40}$/, `Pick a ${what} from the list.`);
const category = z.enum(["TAG", "SAM", "CUSTOM", "DEATH"], "Pick a category from the list.");
// Fields are checked by the same functions as !note's; their UserError messages become the answer.
const checked = <T>(parse: (input: string) => T) =>
  z.string().transform((value, ctx) => {
    try {
      return parse(value);
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      ctx.addIssue({ code: "custom", message: err.message });
      return z.NEVER;
    }
  });
const options = z.discriminatedUnion("subcommand", [
  z.object({
    subcommand: z.literal("add"),
    category: z.enum(["TAG", "SAM", "CUSTOM"], "Pick a category from the list."),
    position: z.string(),
    label: checked(parseLabel).optional(),
    emoji: checked(parseEmoji).optional(),
    color: checked(parseColor).optional(),
    ttl: z.string().optional(),
    server: pick("server").optional(),
  }),
  z.object({ subcommand: z.literal("list"), server: pick("server").optional(), category: category.optional() }),
  z.object({ subcommand: z.literal("remove"), note: z.string().max(100) }),
  z.object({ subcommand: z.literal("clear"), category: category.optional(), server: pick("server").optional() }),
]);

export const noteCommand: SlashCommand = {
  data,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const deps = { prisma: ctx.prisma, config: ctx.config, rust: ctx.rust };
    switch (opts.subcommand) {
      case "add":
        return { content: await addNoteFor(deps, user, opts), ephemeral: true };
      case "list":
        return { content: await listNotesFor(deps, user, opts), ephemeral: true };
      case "remove":
        return { content: await removeNoteFor(deps, user, opts.note), ephemeral: true };
      case "clear": {
        const access = await clearableServer(deps, user, opts.server);
        if (opts.category) return { content: await clearNotesFor(deps, access, opts.category), ephemeral: true };
        return {
          content: `Remove **every** note on **${plain(serverLabel(access.server))}**, deaths included? This cannot be undone.`,
          components: [actionRow([{ customId: customId(Prefix.noteClear, access.server.id), label: "Yes, remove them all", style: "danger" }])],
          ephemeral: true,
        };
      }
    }
  },
  async autocomplete(interaction, focused, ctx) {
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    if (!user) return [];
    if (focused.name === "server") return serverChoices(ctx.prisma, user, focused.value);
    if (focused.name === "note") return noteChoices({ prisma: ctx.prisma, config: ctx.config, rust: ctx.rust }, user, focused.value);
    return [];
  },
};
