import { describe, expect, it } from "vitest";
import { UserError } from "../../../src/errors.ts";
import { parseCloneList, parseGenome, solveGenetics } from "../../../src/tools/genetics/index.ts";
import { crossbreed, slotOutcomes } from "../../../src/tools/genetics/rule.ts";
import { formatGenome, type Genome } from "../../../src/tools/genetics/genome.ts";

const g = (text: string): Genome => {
  const genome = parseGenome(text);
  if (genome === undefined) throw new Error(text);
  return genome;
};
const outcomes = (sources: string[], centre: string | null): [string, string][] =>
  crossbreed(sources.map(g), centre === null ? null : g(centre))
    .map(({ genome, numerator, denominator }): [string, string] => [formatGenome(genome), `${numerator}/${denominator}`])
    .sort();

describe("the crossbreeding rule", () => {
  it("keeps the centre's gene when one green neighbour meets a green centre (0.6 is not greater than 0.6)", () => {
    expect(slotOutcomes([g("GGGGGG")], g("YYYYYY"), 0)).toEqual([3]);
    expect(outcomes(["GGGGGG"], "YYYYYY")).toEqual([["YYYYYY", "1/1"]]);
  });
  it("replaces anything with two greens (1.2 > 1.0)", () => {
    expect(outcomes(["GGGGGG", "GGGGGG"], "XXXXXX")).toEqual([["GGGGGG", "1/1"]]);
    expect(outcomes(["GGGGGG", "GGGGGG"], "WWWWWW")).toEqual([["GGGGGG", "1/1"]]);
  });
  it("one red neighbour replaces a green centre but not a red one", () => {
    expect(outcomes(["XXXXXX"], "GGGGGG")).toEqual([["XXXXXX", "1/1"]]);
    expect(outcomes(["XXXXXX"], "WWWWWW")).toEqual([["WWWWWW", "1/1"]]);
    expect(outcomes(["GGGGGG"], "WWWWWW")).toEqual([["WWWWWW", "1/1"]]);
  });
  it("five greens exactly tie three reds; the reds win 5 in 8 (when a green is visited last), in all slots at once", () => {
    const sources = [...Array<string>(5).fill("GGGGGG"), ...Array<string>(3).fill("XXXXXX")];
    expect(outcomes(sources, "YYYYYY")).toEqual([["GGGGGG", "3/8"], ["XXXXXX", "5/8"]]);
    expect(slotOutcomes(sources.map(g), g("YYYYYY"), 0)).toEqual([0, 2]);
    expect(slotOutcomes(["GGGGGG", "GGGGGG", "GGGGGG", "GGGGGG", "GGGGGG", "XXXXXX", "XXXXXX"].map(g), null, 0)).toEqual([2]);
  });
  it("a tie in one slot between genes carried by as many plants is even, but a centre that is not beaten is kept", () => {
    expect(outcomes(["GGGGGG", "YGGGGG"], null)).toEqual([["GGGGGG", "1/2"], ["YGGGGG", "1/2"]]);
    // G 1.2 beats the centre everywhere but slot 0, where G 0.6 and Y 0.6 tie below the centre's weight.
    expect(outcomes(["GGGGGG", "YGGGGG", "HGGGGG"], "WHHHHH")).toEqual([["WGGGGG", "1/1"]]);
  });
  it("with six or more neighbours the centre never matters", () => {
    const sources = ["GYHWXG", "YHWXGY", "HWXGYH", "WXGYHW", "XGYHWX", "GGYYHH"];
    expect(outcomes(sources, "XXXXXX")).toEqual(outcomes(sources, "GGGGGG"));
    expect(outcomes(sources, "XXXXXX")).toEqual(outcomes(sources, null));
  });
});

describe("solveGenetics", () => {
  it("finds GGGYYY with the centre that matters and says where to plant", () => {
    const { results } = solveGenetics(["GGGXXX", "XXXYYY", "GGGWWW", "WWWYYY"], { maxSources: 4 });
    const best = results[0];
    expect(best?.text).toBe("GGGYYY");
    expect(best?.chance).toBe(1);
    expect(best?.recipe.sources.length).toBe(4);
    expect(best?.placement[1]?.[1]).toBe("centre");
  });
  it("uses the centre plant where the neighbours tie below its weight", () => {
    // Two sources tie 0.6 against 0.6 in the last three slots: only a centre carrying YYY there keeps them.
    const { results } = solveGenetics(["GGGGYH", "GGGHGY", "XXXYYY"], { maxSources: 2, repeats: false });
    const best = results[0];
    expect(best?.text).toBe("GGGYYY");
    expect(best?.recipe.centre).toBe(g("XXXYYY"));
    expect(best?.chance).toBe(1);
  });
  it("names bad genomes and refuses too many clones", () => {
    expect(() => solveGenetics(["GGGYYY", "GGQ", "hello"])).toThrow(UserError);
    expect(() => solveGenetics(["GGGYYY", "GGQ", "hello"])).toThrow(/`GGQ`, `hello`/);
    expect(() => solveGenetics(Array<string>(201).fill("GGGYYY"))).toThrow(/Too many clones/);
    expect(() => solveGenetics(["GGGYYY"], { maxSources: 9 })).toThrow(/2 … 8/);
    expect(() => solveGenetics(Array.from({ length: 150 }, (_, i) => formatGenome(i * 97)), { maxSources: 8 })).toThrow(/Too many combinations/);
  });
  it("parses a pasted list", () => {
    expect(parseCloneList("ggyyhw, GYHWXG\nbad;  YYYYYY")).toEqual({ clones: [g("GGYYHW"), g("GYHWXG"), g("YYYYYY")], invalid: ["bad"] });
  });
});
