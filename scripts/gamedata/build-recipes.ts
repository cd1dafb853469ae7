// The recipe book from the reference's rustlabs craft data (ingredients, workbench, time), with how many one
// craft makes from recipe-yields.json, then catalog-corrections.json's recipe values on top (newer: gunpowder
// at workbench 1 in 2 s, pistol ammo makes 4, the small stash takes 15 s). Recipes naming an item the catalog
// lacks, or with no ingredients, are left out and counted.
import { readFile } from "node:fs/promises";
import { z } from "zod";
import { recipesSchema, type Recipes } from "../../src/content/schemas.ts";
import type { ItemInput } from "../../src/tools/items/item-schema.ts";
import type { Reference } from "./read-reference.ts";
import { RefusedError } from "./refused.ts";

const YIELDS = new URL("./recipe-yields.json", import.meta.url);
const yieldsSchema = z.object({ yields: z.record(z.string(), z.number().int().min(1)) });

/** Where the raw cost stops besides items that have no recipe: gathered resources and loot components. */
const RAW = ["sulfur", "charcoal", "metal.fragments", "metal.refined", "cloth", "fat.animal", "wood", "stones", "scrap", "leather"];
const BENCH: Record<string, number> = { workbench1: 1, workbench2: 2, workbench3: 3 };

export interface RecipesReport {
  book: Recipes;
  skipped: number;
}

export async function buildRecipes(ref: Reference, items: readonly ItemInput[]): Promise<RecipesReport> {
  const yields = yieldsSchema.parse(JSON.parse(await readFile(YIELDS, "utf8"))).yields;
  const shortname = new Map(items.map((i) => [i.id, i.shortname]));
  const recipes: Recipes["recipes"] = [];
  let skipped = 0;
  for (const [id, r] of ref.craft) {
    const item = shortname.get(id);
    const ingredients = r.ingredients.map((i) => ({ item: shortname.get(i.id), amount: Math.ceil(i.quantity) }));
    const bench = r.workbench === null ? 0 : BENCH[shortname.get(r.workbench) ?? ""];
    if (!item || ingredients.length === 0 || ingredients.some((i) => !i.item) || bench === undefined) {
      skipped++;
      continue;
    }
    recipes.push({ item, amount: yields[item] ?? 1, workbench: bench, seconds: r.time, ingredients: ingredients.map((i) => ({ item: i.item!, amount: i.amount })) });
  }
  for (const c of ref.corrections.recipes) {
    const recipe = recipes.find((r) => r.item === c.item);
    if (!recipe) throw new RefusedError(`catalog-corrections.json: no recipe for ${c.item} to correct`);
    recipe[c.field] = c.correct;
  }
  recipes.sort((a, b) => a.item.localeCompare(b.item, "en"));
  const components = items.filter((i) => i.category === "Component").map((i) => i.shortname);
  const raw = [...new Set([...RAW, ...components])].sort();
  return { book: recipesSchema.parse({ raw, recipes }), skipped };
}
