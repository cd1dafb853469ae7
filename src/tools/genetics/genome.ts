// Genomes: six gene slots, each one of X W G Y H (the game's encoding: X = 0, W = 1, G = 2, Y = 3, H = 4).
// A genome is packed as a base-5 number (slot 0 is the lowest digit): 0 … 15 624.
import { UserError } from "../../errors.ts";

export const GENES = ["X", "W", "G", "Y", "H"] as const;
export type Gene = (typeof GENES)[number];
export const SLOTS = 6;
export const GENOME_COUNT = 5 ** SLOTS;

/** The game's weights, as integers: green genes (G Y H) 0.6 → 3, red genes (W X) 1.0 → 5. */
export const GENE_WEIGHT: readonly number[] = [5, 5, 3, 3, 3];

export type Genome = number;

export function isRed(gene: number): boolean {
  return gene <= 1;
}

export function geneAt(genome: Genome, slot: number): number {
  return Math.floor(genome / 5 ** slot) % 5;
}

export function packGenome(genes: readonly number[]): Genome {
  let code = 0;
  for (let slot = SLOTS - 1; slot >= 0; slot--) code = code * 5 + (genes[slot] ?? 0);
  return code;
}

export function formatGenome(genome: Genome): string {
  let text = "";
  for (let slot = 0; slot < SLOTS; slot++) text += GENES[geneAt(genome, slot)];
  return text;
}

/** Parses one genome such as `GGYYHW` (any case); returns undefined when it is not six gene letters. */
export function parseGenome(text: string): Genome | undefined {
  const upper = text.trim().toUpperCase();
  if (!/^[XWGYH]{6}$/.test(upper)) return undefined;
  return packGenome([...upper].map((letter) => GENES.indexOf(letter as Gene)));
}

export interface ParsedClones {
  clones: Genome[];
  /** The pieces that are not genomes, as typed. */
  invalid: string[];
}

/** Splits a pasted list (commas, spaces, new lines, semicolons) into genomes and the pieces that are not. */
export function parseCloneList(text: string): ParsedClones {
  const clones: Genome[] = [];
  const invalid: string[] = [];
  for (const piece of text.split(/[\s,;]+/)) {
    if (!piece) continue;
    const genome = parseGenome(piece);
    if (genome === undefined) invalid.push(piece);
    else clones.push(genome);
  }
  return { clones, invalid };
}

export type GeneWeights = Record<Gene, number>;
export const DEFAULT_WEIGHTS: GeneWeights = { G: 1, Y: 1, H: 0.5, W: 0, X: 0 };
/** Scores are integers: user weights are counted in thousandths, so sums and comparisons are exact. */
export const SCORE_UNIT = 1000;

export function integerWeights(weights: Partial<GeneWeights> = {}): number[] {
  return GENES.map((gene) => {
    const value = weights[gene] ?? DEFAULT_WEIGHTS[gene];
    if (!Number.isFinite(value) || Math.abs(value) > 1000) throw new UserError(`The weight of ${gene} must be a number between -1000 and 1000.`);
    return Math.round(value * SCORE_UNIT);
  });
}

export function scoreGenome(genome: Genome, weights: readonly number[]): number {
  let score = 0;
  for (let slot = 0; slot < SLOTS; slot++) score += weights[geneAt(genome, slot)] ?? 0;
  return score;
}
