// Where a position is, as players say it: its grid cell when the map size is known.
import { gridOf } from "../events/grid.ts";

/** " at G12", or "" when the map size is unknown or the position is off the grid. */
export function atGrid(x: number, y: number, mapSize: number): string {
  const grid = mapSize > 0 ? gridOf(x, y, mapSize) : undefined;
  return grid ? ` at ${grid}` : "";
}
