import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.ts";
import { searchGenerations } from "../../../src/tools/genetics/index.ts";
import { formatGenome, parseGenome } from "../../../src/tools/genetics/genome.ts";
import { crossbreed } from "../../../src/tools/genetics/rule.ts";

const POOL = ["HYGYYG", "YGYHYX", "GXHWGG", "GYGWHW"];
const OPTIONS = { maxSources: 3, centre: false, top: 5 };

describe("multi-generation search", () => {
  it("breeds the target in the second generation, each step from the pool or an earlier step", () => {
    const report = searchGenerations(POOL, "GGGYYY", OPTIONS);
    expect(report.generation).toBe(2);
    expect(report.path.map((s) => [s.generation, s.result.text])).toEqual([[1, "YGGYYX"], [1, "GYGWGG"], [2, "GYGYYG"]]);
    expect(report.chance).toBeCloseTo(1 / 16 / 3 / 3);
    const available = new Set(POOL.map((p) => parseGenome(p)));
    for (const step of report.path) {
      for (const source of step.result.recipe.sources) expect(available.has(source)).toBe(true);
      const outcome = crossbreed(step.result.recipe.sources, null).find((o) => o.genome === step.result.genome);
      expect(outcome?.denominator).toBe(step.result.denominator);
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
