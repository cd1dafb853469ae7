// Grid labels as players read them on the in-game map.
import { describe, expect, it } from "vitest";
import { CELL_METRES, columnName, edgeOf, gridLabel, gridOf } from "../../src/events/grid.ts";

describe("gridLabel", () => {
  it("counts columns from the west and rows from the north", () => {
    expect(gridLabel(0, 2999, 3000)).toBe("A0");
    expect(gridLabel(CELL_METRES, 2999, 3000)).toBe("B0");
    expect(gridLabel(CELL_METRES - 0.01, 3000 - CELL_METRES + 0.01, 3000)).toBe("A0");
    expect(gridLabel(1000, 2000, 3000)).toBe("G6");
    expect(gridLabel(1500, 1500, 3000)).toBe("K10");
    expect(gridLabel(0, 0, 3000)).toBe("A20");
  });

  it("goes on past Z with two letters", () => {
    expect(gridLabel(26 * CELL_METRES + 1, 4499, 4500)).toBe("AA0");
    expect(["Z", "AA", "AB", "AZ", "BA"]).toEqual([25, 26, 27, 51, 52].map(columnName));
  });

  it("is off grid outside the map", () => {
    expect(gridLabel(-1, 100, 3000)).toBe("off grid");
    expect(gridLabel(3000, 100, 3000)).toBe("off grid");
    expect(gridLabel(100, 3200, 3000)).toBe("off grid");
    expect(gridLabel(100, 100, 0)).toBe("off grid");
    expect(gridLabel(Number.NaN, 100, 3000)).toBe("off grid");
    expect(gridOf(-1, 100, 3000)).toBeUndefined();
    expect(gridOf(1000, 2000, 3000)).toBe("G6");
  });

  it("names the side of the map a position is nearest", () => {
    expect(edgeOf(-200, 1500, 3000)).toBe("west");
    expect(edgeOf(3300, 1400, 3000)).toBe("east");
    expect(edgeOf(1500, 3400, 3000)).toBe("north");
    expect(edgeOf(1500, -50, 3000)).toBe("south");
  });
});
