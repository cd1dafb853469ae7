// World positions as the grid labels players read on the in-game map. The game stretches its cells so that a
// whole number of them covers the map (its MapHelper, as summarised in research/rustplus.md "Map and game
// model"): cell = floor(size / floor(size / 146.28572 + 0.001)) metres, so 150 m on 3000, 3750 and 4500 maps,
// 148 m on 4000, 146 m on 4250 and 6000. Columns A … Z, AA … from the west, rows from 0 at the north
// (Rust+ coordinates: x east, y north, 0 … size). The only grid code: every message, note, map and command uses it.

/** The game's nominal cell (metres) before it is stretched to fit the map. */
const NOMINAL_CELL_METRES = 146.28572;

export const OFF_GRID = "off grid";

export interface Grid {
  /** Metres per cell, a whole number. */
  cell: number;
  /** Columns (= rows) on the map: floor(size / cell), never one more. */
  count: number;
}

/** The grid of a square map `mapSize` metres wide, or null when the size is not a usable map size. */
export function gridFor(mapSize: number): Grid | null {
  if (!Number.isFinite(mapSize) || mapSize <= 0) return null;
  const cells = Math.floor(mapSize / NOMINAL_CELL_METRES + 0.001);
  // A map smaller than one nominal cell (no real server) is one cell wide.
  const cell = cells >= 1 ? Math.floor(mapSize / cells) : mapSize;
  return { cell, count: Math.max(1, Math.floor(mapSize / cell)) };
}

/** Inside the square map, its edges included (the ocean beyond, where ships and helicopters come from, is not). */
export function onGrid(x: number, y: number, mapSize: number): boolean {
  return Number.isFinite(x) && Number.isFinite(y) && gridFor(mapSize) !== null && x >= 0 && y >= 0 && x <= mapSize && y <= mapSize;
}

/**
 * The cell of a position: column from the west, row from the north, both 0-based, or null off the map.
 * The few metres past the last whole cell (4 m on a 4000 map) and the edges themselves belong to the last
 * column or row, so no label names a cell the map does not have.
 */
export function cellOf(x: number, y: number, mapSize: number): { column: number; row: number } | null {
  const grid = gridFor(mapSize);
  if (!grid || !onGrid(x, y, mapSize)) return null;
  const clamp = (n: number) => Math.min(Math.max(n, 0), grid.count - 1);
  return { column: clamp(Math.floor(x / grid.cell)), row: clamp(Math.floor((mapSize - y) / grid.cell)) };
}

/** A0, B12, AA3 … or "off grid". */
export function gridLabel(x: number, y: number, mapSize: number): string {
  const cell = cellOf(x, y, mapSize);
  return cell ? columnName(cell.column) + String(cell.row) : OFF_GRID;
}

/** The label when it is a real cell (what notification events accept), otherwise nothing. */
export function gridOf(x: number, y: number, mapSize: number): string | undefined {
  const label = gridLabel(x, y, mapSize);
  return label === OFF_GRID ? undefined : label;
}

/** 0 → A, 25 → Z, 26 → AA (spreadsheet-style). */
export function columnName(index: number): string {
  let name = "";
  for (let n = index; n >= 0; n = Math.floor(n / 26) - 1) name = String.fromCharCode(65 + (n % 26)) + name;
  return name;
}

/** The side of the map a position beyond (or nearest) its edge is on. */
export function edgeOf(x: number, y: number, mapSize: number): "north" | "south" | "east" | "west" {
  const distances = { west: x, east: mapSize - x, south: y, north: mapSize - y };
  return (Object.keys(distances) as (keyof typeof distances)[]).reduce((a, b) => (distances[b] < distances[a] ? b : a));
}

/** "G12" → { column: 6, row: 12 } (letters, then digits; case-insensitive), or null when it is not shaped like a label. */
export function parseGridLabel(label: string): { column: number; row: number } | null {
  const match = /^([A-Za-z]{1,3})(\d{1,3})$/.exec(label.trim());
  if (!match?.[1] || !match[2]) return null;
  let column = 0;
  for (const letter of match[1].toUpperCase()) column = column * 26 + (letter.charCodeAt(0) - 64);
  return { column: column - 1, row: Number(match[2]) };
}

/**
 * The centre of a labelled cell in world metres (the inverse of gridLabel: gridLabel(centre) is the label), or
 * null when the label is not a cell of this map (ZZ99 on a 3000 m map, or no usable map size).
 */
export function cellCentre(label: string, mapSize: number): { x: number; y: number } | null {
  const grid = gridFor(mapSize);
  const cell = parseGridLabel(label);
  if (!grid || !cell || cell.column >= grid.count || cell.row >= grid.count) return null;
  return { x: (cell.column + 0.5) * grid.cell, y: mapSize - (cell.row + 0.5) * grid.cell };
}
