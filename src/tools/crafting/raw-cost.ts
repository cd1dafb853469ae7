// What crafting `quantity` of an item takes: its recipe's direct ingredients, and the raw materials of the
// whole tree down to the stop set. Amortised: exact fractions (a rocket is 1,400 sulfur). Batch: whole crafts,
// each rounded up, with leftovers carried to later needs of the same item. The workbench needed is the highest
// anywhere in the tree; the time adds up every craft.
import type { Recipes } from "../../content/schemas.ts";
import { UserError } from "../../errors.ts";
import { add, frac, mul, type Fraction } from "./fraction.ts";

type Recipe = Recipes["recipes"][number];
export type CostMode = "amortised" | "batch";
export const MAX_QUANTITY = 100_000;
const MAX_DEPTH = 32;

export interface CraftCost {
  recipe: Recipe;
  quantity: number;
  /** Crafts of the item itself (quantity over the recipe's amount, rounded up). */
  crafts: number;
  /** The direct ingredients for those crafts. */
  ingredients: { item: string; amount: number }[];
  /** Raw materials of the whole tree, per shortname. */
  raw: Map<string, Fraction>;
  /** Leftovers of batch crafting (none in amortised mode). */
  leftovers: Map<string, bigint>;
  workbench: number;
  seconds: Fraction;
}

export function craftCost(book: Recipes, item: string, quantity: number, mode: CostMode): CraftCost {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) throw new UserError(`The quantity must be a whole number from 1 to ${MAX_QUANTITY.toLocaleString("en-US")}.`);
  const byItem = new Map(book.recipes.map((r) => [r.item, r]));
  const stop = new Set(book.raw);
  const recipe = byItem.get(item);
  if (!recipe) throw new UserError("There is no recipe for that item.");

  const raw = new Map<string, Fraction>();
  const stock = new Map<string, bigint>();
  let workbench = 0;
  let seconds = frac(0n);
  const path: string[] = [];

  const need = (name: string, amount: Fraction, depth: number): void => {
    const r = byItem.get(name);
    if ((depth > 0 && stop.has(name)) || !r) {
      raw.set(name, add(raw.get(name) ?? frac(0n), amount));
      return;
    }
    if (depth > MAX_DEPTH || path.includes(name)) throw new UserError(`The recipes for ${name} go round in a loop.`);
    path.push(name);
    workbench = Math.max(workbench, r.workbench);
    let crafts: Fraction;
    if (mode === "amortised") crafts = mul(amount, frac(1n, BigInt(r.amount)));
    else {
      // Batch amounts are whole: what is needed beyond the stock, in whole crafts.
      const wanted = amount.n / amount.d;
      const have = stock.get(name) ?? 0n;
      const missing = wanted > have ? wanted - have : 0n;
      const whole = (missing + BigInt(r.amount) - 1n) / BigInt(r.amount);
      stock.set(name, have + whole * BigInt(r.amount) - wanted);
      crafts = frac(whole);
    }
    seconds = add(seconds, mul(crafts, frac(BigInt(Math.round(r.seconds * 1000)), 1000n)));
    if (crafts.n !== 0n) for (const ing of r.ingredients) need(ing.item, mul(crafts, frac(BigInt(ing.amount))), depth + 1);
    path.pop();
  };
  need(item, frac(BigInt(quantity)), 0);

  const crafts = Math.ceil(quantity / recipe.amount);
  const leftovers = new Map([...stock].filter(([, n]) => n > 0n));
  return {
    recipe,
    quantity,
    crafts,
    ingredients: recipe.ingredients.map((i) => ({ item: i.item, amount: i.amount * crafts })),
    raw,
    leftovers,
    workbench,
    seconds,
  };
}
