// The game's crossbreeding rule for one centre plant, written plainly (the fast enumerator follows the same
// rule with tables). Per slot the neighbours' weights are summed by gene letter; the centre's own gene is
// replaced only when the top total is strictly greater than that gene's weight; tied top genes are equally
// likely outcomes. Without a centre (`null`) the neighbours' top genes always win, as in public calculators.
import { GENE_WEIGHT, SLOTS, geneAt, packGenome, type Genome } from "./genome.ts";

export interface Outcome {
  genome: Genome;
  /** The outcome's chance is 1 / denominator. */
  denominator: number;
}

/** The genes a slot can end with, each equally likely. */
export function slotOutcomes(sources: readonly Genome[], centre: Genome | null, slot: number): number[] {
  const totals = [0, 0, 0, 0, 0];
  for (const source of sources) {
    const gene = geneAt(source, slot);
    totals[gene] = (totals[gene] ?? 0) + (GENE_WEIGHT[gene] ?? 0);
  }
  const top = Math.max(...totals);
  if (centre !== null) {
    const own = geneAt(centre, slot);
    if (!(top > (GENE_WEIGHT[own] ?? 0))) return [own];
  }
  return totals.flatMap((total, gene) => (total === top && top > 0 ? [gene] : []));
}

export function crossbreed(sources: readonly Genome[], centre: Genome | null): Outcome[] {
  let partial: { genes: number[]; denominator: number }[] = [{ genes: [], denominator: 1 }];
  for (let slot = 0; slot < SLOTS; slot++) {
    const options = slotOutcomes(sources, centre, slot);
    partial = partial.flatMap(({ genes, denominator }) =>
      options.map((gene) => ({ genes: [...genes, gene], denominator: denominator * options.length })),
    );
  }
  return partial.map(({ genes, denominator }) => ({ genome: packGenome(genes), denominator }));
}
