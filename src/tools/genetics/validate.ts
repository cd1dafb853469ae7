// Checks a pool and options before a search: clear messages for bad genomes, too many clones or sets.
import { UserError } from "../../errors.ts";
import { countSets, collapsePool } from "./enumerate.ts";
import { integerWeights, parseGenome, type Genome } from "./genome.ts";
import { MAX_NEIGHBOURS } from "./states.ts";
import type { SolveOptions } from "./types.ts";

/** More clones than this are refused outright (a pasted list). */
export const MAX_CLONES = 200;
/** Searches over more source sets than this are refused: lower the number of sources or clones. */
export const MAX_SETS = 2e9;

/** Checks clones and options; throws a UserError naming what is wrong. */
export function validate(clones: readonly (string | Genome)[], options: SolveOptions = {}): Genome[] {
  if (clones.length > MAX_CLONES) throw new UserError(`Too many clones: ${clones.length} (at most ${MAX_CLONES}).`);
  const bad: string[] = [];
  const genomes: Genome[] = [];
  for (const clone of clones) {
    const genome = typeof clone === "number" ? (Number.isInteger(clone) && clone >= 0 && clone < 15_625 ? clone : undefined) : parseGenome(clone);
    if (genome === undefined) bad.push(String(clone));
    else genomes.push(genome);
  }
  if (bad.length) {
    const shown = bad.slice(0, 10).map((b) => `\`${b.slice(0, 20)}\``).join(", ");
    throw new UserError(`Not a genome (six letters of G Y H W X): ${shown}${bad.length > 10 ? ` and ${bad.length - 10} more` : ""}.`);
  }
  if (genomes.length === 0) throw new UserError("No clones given: list genomes such as GGYYHW.");
  const K = options.maxSources ?? 5;
  if (!Number.isInteger(K) || K < 2 || K > MAX_NEIGHBOURS) throw new UserError(`The number of sources must be 2 … ${MAX_NEIGHBOURS}.`);
  const top = options.top ?? 10;
  if (!Number.isInteger(top) || top < 1 || top > 100) throw new UserError("The number of results must be 1 … 100.");
  const weights = integerWeights(options.weights);
  const sets = countSets(collapsePool(genomes, weights, K, options.repeats ?? true).caps, K);
  if (sets > MAX_SETS) throw new UserError(`Too many combinations (${sets.toExponential(1)}): use fewer clones or fewer sources per crossbreed.`);
  if (!(options.repeats ?? true) && genomes.length < 2) throw new UserError("Without repeats, give at least two clones.");
  return genomes;
}
