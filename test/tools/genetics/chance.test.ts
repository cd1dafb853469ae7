import { describe, expect, it } from "vitest";
import { ORDERS, formatChance, product, toNumbers } from "../../../src/tools/genetics/chance.ts";

describe("chances as exact fractions", () => {
  it("are shown reduced, as 'n in d' with the percentage", () => {
    expect(formatChance({ numerator: ORDERS, denominator: ORDERS })).toBe("100 %");
    expect(formatChance({ numerator: ORDERS / 3, denominator: ORDERS })).toBe("1 in 3 (33.3 %)");
    expect(formatChance({ numerator: 2, denominator: 3 })).toBe("2 in 3 (66.7 %)");
    expect(formatChance({ numerator: 16_800, denominator: ORDERS })).toBe("5 in 12 (41.7 %)");
    // A result saved by an older version has no numerator: it was 1 in n.
    expect(formatChance({ denominator: 4 })).toBe("1 in 4 (25.0 %)");
  });

  it("multiply exactly along a path, and fall back to the percentage past 2^53", () => {
    expect(toNumbers(product([{ numerator: 3, denominator: 8 }, { numerator: 2, denominator: 9 }]))).toEqual({ chance: 1 / 12, numerator: 1, denominator: 12 });
    const long = toNumbers(product(Array.from({ length: 5 }, () => ({ numerator: 1, denominator: 40_319 }))));
    expect([long.numerator, long.denominator]).toEqual([0, 0]);
    expect(formatChance({ ...long }, 2)).toBe("0.00 %");
  });
});
