import type { GeneWeights, Genome } from "./genome.ts";

export interface SolveOptions {
  /** User weights of the genes (defaults G = Y = 1, H = 0.5, W = X = 0). */
  weights?: Partial<GeneWeights>;
  /** The largest number of source clones (neighbours) in one crossbreed, 2 … 8 (default 5). */
  maxSources?: number;
  /** A clone may be used more than once (it can be cloned): default true. Without, a genome is used at most as often as it was listed. */
  repeats?: boolean;
  /** A centre plant from the pool whose genes are kept where the neighbours do not beat them (default true).
   * Without, the neighbours' top genes always win (the public calculators' model). */
  centre?: boolean;
  /** How many distinct genomes to return (default 10). */
  top?: number;
  /** Skip subtrees by the safe bound (default true); false visits every set (for measuring and testing). */
  bound?: boolean;
  /** Called now and then with the share of the search done (0 … 1). */
  onProgress?: (done: number) => void;
  /** Polled now and then; the search stops when it returns true. */
  shouldStop?: () => boolean;
}

export interface Recipe {
  /** The neighbours, in no particular order (a genome listed twice is planted twice). */
  sources: Genome[];
  /** The centre plant; null when its genes cannot matter (any plant of the same type will do, a seed too). */
  centre: Genome | null;
}

export interface GeneticsResult {
  genome: Genome;
  text: string;
  /** The genome's score under the user weights. */
  score: number;
  /** The best chance of getting it, exactly numerator / denominator (lowest terms), over the equally likely orders
   * in which the game visits the neighbours; `chance` is the same as a number (0 … 1). */
  chance: number;
  numerator: number;
  denominator: number;
  recipe: Recipe;
  /** A large planter, 3 rows of 3: genome text, "centre" or "" (empty). */
  placement: string[][];
}

export interface SolveReport {
  results: GeneticsResult[];
  /** Distinct genomes in the pool (duplicates collapsed). */
  distinctClones: number;
  /** Source sets the search covers (all of them, pruned or evaluated). */
  setsCovered: number;
  /** Sets the enumerator actually visited (the rest were pruned by the bound). */
  setsVisited: number;
  cancelled: boolean;
}
