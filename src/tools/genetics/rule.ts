// The game's crossbreeding rule for one centre plant, written plainly: the reference the fast solver is tested
// against. From GrowableGenetics (CrossBreed, GetDominantGeneWeighting) in the decompiled server, e.g.
// GoofyNest/RustServer-Staging GrowableGenetics.cs: per slot the neighbours are visited in the order of one list
// (the same list for all six slots); each adds its gene's weight to that gene's running total, and the dominant
// gene changes only when a running total is strictly greater than the dominant's total. The centre's own gene is
// replaced only when the dominant total is strictly greater than that gene's weight. The list's order comes from a
// physics query, not from the player: every order of the (distinct) plants is taken as equally likely.
// Without a centre (`null`) the neighbours' dominant gene always wins, as in public calculators.
// The weights are integers (green 3, red 5): the game's floats (0.6, 1.0, summed in single precision) compare
// exactly as these do for up to 8 neighbours.
import { reduce } from "./chance.ts";
import { GENE_WEIGHT, SLOTS, geneAt, packGenome, type Genome } from "./genome.ts";

export interface Outcome {
  genome: Genome;
  /** The outcome's chance, numerator / denominator in lowest terms. */
  numerator: number;
  denominator: number;
}

/** The genes a slot can end with under some order of the neighbours (the centre's when it is not beaten, else the tied top genes). */
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

/** One slot after the neighbours are visited in `order`, as the game's loop does it. */
export function slotAfter(order: readonly Genome[], centre: Genome | null, slot: number): number {
  const totals = [0, 0, 0, 0, 0];
  let dominant = -1;
  let dominantTotal = 0;
  for (const neighbour of order) {
    const gene = geneAt(neighbour, slot);
    const total = (totals[gene] = (totals[gene] ?? 0) + (GENE_WEIGHT[gene] ?? 0));
    if (total > dominantTotal) {
      dominantTotal = total;
      dominant = gene;
    }
  }
  if (centre === null) return dominant;
  const own = geneAt(centre, slot);
  return dominantTotal > (GENE_WEIGHT[own] ?? 0) ? dominant : own;
}

/** Every genome the crossbreed can give and its chance, by visiting all n! orders of the neighbours (slow on purpose). */
export function crossbreed(sources: readonly Genome[], centre: Genome | null): Outcome[] {
  const counts = new Map<Genome, number>();
  let orders = 0;
  const order: Genome[] = [];
  const used = sources.map(() => false);
  const visit = (): void => {
    if (order.length === sources.length) {
      const genes: number[] = [];
      for (let slot = 0; slot < SLOTS; slot++) genes.push(slotAfter(order, centre, slot));
      const genome = packGenome(genes);
      counts.set(genome, (counts.get(genome) ?? 0) + 1);
      orders++;
      return;
    }
    sources.forEach((source, i) => {
      if (used[i]) return;
      used[i] = true;
      order.push(source);
      visit();
      order.pop();
      used[i] = false;
    });
  };
  visit();
  return [...counts].map(([genome, count]) => ({ genome, ...reduce(count, orders) }));
}
