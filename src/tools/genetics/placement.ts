// Where to plant a recipe in a large planter (3 × 3): the centre in the middle, the sources on the corners
// first (corners are not neighbours of each other), then on the edges. Plant the sources first, the centre last.
import { formatGenome } from "./genome.ts";
import type { Recipe } from "./types.ts";

const SPOTS: readonly (readonly [number, number])[] = [
  [0, 0], [0, 2], [2, 0], [2, 2], [0, 1], [1, 0], [1, 2], [2, 1],
];

export function placement(recipe: Recipe): string[][] {
  const grid = [0, 1, 2].map(() => ["", "", ""]);
  const middle = grid[1];
  if (middle) middle[1] = recipe.centre === null ? "centre" : formatGenome(recipe.centre);
  recipe.sources.forEach((source, index) => {
    const spot = SPOTS[index];
    const row = spot ? grid[spot[0]] : undefined;
    if (spot && row) row[spot[1]] = formatGenome(source);
  });
  return grid;
}
