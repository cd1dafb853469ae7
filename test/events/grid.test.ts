// Grid labels as players read them on the in-game map: the game's stretched cells (research/rustplus.md).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { cellCentre, cellOf, columnName, edgeOf, gridFor, gridLabel, gridOf, parseGridLabel } from "../../src/events/grid.ts";

/** Every map size a server can be given in steps of 250 m, from the smallest to the largest in use. */
const SIZES = Array.from({ length: 21 }, (_, i) => 1000 + 250 * i);

describe("gridLabel", () => {
  it("labels the game's own examples", () => {
    expect(gridLabel(100, 60, 3000)).toBe("A19");
    expect(gridLabel(2999.9, 0.1, 3000)).toBe("T19");
    expect(gridLabel(1470, 1530, 3000)).toBe("J9");
    expect(gridLabel(3850, 2000, 4500)).toBe("Z16");
    expect(gridLabel(3990, 10, 4000)).toBe("AA26");
  });

  it("stretches the cell so a whole number covers the map", () => {
    expect([3000, 3750, 4500, 4000, 4250, 6000].map((s) => gridFor(s)?.cell)).toEqual([150, 150, 150, 148, 146, 146]);
    expect(gridFor(0)).toBeNull();
    expect(gridFor(Number.NaN)).toBeNull();
  });

  it("covers every map size 1000…6000 with exactly floor(size / cell) columns and rows, and no more", () => {
    for (const size of SIZES) {
      const grid = gridFor(size)!;
      const count = Math.floor(size / grid.cell);
      expect(grid.count, `size ${size}`).toBe(count);
      // Walk the whole map, edges included: the columns and rows seen are exactly 0 … count - 1.
      const columns = new Set<number>();
      const rows = new Set<number>();
      for (let m = 0; m <= size; m += 0.5) {
        columns.add(cellOf(m, size / 2, size)!.column);
        rows.add(cellOf(size / 2, m, size)!.row);
      }
      const all = Array.from({ length: count }, (_, i) => i);
      expect([...columns].sort((a, b) => a - b), `columns on ${size}`).toEqual(all);
      expect([...rows].sort((a, b) => a - b), `rows on ${size}`).toEqual(all);
      // The far corners are the last real cell, not one the map does not have.
      const last = columnName(count - 1) + String(count - 1);
      expect(gridLabel(size, 0, size)).toBe(last);
      expect(gridLabel(size - 1e-9, 1e-9, size)).toBe(last);
      expect(gridLabel(0, size, size)).toBe("A0");
    }
  });

  it("puts every position on the map in the cell whose bounds hold it (the leftover strip in the last one)", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SIZES), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }), (size, fx, fy) => {
        const { cell, count } = gridFor(size)!;
        const x = fx * size;
        const y = fy * size;
        const { column, row } = cellOf(x, y, size)!;
        expect(column).toBeGreaterThanOrEqual(0);
        expect(column).toBeLessThan(count);
        expect(row).toBeLessThan(count);
        expect(x).toBeGreaterThanOrEqual(column * cell);
        if (column < count - 1) expect(x).toBeLessThan((column + 1) * cell);
        expect(size - y).toBeGreaterThanOrEqual(row * cell);
        if (row < count - 1) expect(size - y).toBeLessThan((row + 1) * cell);
      }),
    );
  });

  it("goes on past Z with two letters", () => {
    expect(gridLabel(26 * 150 + 1, 4499, 4500)).toBe("AA0");
    expect(["Z", "AA", "AB", "AZ", "BA"]).toEqual([25, 26, 27, 51, 52].map(columnName));
  });

  it("is off grid outside the map", () => {
    expect(gridLabel(-1, 100, 3000)).toBe("off grid");
    expect(gridLabel(3000.01, 100, 3000)).toBe("off grid");
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

describe("cellCentre (a grid label back to a position, for notes)", () => {
  it("is the inverse of gridLabel on every cell of every map size", () => {
    fc.assert(
      fc.property(fc.constantFrom(...SIZES, 4250, 6000), fc.nat(), fc.nat(), (size, c, r) => {
        const { count } = gridFor(size)!;
        const label = columnName(c % count) + String(r % count);
        const centre = cellCentre(label, size);
        expect(centre).not.toBeNull();
        expect(gridLabel(centre!.x, centre!.y, size)).toBe(label);
      }),
    );
  });

  it("reads labels in either case and refuses cells the map does not have", () => {
    expect(cellCentre("g12", 3000)).toEqual({ x: 975, y: 1125 });
    expect(parseGridLabel("AA3")).toEqual({ column: 26, row: 3 });
    expect(cellCentre("T19", 3000)).not.toBeNull();
    for (const bad of ["U0", "A20", "ZZ99", "12", "G", "G-1", "G1.5", ""]) expect(cellCentre(bad, 3000), bad).toBeNull();
    expect(cellCentre("A0", 0)).toBeNull();
  });
});
