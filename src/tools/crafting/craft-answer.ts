// /craft's embed, and the recipes for its autocomplete (named from the item catalog where it knows them).
import type { APIEmbed, ApplicationCommandOptionChoiceData } from "discord.js";
import type { Item } from "../../generated/prisma/client.ts";
import type { Recipes } from "../../content/schemas.ts";
import { rankItems } from "../items/find-item.ts";
import { formatFraction } from "./fraction.ts";
import type { CostMode, CraftCost } from "./raw-cost.ts";

const BENCH = ["no workbench", "workbench 1", "workbench 2", "workbench 3"];
const secs = (s: number) => s.toLocaleString("en-US", { maximumFractionDigits: 2 });

export function craftEmbed(cost: CraftCost, mode: CostMode, names: ReadonlyMap<string, string>, footer: string | undefined): APIEmbed {
  const name = (s: string) => names.get(s) ?? s;
  const raw = [...cost.raw].sort(([a], [b]) => name(a).localeCompare(name(b))).map(([s, f]) => `${name(s)}: **${formatFraction(f)}**`);
  const leftovers = [...cost.leftovers].map(([s, k]) => `${name(s)}: ${k.toLocaleString("en-US")}`);
  const seconds = Number(cost.seconds.n) / Number(cost.seconds.d);
  return {
    title: `${cost.quantity.toLocaleString("en-US")} × ${name(cost.recipe.item)}`,
    description: `${cost.crafts.toLocaleString("en-US")} craft${cost.crafts === 1 ? "" : "s"} of ${cost.recipe.amount}, ${secs(cost.recipe.seconds)} s each; ${BENCH[cost.recipe.workbench]} (whole tree: ${BENCH[cost.workbench]}); ${secs(seconds)} s in all.`,
    fields: [
      { name: "Ingredients", value: cost.ingredients.map((i) => `${name(i.item)}: ${i.amount.toLocaleString("en-US")}`).join("\n") },
      { name: `Raw cost (${mode})`, value: raw.join("\n").slice(0, 1024) || "—" },
      ...(leftovers.length ? [{ name: "Left over", value: leftovers.join("\n").slice(0, 1024) }] : []),
    ],
    ...(footer && { footer: { text: footer } }),
  };
}

export function recipeChoices(book: Recipes, items: readonly Pick<Item, "shortname" | "name">[], typed: string): ApplicationCommandOptionChoiceData[] {
  const names = new Map(items.map((i) => [i.shortname, i.name]));
  const candidates = book.recipes.map((r) => ({ shortname: r.item, name: names.get(r.item) ?? r.item }));
  return rankItems(candidates, typed).map((c) => ({ name: c.name, value: c.shortname }));
}
