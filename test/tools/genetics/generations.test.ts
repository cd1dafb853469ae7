import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.ts";
import { searchGenerations } from "../../../src/tools/genetics/index.ts";
import { formatGenome, parseGenome } from "../../../src/tools/genetics/genome.ts";
import { crossbreed } from "../../../src/tools/genetics/rule.ts";

// Under independent slots the first two would give YYGGGY in one generation (1 in 32); in the game two plants
// that tie in every slot give one or the other whole, so it takes two generations.
const POOL = ["YGGGGY", "GYYYHY", "YHXXWG", "WYGGYW"];
const OPTIONS = { maxSources: 3, centre: false, top: 5 };

describe("multi-generation search", () => {
  it("breeds the target in the second generation, each step from the pool or an earlier step, with exact chances", () => {
    const report = searchGenerations(POOL, "GGGYYY", OPTIONS);
    expect(report.generation).toBe(2);
    expect(report.path.map((s) => [s.generation, s.result.text, `${s.result.numerator}/${s.result.denominator}`])).toEqual([
      [1, "WYGGGY", "1/3"],
      [2, "YYGGGY", "1/3"],
    ]);
    expect([report.numerator, report.denominator]).toEqual([1, 9]);
    expect(report.chance).toBeCloseTo(1 / 9);
    const available = new Set(POOL.map((p) => parseGenome(p)));
    for (const step of report.path) {
      for (const source of step.result.recipe.sources) expect(available.has(source)).toBe(true);
      const outcome = crossbreed(step.result.recipe.sources, null).find((o) => o.genome === step.result.genome);
      expect([outcome?.numerator, outcome?.denominator]).toEqual([step.result.numerator, step.result.denominator]);
      available.add(step.result.genome);
    }
    expect(searchGenerations(POOL, "GGGYYY", { ...OPTIONS, generations: 1 }).generation).toBeNull();
  });

  it("counts letters, not order, and refuses a bad target", () => {
    expect(searchGenerations(["YGYGYG", "XXXXXX"], "GGGYYY").generation).toBe(0);
    const one = searchGenerations(["GGGXXX", "XXXYYY", "GGGWWW", "WWWYYY"], "YYYGGG", { maxSources: 4 });
    expect(one.generation).toBe(1);
    expect(one.path.map((s) => formatGenome(s.result.genome))).toEqual(["GGGYYY"]);
    expect(() => searchGenerations(POOL, "GGGYY")).toThrow(UserError);
    expect(() => searchGenerations(POOL, "GGGYYY", { generations: 4 })).toThrow(/1 … 3/);
  });
});
