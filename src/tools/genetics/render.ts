// The answer of /genes: the best genomes as an embed, with the best recipe's planter layout and the pool.
import type { APIEmbed } from "discord.js";
import { formatGenome } from "./genome.ts";
import type { GeneticsResult } from "./types.ts";

const POOL_BLOCK = /```pool\n([\s\S]*?)```/;

function percent(result: GeneticsResult): string {
  return result.denominator === 1 ? "100 %" : `1 in ${result.denominator} (${(result.chance * 100).toFixed(1)} %)`;
}

export function recipeLine(result: GeneticsResult): string {
  const sources = result.recipe.sources.map(formatGenome).join(" + ");
  const centre = result.recipe.centre === null ? "any centre" : `centre ${formatGenome(result.recipe.centre)}`;
  return `${sources} → ${centre}`;
}

export function resultsEmbed(input: { title: string; results: GeneticsResult[]; clones: string[]; note?: string }): APIEmbed {
  const lines = input.results.slice(0, 10).map((r, i) => `**${i + 1}. ${r.text}** · score ${r.score} · ${percent(r)}\n${recipeLine(r)}`);
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
