// The answer of /genes: the best genomes as an embed, with the best recipe's planter layout and the pool.
import type { APIEmbed } from "discord.js";
import type { GenerationReport } from "./generations.ts";
import { formatChance } from "./chance.ts";
import { formatGenome } from "./genome.ts";
import type { GeneticsResult } from "./types.ts";

const POOL_BLOCK = /```pool\n([\s\S]*?)```/;


export function recipeLine(result: GeneticsResult): string {
  const sources = result.recipe.sources.map(formatGenome).join(" + ");
  const centre = result.recipe.centre === null ? "any centre" : `centre ${formatGenome(result.recipe.centre)}`;
  return `${sources} → ${centre}`;
}

export function resultsEmbed(input: { title: string; results: GeneticsResult[]; clones: string[]; note?: string }): APIEmbed {
  const lines = input.results.slice(0, 10).map((r, i) => `**${i + 1}. ${r.text}** · score ${r.score} · ${formatChance(r)}\n${recipeLine(r)}`);
  const best = input.results[0];
  const grid = best ? best.placement.map((row) => row.map((cell) => (cell || "······").padEnd(6)).join(" ")).join("\n") : "";
  const description = [
    ...(input.note ? [input.note] : []),
    lines.length ? lines.join("\n") : "No result.",
    ...(best ? [`Large planter for ${best.text} (plant the sources first, the centre last; corners first):\n\`\`\`\n${grid}\n\`\`\``] : []),
    `\`\`\`pool\n${input.clones.join(" ")}\n\`\`\``,
  ].join("\n");
  return { title: input.title.slice(0, 256), description: description.slice(0, 4096) };
}

/** The clones listed in an embed made by resultsEmbed (the save button reads them back). */
export function poolOf(description: string | null | undefined): string[] {
  const match = POOL_BLOCK.exec(description ?? "");
  return match?.[1]?.split(/\s+/).filter(Boolean) ?? [];
}

/** The answer of a multi-generation search: the crossbreeds to make, in order, with their chances. */
export function pathEmbed(input: { target: string; report: GenerationReport; clones: string[]; generations: number }): APIEmbed {
  const { report } = input;
  const target = input.target.toUpperCase();
  let summary: string;
  if (report.generation === 0) summary = `A clone of the pool already has the letters of ${target}.`;
  else if (report.generation === null) {
    summary = report.cancelled
      ? `Stopped before the end: ${target} was not found so far.`
      : `${target} cannot be bred within ${input.generations} generation${input.generations > 1 ? "s" : ""} with these settings (each generation's best results join the next pool).`;
  } else {
    const chance = formatChance(report, 2);
    summary = `${target} (any order) in ${report.generation} generation${report.generation > 1 ? "s" : ""}, ${report.path.length} crossbreed${report.path.length > 1 ? "s" : ""}; chance of the whole path ${chance}.`;
  }
  const steps = report.path.map((step, i) => `**${i + 1}. Generation ${step.generation}: ${step.result.text}** · ${formatChance(step.result)}\n${recipeLine(step.result)}`);
  const description = [summary, ...steps, `\`\`\`pool\n${input.clones.join(" ")}\n\`\`\``].join("\n");
  return { title: `Plant genetics: path to ${target}`.slice(0, 256), description: description.slice(0, 4096) };
}
