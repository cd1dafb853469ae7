// The plain reference: every multiset of sources (and every centre), every outcome through rule.ts (all n! orders
// of the neighbours), the best chance per genome kept. Slow on purpose: the property tests compare the fast enumerator with it.
import { GENE_WEIGHT, SCORE_UNIT, formatGenome, geneAt, integerWeights, scoreGenome, type Genome } from "./genome.ts";
import type { Fraction } from "./chance.ts";
import { crossbreed } from "./rule.ts";
import { placement } from "./placement.ts";
import type { GeneticsResult, SolveOptions } from "./types.ts";

export function bruteForce(clones: readonly Genome[], options: SolveOptions = {}): GeneticsResult[] {
  const K = options.maxSources ?? 5;
  const repeats = options.repeats ?? true;
  const withCentre = options.centre ?? true;
  const wanted = options.top ?? 10;
  const weights = integerWeights(options.weights);
  const counts = new Map<Genome, number>();
  for (const clone of clones) counts.set(clone, (counts.get(clone) ?? 0) + 1);
  const distinct = [...counts.keys()];
  const best = new Map<Genome, { chance: Fraction; sources: Genome[]; centre: Genome | null }>();

  const consider = (sources: Genome[]): void => {
    // With a centre: any clone left in the pool; or any plant at all (a seed) when the neighbours' top total
    // in every slot beats even a red gene's weight, so that the centre cannot matter.
    const beatsAny = [0, 1, 2, 3, 4, 5].every((slot) => topTotal(sources, slot) > Math.max(...GENE_WEIGHT));
    const centres: (Genome | null)[] = withCentre
      ? [...(beatsAny ? [null] : []), ...distinct.filter((c) => repeats || sources.filter((s) => s === c).length < (counts.get(c) ?? 0))]
      : [null];
    for (const centre of centres) {
      for (const { genome, numerator, denominator } of crossbreed(sources, centre)) {
        const seen = best.get(genome);
        const order = seen ? numerator * seen.chance.denominator - seen.chance.numerator * denominator : 1;
        if (!seen || order > 0 || (order === 0 && sources.length < seen.sources.length)) {
          best.set(genome, { chance: { numerator, denominator }, sources, centre });
        }
      }
    }
  };
  const grow = (from: number, sources: Genome[]): void => {
    if (sources.length >= 2) consider(sources);
    if (sources.length === K) return;
    for (let i = from; i < distinct.length; i++) {
      const genome = distinct[i] ?? 0;
      const limit = repeats ? K : (counts.get(genome) ?? 0);
      if (sources.filter((s) => s === genome).length >= limit) continue;
      grow(i, [...sources, genome]);
    }
  };
  grow(0, []);

  return [...best.entries()]
    .map(([genome, { chance, sources, centre }]) => ({ genome, chance, sources, centre, score: scoreGenome(genome, weights) }))
    .sort((a, b) => b.score - a.score || b.chance.numerator * a.chance.denominator - a.chance.numerator * b.chance.denominator || a.genome - b.genome)
    .slice(0, wanted)
    .map(({ genome, chance, sources, centre, score }) => ({
      genome,
      text: formatGenome(genome),
      score: score / SCORE_UNIT,
      chance: chance.numerator / chance.denominator,
      ...chance,
      recipe: { sources, centre },
      placement: placement({ sources, centre }),
    }));
}

function topTotal(sources: readonly Genome[], slot: number): number {
  const totals = [0, 0, 0, 0, 0];
  for (const source of sources) {
    const gene = geneAt(source, slot);
    totals[gene] = (totals[gene] ?? 0) + (GENE_WEIGHT[gene] ?? 0);
  }
  return Math.max(...totals);
}
