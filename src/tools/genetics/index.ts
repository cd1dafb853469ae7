// Plant genetics: the best genomes a pool of clones can crossbreed into, exactly (see enumerate.ts).
import { enumerate } from "./enumerate.ts";
import type { Genome } from "./genome.ts";
import type { SolveOptions, SolveReport } from "./types.ts";
import { validate } from "./validate.ts";

export { MAX_CLONES, MAX_SETS, validate } from "./validate.ts";
export type { GeneticsResult, Recipe, SolveOptions, SolveReport } from "./types.ts";
export { formatGenome, parseCloneList, parseGenome, type Genome, type GeneWeights } from "./genome.ts";

/** The distinct best genomes (score, then chance), each with its recipe and planter placement. */
export function solveGenetics(clones: readonly (string | Genome)[], options: SolveOptions = {}): SolveReport {
  return enumerate(validate(clones, options), options);
}
export { MAX_WORKERS, searchGenerationsInWorker, solveGeneticsInWorker, type WorkerControls } from "./in-worker.ts";
export { searchGenerations, type GenerationReport, type GenerationStep } from "./generations.ts";
