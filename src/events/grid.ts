// World positions as the grid labels players read on the in-game map (research/rustplus.md): 146.25 m cells,
// columns A…Z, AA… from the west, rows from 0 at the north. World y grows northwards, rows southwards.

export const CELL_METRES = 146.25;

export const OFF_GRID = "off grid";

/** Inside the square map (the ocean beyond it, where ships and helicopters come from, is not). */
export function onGrid(x: number, y: number, mapSize: number): boolean {
  return Number.isFinite(x) && Number.isFinite(y) && mapSize > 0 && x >= 0 && y >= 0 && x < mapSize && y < mapSize;
}

/** A0, B12, AA3 … or "off grid". */
export function gridLabel(x: number, y: number, mapSize: number): string {
  if (!onGrid(x, y, mapSize)) return OFF_GRID;
  return columnName(Math.floor(x / CELL_METRES)) + String(Math.floor((mapSize - y) / CELL_METRES));
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
