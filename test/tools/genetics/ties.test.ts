// Linked ties: the game visits the neighbours in one order for all six slots, so tied slots are not independent.
// Each example is checked three ways: the plain rule over all n! orders (rule.ts), the fast method the solver uses
// (ties.ts), and the solver's answer.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { solveGenetics } from "../../../src/tools/genetics/index.ts";
import { formatGenome, parseGenome, type Genome } from "../../../src/tools/genetics/genome.ts";
import { crossbreed, type Outcome } from "../../../src/tools/genetics/rule.ts";
import { orderOutcomes } from "../../../src/tools/genetics/ties.ts";

const g = (text: string): Genome => {
  const genome = parseGenome(text);
  if (genome === undefined) throw new Error(text);
  return genome;
};
const shown = (list: Outcome[]): string[] => list.map((o) => `${formatGenome(o.genome)} ${o.numerator}/${o.denominator}`).sort();
/** The outcomes by every order (reference) and by the fast method, which must agree. */
function both(sources: string[], centre: string | null = null): string[] {
  const plain = shown(crossbreed(sources.map(g), centre === null ? null : g(centre)));
  expect(shown(orderOutcomes(sources.map(g), centre === null ? null : g(centre)))).toEqual(plain);
  return plain;
}
const results = (pool: string[], options: Parameters<typeof solveGenetics>[1]) =>
  solveGenetics(pool, options).results.map((r) => `${r.text} ${r.numerator}/${r.denominator}`);

describe("linked ties", () => {
  it("A = GY…, B = YG… give GY… or YG…, 1 in 2 each, never GG… or YY…", () => {
    expect(both(["GYXXXX", "YGXXXX"])).toEqual(["GYXXXX 1/2", "YGXXXX 1/2"]);
    expect(results(["GYXXXX", "YGXXXX"], { maxSources: 2, repeats: false, centre: false })).toEqual(["YGXXXX 1/2", "GYXXXX 1/2"]);
  });

  it("duplicate clones are distinct plants, and two copies of each still link the slots", () => {
    expect(both(["GYXXXX", "GYXXXX", "YGXXXX", "YGXXXX"])).toEqual(["GYXXXX 1/2", "YGXXXX 1/2"]);
    // Slot 0: Y (A A) against H (C D); slot 1: H (A A) against Y (B D): 2 in 5, 2 in 5, 1 in 10, 1 in 10.
    expect(both(["YHGGGG", "YHGGGG", "GYGGGG", "HXGGGG", "HYGGGG"])).toEqual(["HHGGGG 1/10", "HYGGGG 2/5", "YHGGGG 2/5", "YYGGGG 1/10"]);
  });

  it("three neighbours: 1 in 3, 1 in 3, 1 in 6, 1 in 6 where independent slots would say 1 in 4 each", () => {
    // Slot 0: W (A) and X (B) tie; slot 1: X (A) and W (C) tie. A first gives WX, A last XW.
    expect(both(["WXGGGG", "XGGGGG", "GWGGGG"])).toEqual(["WWGGGG 1/6", "WXGGGG 1/3", "XWGGGG 1/3", "XXGGGG 1/6"]);
  });

  it("four neighbours: 3 in 8 and 1 in 8", () => {
    // Slot 0: G (A D) against H (B C); slot 1: X (A) against W (C); slot 2: Y (B C) wins outright.
    expect(both(["GXXGGG", "HYYGGG", "HWYGGG", "GGGGGG"])).toEqual(["GWYGGG 1/8", "GXYGGG 3/8", "HWYGGG 3/8", "HXYGGG 1/8"]);
    expect(results(["GXXGGG", "HYYGGG", "HWYGGG", "GGGGGG"], { maxSources: 4, repeats: false, centre: false })).toContain("GXYGGG 3/8");
  });

  it("two plants that tie in every slot give one or the other whole, 1 in 2, not 1 in 8", () => {
    expect(both(["HYYGGG", "GGGGGG"])).toEqual(["GGGGGG 1/2", "HYYGGG 1/2"]);
    expect(results(["GXXGGG", "HYYGGG", "HWYGGG", "GGGGGG"], { maxSources: 4, repeats: false, centre: false })[0]).toBe("GGGGGG 1/2");
  });

  it("a centre keeps its gene where it is not beaten, and the other slots stay linked", () => {
    // Slot 0: W and X (1.0 each) do not beat a red centre; slot 1 and 2: tied greens beat nothing green.
    expect(both(["WGYGGG", "XYGGGG"], "XHHGGG")).toEqual(["XHHGGG 1/1"]);
    expect(both(["WGYGGG", "XYGGGG", "GGGGGG"], "WHHGGG")).toEqual(["WGGGGG 1/1"]);
    expect(both(["WGYGGG", "XYGGGG"], "GHHGGG")).toEqual(["WHHGGG 1/2", "XHHGGG 1/2"]);
  });

  it("five greens against three reds in every slot: all reds 5 in 8, all greens 3 in 8", () => {
    const sources = [...Array<string>(5).fill("GGGGGG"), ...Array<string>(3).fill("WWWWWW")];
    expect(both(sources)).toEqual(["GGGGGG 3/8", "WWWWWW 5/8"]);
  });

  it("the fast method equals all n! orders on random sets of 2 … 7 neighbours, with and without a centre", () => {
    // Few letters per slot, so that ties are common; a genome may be planted more than once.
    const genome = fc.array(fc.constantFrom(0, 1, 2, 3, 4, 2, 3), { minLength: 6, maxLength: 6 }).map((genes) => genes.reduceRight((code: number, gene) => code * 5 + gene, 0));
    fc.assert(
      fc.property(fc.array(genome, { minLength: 1, maxLength: 4 }), fc.array(fc.nat(), { minLength: 2, maxLength: 7 }), fc.option(genome), (kinds, picks, centre) => {
        const sources = picks.map((p) => kinds[p % kinds.length] ?? 0);
        const fast = orderOutcomes(sources, centre);
        expect(shown(fast)).toEqual(shown(crossbreed(sources, centre)));
        expect(fast.reduce((sum, o) => sum + o.numerator / o.denominator, 0)).toBeCloseTo(1, 12);
      }),
      { numRuns: 150 },
    );
  });

  it("the fast method equals all 8! orders on full planters", () => {
    for (const sources of [
      ["GYHWXG", "YHWXGY", "HWXGYH", "WXGYHW", "XGYHWX", "GGYYHH", "YYGGHH", "HHGGYY"],
      ["GYGGGG", "GYGGGG", "GHGGGG", "GHGGGG", "GGGGGG", "XGGGGG", "XWGGGG", "XXGGGG"],
    ]) {
      both(sources);
    }
  });
});
