// Multi-generation search: the results of one generation join the pool of the next (up to 3 generations),
// until a target genome appears. Genes count, not their order, so the target matches any genome with the
// same letters (GGGYYY matches YGYGYG). Each generation is solved exactly; what joins the next pool is that
// generation's result list (the best `top` genomes), as in the public calculators.
import { UserError } from "../../errors.ts";
import { compareBig, product, toNumbers } from "./chance.ts";
import { enumerate } from "./enumerate.ts";
import { SLOTS, formatGenome, geneAt, parseGenome, type Genome } from "./genome.ts";
import { validate } from "./validate.ts";
import type { GeneticsResult, SolveOptions } from "./types.ts";

export interface GenerationStep {
  generation: number;
  result: GeneticsResult;
}

export interface GenerationReport {
  /** The crossbreeds to make, in order (earlier generations first); empty when the target was not reached. */
  path: GenerationStep[];
  /** The generation that gave the target, or null. */
  generation: number | null;
  /** The chance of the whole path: the product of its steps' chances, as a number and exactly (lowest terms; both 0
   * when the fraction is too long for 2^53). */
  chance: number;
  numerator: number;
  denominator: number;
  /** The pool size of each generation searched. */
  poolSizes: number[];
  /** Stopped before the end (shouldStop): a target not found may still be reachable. */
  cancelled: boolean;
}

export const MAX_GENERATIONS = 3;

function letters(genome: Genome): string {
  const genes: number[] = [];
  for (let slot = 0; slot < SLOTS; slot++) genes.push(geneAt(genome, slot));
  return genes.sort().join("");
}

export function searchGenerations(clones: readonly (string | Genome)[], target: string, options: SolveOptions & { generations?: number } = {}): GenerationReport {
  const wanted = parseGenome(target);
  if (wanted === undefined) throw new UserError(`The target \`${target.slice(0, 20)}\` is not a genome (six letters of G Y H W X).`);
  const generations = options.generations ?? MAX_GENERATIONS;
  if (!Number.isInteger(generations) || generations < 1 || generations > MAX_GENERATIONS) throw new UserError(`Generations must be 1 … ${MAX_GENERATIONS}.`);
  const goal = letters(wanted);
  let pool = validate(clones, options);
  const made = new Map<Genome, GenerationStep>(); // genomes bred on the way, with how
  const original = new Set(pool);
  const poolSizes: number[] = [];
  for (const clone of pool) {
    if (letters(clone) === goal) return { path: [], generation: 0, chance: 1, numerator: 1, denominator: 1, poolSizes, cancelled: false };
  }
  let cancelled = false;
  for (let generation = 1; generation <= generations && !cancelled; generation++) {
    const distinct = [...new Set(pool)];
    poolSizes.push(distinct.length);
    const report = enumerate(pool, { ...options, top: options.top ?? 20 });
    const results = report.results;
    cancelled = report.cancelled;
    for (const result of results) if (!original.has(result.genome) && !made.has(result.genome)) made.set(result.genome, { generation, result });
    // Of the genomes with the target's letters, the one whose whole path is likeliest (exact fractions).
    let best: { path: GenerationStep[]; chance: ReturnType<typeof product> } | undefined;
    for (const result of results) {
      if (letters(result.genome) !== goal) continue;
      const path = pathTo(result.genome, made, original);
      const chance = product(path.map((step) => step.result));
      if (!best || compareBig(chance, best.chance) > 0) best = { path, chance };
    }
    if (best) return { path: best.path, generation, ...toNumbers(best.chance), poolSizes, cancelled };
    pool = [...pool, ...results.map((r) => r.genome).filter((g) => !pool.includes(g))];
    validate(pool, options); // the grown pool must stay within the limits
  }
  return { path: [], generation: null, chance: 0, numerator: 0, denominator: 1, poolSizes, cancelled };
}

/** The steps that make `genome`, each bred genome's own steps first, each step once. */
function pathTo(genome: Genome, made: Map<Genome, GenerationStep>, original: Set<Genome>): GenerationStep[] {
  const path: GenerationStep[] = [];
  const seen = new Set<Genome>();
  const visit = (g: Genome): void => {
    if (original.has(g) || seen.has(g)) return;
    seen.add(g);
    const step = made.get(g);
    if (!step) throw new Error(`no step for ${formatGenome(g)}`);
    for (const source of step.result.recipe.sources) visit(source);
    if (step.result.recipe.centre !== null) visit(step.result.recipe.centre);
    path.push(step);
  };
  visit(genome);
  return path;
}
