// The fast enumerator against the plain reference on small random pools: identical genomes, exact chances and
// recipe sizes; every recipe, replayed through the rule (all orders of its neighbours), gives its genome with the
// chance reported.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bruteForce } from "../../../src/tools/genetics/brute-force.ts";
import { enumerate } from "../../../src/tools/genetics/enumerate.ts";
import { GENOME_COUNT, integerWeights, scoreGenome, type Genome } from "../../../src/tools/genetics/genome.ts";
import { crossbreed, slotAfter } from "../../../src/tools/genetics/rule.ts";
import type { GeneticsResult, SolveOptions } from "../../../src/tools/genetics/types.ts";

// Genomes drawn from a few letters per slot, so that pools share genes and ties are common.
const genome = fc.array(fc.constantFrom(0, 1, 2, 3, 4, 2, 3), { minLength: 6, maxLength: 6 }).map((genes) => genes.reduceRight((code: number, gene) => code * 5 + gene, 0));
const pool = fc.array(genome, { minLength: 1, maxLength: 6 });
const options = fc.record({
  maxSources: fc.integer({ min: 2, max: 4 }),
  repeats: fc.boolean(),
  centre: fc.boolean(),
  top: fc.integer({ min: 1, max: 12 }),
  weights: fc.record({ G: fc.constantFrom(1, 0.5, 2, 0), Y: fc.constantFrom(1, 0.7, 0), H: fc.constantFrom(0.5, 0, 1), W: fc.constantFrom(0, -1, 0.3), X: fc.constantFrom(0, -0.5) }),
});

const summary = (results: GeneticsResult[]) => results.map((r) => ({ genome: r.genome, chance: `${r.numerator}/${r.denominator}`, sources: r.recipe.sources.length }));

function replays(result: GeneticsResult, clones: Genome[], opts: SolveOptions): boolean {
  const centres = result.recipe.centre !== null ? [result.recipe.centre] : opts.centre === false ? [null] : [...new Set(clones)];
  return centres.every((centre) =>
    crossbreed(result.recipe.sources, centre).some((o) => o.genome === result.genome && o.numerator === result.numerator && o.denominator === result.denominator),
  );
}

/** Every distinct order of a multiset of plants (each stands for as many orders of distinct plants): the reachable
 * genomes and their chances under the game's loop (rule.ts slotAfter), written plainly. */
function byDistinctOrders(sources: Genome[]): Map<Genome, number> {
  const kinds = [...new Set(sources)];
  const left = kinds.map((k) => sources.filter((s) => s === k).length);
  const counts = new Map<Genome, number>();
  let orders = 0;
  const order: Genome[] = [];
  const walk = (): void => {
    if (order.length === sources.length) {
      const genome = [0, 1, 2, 3, 4, 5].reduceRight((code, slot) => code * 5 + slotAfter(order, null, slot), 0);
      counts.set(genome, (counts.get(genome) ?? 0) + 1);
      orders++;
      return;
    }
    kinds.forEach((kind, i) => {
      if (!left[i]) return;
      left[i]--;
      order.push(kind);
      walk();
      order.pop();
      left[i]++;
    });
  };
  walk();
  for (const [genome, count] of counts) counts.set(genome, count / orders);
  return counts;
}

describe("the enumerator against the brute-force reference", () => {
  it("gives identical results on random pools", () => {
    fc.assert(
      fc.property(pool, options, (clones, opts) => {
        if (opts.repeats === false && clones.length < 2) return;
        const fast = enumerate(clones, opts).results;
        expect(summary(fast)).toEqual(summary(bruteForce(clones, opts)));
        for (const result of fast) expect(replays(result, clones, opts)).toBe(true);
        for (const result of fast) {
          if (opts.repeats) continue;
          const uses = [...result.recipe.sources, ...(result.recipe.centre === null ? [] : [result.recipe.centre])];
          for (const used of new Set(uses)) expect(uses.filter((u) => u === used).length).toBeLessThanOrEqual(clones.filter((c) => c === used).length);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("finds the best genome, and its chance, of every set of 2 … 8 with repeats (full planters, all orders)", () => {
    fc.assert(
      fc.property(fc.array(genome, { minLength: 1, maxLength: 4 }), (clones) => {
        const weights = integerWeights();
        // The best (score, then chance) over every multiset of 2 … 8 of the clones, without a centre.
        let best = { score: -Infinity, chance: 0 };
        const distinct = [...new Set(clones)];
        const grow = (from: number, sources: Genome[]): void => {
          if (sources.length >= 2) {
            for (const [genome, chance] of byDistinctOrders(sources)) {
              const score = scoreGenome(genome, weights);
              if (score > best.score || (score === best.score && chance > best.chance)) best = { score, chance };
            }
          }
          if (sources.length === 8) return;
          for (let i = from; i < distinct.length; i++) grow(i, [...sources, distinct[i] ?? 0]);
        };
        grow(0, []);
        const ours = enumerate(clones, { maxSources: 8, centre: false, top: 1 }).results[0];
        expect((ours?.score ?? -Infinity) * 1000).toBe(best.score);
        expect(ours?.chance).toBeCloseTo(best.chance, 12);
      }),
      { numRuns: 20 },
    );
  });

  it("reports a chance of 1 for a genome every set of its recipe gives for sure, and stays within the genome range", () => {
    const { results } = enumerate([0, GENOME_COUNT - 1], { maxSources: 3 });
    for (const result of results) expect(result.genome).toBeLessThan(GENOME_COUNT);
    expect(results[0]?.text).toBe("HHHHHH");
  });

  it("the bound never changes the answer on larger pools (bounded against every set visited)", () => {
    fc.assert(
      fc.property(fc.array(genome, { minLength: 6, maxLength: 14 }), fc.integer({ min: 4, max: 6 }), fc.boolean(), (clones, maxSources, centre) => {
        const progress: number[] = [];
        const bounded = enumerate(clones, { maxSources, centre, onProgress: (done) => progress.push(done) });
        const full = enumerate(clones, { maxSources, centre, bound: false });
        expect(summary(bounded.results)).toEqual(summary(full.results));
        expect(full.setsVisited).toBe(full.setsCovered);
        expect(progress).toEqual([...progress].sort((a, b) => a - b));
        expect(progress.at(-1)).toBeCloseTo(1);
      }),
      { numRuns: 25 },
    );
  });
});
