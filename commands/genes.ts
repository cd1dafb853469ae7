// /genes — the plant genetics solver: the best genomes a pool of clones can crossbreed into, and saved batches.
import { ApplicationCommandOptionType, ApplicationCommandType, time, type RESTPostAPIChatInputApplicationCommandsJSONBody } from "discord.js";
import { z } from "zod";
import { parseOptions } from "../src/bot/options.ts";
import type { SlashCommand } from "../src/bot/types.ts";
import { findLinkedUser, requireLinkedUser } from "../src/identity/linked-user.ts";
import { resultsEmbed } from "../src/tools/genetics/render.ts";
import { getGeneBatch, listGeneBatches, type StoredResults } from "../src/tools/genetics/saved-batches.ts";
import { genesModal, solveAndShow } from "./components/genes.ts";
import { listContent } from "../src/bot/list-reply.ts";

const weight = (letter: string, what: string) =>
  ({ type: ApplicationCommandOptionType.Number, name: letter.toLowerCase(), description: `Weight of ${letter} (${what})`, min_value: -100, max_value: 100 }) as const;

const data = {
  name: "genes",
  description: "Plant genetics: the best crossbreeds of your clones",
  type: ApplicationCommandType.ChatInput,
  options: [
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "solve",
      description: "Find the best genomes your clones can give (leave clones empty to paste a list)",
      options: [
        { type: ApplicationCommandOptionType.String, name: "clones", description: "Genomes such as GGYYHW GYHWXG … (or leave empty for a form)", max_length: 6_000 },
        { type: ApplicationCommandOptionType.Integer, name: "sources", description: "Most source clones around the centre (2 … 8, default 5)", min_value: 2, max_value: 8 },
        { type: ApplicationCommandOptionType.Boolean, name: "repeats", description: "A clone may be planted more than once (default yes)" },
        { type: ApplicationCommandOptionType.Boolean, name: "centre", description: "Use a centre plant from the pool where it matters (default yes)" },
        { type: ApplicationCommandOptionType.String, name: "target", description: "Breed towards this genome, e.g. GGGYYY (letters, any order), over generations", max_length: 6, min_length: 6 },
        { type: ApplicationCommandOptionType.Integer, name: "generations", description: "With a target: at most this many generations (1 … 3, default 3)", min_value: 1, max_value: 3 },
        weight("G", "default 1"),
        weight("Y", "default 1"),
        weight("H", "default 0.5"),
        weight("W", "default 0"),
        weight("X", "default 0"),
      ],
    },
    {
      type: ApplicationCommandOptionType.Subcommand,
      name: "saved",
      description: "Your saved batches; pick one to reopen it",
      options: [{ type: ApplicationCommandOptionType.String, name: "open", description: "A saved batch", autocomplete: true }],
    },
  ],
} as const satisfies RESTPostAPIChatInputApplicationCommandsJSONBody;

const w = (fallback: number) =>
  z.number().min(-100, "must be -100 … 100").max(100, "must be -100 … 100").default(fallback).transform((v) => Math.round(v * 1000) / 1000);
const options = z.discriminatedUnion("subcommand", [
  z.object({
    subcommand: z.literal("solve"),
    clones: z.string().optional(),
    sources: z.number().int().min(2, "must be 2 … 8").max(8, "must be 2 … 8").default(5),
    repeats: z.boolean().default(true),
    centre: z.boolean().default(true),
    target: z
      .string()
      .transform((t) => t.trim().toUpperCase())
      .refine((t) => /^[GYHWX]{6}$/.test(t), "must be six letters of G Y H W X, e.g. GGGYYY")
      .optional(),
    generations: z.number().int().min(1, "must be 1 … 3").max(3, "must be 1 … 3").default(3),
    g: w(1),
    y: w(1),
    h: w(0.5),
    w: w(0),
    x: w(0),
  }),
  z.object({ subcommand: z.literal("saved"), open: z.string().optional() }),
]);

export const genesCommand: SlashCommand = {
  data,
  ephemeral: false,
  async execute(interaction, ctx) {
    const opts = parseOptions(interaction, options);
    if (opts.subcommand === "solve") {
      const settings = {
        maxSources: opts.sources,
        repeats: opts.repeats,
        centre: opts.centre,
        weights: { G: opts.g, Y: opts.y, H: opts.h, W: opts.w, X: opts.x },
        ...(opts.target && { target: opts.target, generations: opts.generations }),
      };
      if (!opts.clones?.trim()) return { modal: genesModal(settings) };
      return solveAndShow(interaction, opts.clones, settings);
    }
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    if (opts.open) {
      const row = await getGeneBatch(ctx.prisma, user.id, opts.open);
      const stored = row.results as unknown as StoredResults;
      return { embeds: [resultsEmbed({ title: `Saved: ${row.name}`, results: stored.results ?? [], clones: row.clones })], ephemeral: true };
    }
    const rows = await listGeneBatches(ctx.prisma, user.id);
    if (!rows.length) return { content: "No saved batches yet: press Save under a `/genes solve` answer.", ephemeral: true };
    const lines = rows.map((row) => `• ${row.name} (${row.clones.length} clones, saved ${time(row.createdAt, "R")})`);
    return { content: listContent({ head: "Your saved batches (reopen one with `/genes saved open:`):", lines, narrow: "type in `open:` to find one" }), ephemeral: true };
  },
  async autocomplete(interaction, focused, ctx) {
    if (focused.name !== "open") return [];
    const user = await findLinkedUser(ctx.prisma, interaction.user.id);
    if (!user) return [];
    const rows = await listGeneBatches(ctx.prisma, user.id, focused.value.slice(0, 100), 25);
    return rows.map((row) => ({ name: row.name, value: row.id }));
  },
};
