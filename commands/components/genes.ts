// genes — the /genes solve form (a pasted list of clones) and the save button under its answer.
import { ButtonStyle, ComponentType, TextInputStyle, type APIModalInteractionResponseCallbackData } from "discord.js";
import { customId, Prefix } from "../../src/bot/custom-ids.ts";
import type { ComponentHandler, ComponentInteraction, Reply } from "../../src/bot/types.ts";
import { UserError } from "../../src/errors.ts";
import { requireLinkedUser } from "../../src/identity/linked-user.ts";
import { MAX_CLONES, searchGenerationsInWorker, solveGeneticsInWorker, validate } from "../../src/tools/genetics/index.ts";
import { MAX_GENERATIONS } from "../../src/tools/genetics/generations.ts";
import { pathEmbed, poolOf, resultsEmbed } from "../../src/tools/genetics/render.ts";
import { saveGeneBatch } from "../../src/tools/genetics/saved-batches.ts";
import type { ChatInputCommandInteraction } from "discord.js";

export interface GeneSettings {
  maxSources: number;
  repeats: boolean;
  centre: boolean;
  weights: { G: number; Y: number; H: number; W: number; X: number };
  /** Breed towards this genome over up to `generations` generations instead of one solve. */
  target?: string;
  generations?: number;
}

/** A search that runs longer than this stops with the best found so far (and says so). */
export const SOLVE_TIME_LIMIT_MS = 60_000;
const PROGRESS_EVERY_MS = 2_000;
const LETTERS = ["G", "Y", "H", "W", "X"] as const;

function settingsArgs(s: GeneSettings): string[] {
  const base = [String(s.maxSources), s.repeats ? "1" : "0", s.centre ? "1" : "0", LETTERS.map((l) => String(s.weights[l])).join("_")];
  return s.target ? [...base, s.target, String(s.generations ?? MAX_GENERATIONS)] : base;
}

function parseSettings(args: string[]): GeneSettings {
  const [sources, repeats, centre, weights = "", target, generations] = args;
  const values = weights.split("_").map(Number);
  const [G = 1, Y = 1, H = 0.5, W = 0, X = 0] = values;
  if (values.length !== 5 || values.some((v) => !Number.isFinite(v))) throw new UserError("This form is from an older version of the bot: run `/genes solve` again.");
  return {
    maxSources: Number(sources),
    repeats: repeats === "1",
    centre: centre === "1",
    weights: { G, Y, H, W, X },
    ...(target && { target, generations: Number(generations) }),
  };
}

export function genesModal(settings: GeneSettings): APIModalInteractionResponseCallbackData {
  return {
    custom_id: customId(Prefix.genes, "solve", ...settingsArgs(settings)),
    title: "Plant genetics: your clones",
    components: [
      {
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.TextInput, custom_id: "clones", label: `Genomes, e.g. GGYYHW (up to ${MAX_CLONES})`, style: TextInputStyle.Paragraph, required: true, max_length: 4_000 }],
      },
    ],
  };
}

/** Solves in the worker thread; on a long run, shows progress in the deferred reply. */
export async function solveAndShow(interaction: ChatInputCommandInteraction | ComponentInteraction, text: string, settings: GeneSettings): Promise<Reply> {
  const pieces = text.split(/[\s,;]+/).filter(Boolean);
  const clones = validate(pieces, settings);
  const texts = pieces.map((p) => p.toUpperCase());
  let lastShown = 0;
  let progress: Promise<unknown> = Promise.resolve();
  const controls = {
    timeLimitMs: SOLVE_TIME_LIMIT_MS,
    onProgress: (done: number) => {
      if (!interaction.deferred || Date.now() - lastShown < PROGRESS_EVERY_MS) return;
      lastShown = Date.now();
      progress = progress.then(() => interaction.editReply({ content: `Solving… ${Math.floor(done * 100)} %` })).catch(() => undefined);
    },
  };
  const { target, generations, ...solve } = settings;
  if (target) {
    const found = await searchGenerationsInWorker(clones, target, { ...solve, ...(generations !== undefined && { generations }) }, controls);
    await progress;
    return { ...(interaction.deferred && { content: "" }), embeds: [pathEmbed({ target, report: found, clones: texts, generations: generations ?? MAX_GENERATIONS })] };
  }
  const report = await solveGeneticsInWorker(clones, { ...solve }, controls);
  await progress;
  const note = report.cancelled
    ? `Stopped after ${SOLVE_TIME_LIMIT_MS / 1000} s: the best found so far, not necessarily the best. Use fewer clones or sources.`
    : `${report.distinctClones} distinct clones, ${report.setsCovered.toLocaleString("en-US")} source sets, up to ${settings.maxSources} sources${settings.repeats ? " (repeats allowed)" : ""}${settings.centre ? ", centre from the pool" : ", no centre"}.`;
  const embed = resultsEmbed({ title: "Plant genetics: the best genomes", results: report.results, clones: texts, note });
  return {
    ...(interaction.deferred && { content: "" }),
    embeds: [embed],
    components: [
      {
        type: ComponentType.ActionRow,
        components: [{ type: ComponentType.Button, style: ButtonStyle.Secondary, label: "Save", custom_id: customId(Prefix.genes, "save", ...settingsArgs(settings)) }],
      },
    ],
  };
}

export const genesComponent: ComponentHandler = {
  prefix: Prefix.genes,
  async execute(interaction, args, ctx) {
    const [action, ...rest] = args;
    const settings = parseSettings(rest);
    if (action === "solve" && interaction.isModalSubmit()) return solveAndShow(interaction, interaction.fields.getTextInputValue("clones"), settings);
    if (action !== "save" || !interaction.isButton()) throw new UserError("This form is from an older version of the bot: run `/genes solve` again.");
    const user = await requireLinkedUser(ctx.prisma, interaction.user.id);
    const clones = poolOf(interaction.message.embeds[0]?.description);
    if (!clones.length) throw new UserError("This message has no clones to save any more: run `/genes solve` again.");
    const report = await solveGeneticsInWorker(clones, { ...settings }, { timeLimitMs: SOLVE_TIME_LIMIT_MS });
    const best = report.results[0];
    const name = `${best?.text ?? "nothing"} from ${clones.length} clones, ${new Date().toISOString().slice(0, 16).replace("T", " ")}`;
    const row = await saveGeneBatch(ctx.prisma, user.id, {
      name,
      clones,
      weights: settings.weights,
      options: { maxSources: settings.maxSources, repeats: settings.repeats, centre: settings.centre },
      results: report.results,
    });
    return { content: `Saved as “${row.name}”. Reopen it with \`/genes saved\`.`, ephemeral: true };
  },
};
