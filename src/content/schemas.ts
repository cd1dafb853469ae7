// Every ContentStore key and the zod schema its value must satisfy, on read and before every write.
import { z } from "zod";
import { MAX_STEPS, mixSteps } from "../tools/raid/cheapest-mix.ts";
import { shortnameSchema } from "../tools/items/item-schema.ts";

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,49}$/, "An id is lower-case letters, digits and dashes.");

function unique<T>(key: (t: T) => string, what: string) {
  return (list: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<string>();
    for (const item of list) {
      const k = key(item);
      if (seen.has(k)) ctx.addIssue({ code: "custom", message: `${what} ${k} appears twice.` });
      seen.add(k);
    }
  };
}

export const faqSchema = z.object({
  topics: z
    .array(z.object({ id: slug, title: z.string().trim().min(1).max(100), answer: z.string().trim().min(1).max(1_800) }))
    .min(1)
    .max(100)
    .superRefine(unique((t) => t.id, "Topic")),
});

export const recipeSchema = z.object({
  item: shortnameSchema,
  amount: z.number().int().min(1).max(10_000),
  workbench: z.number().int().min(0).max(3),
  seconds: z.number().min(0).max(86_400),
  ingredients: z.array(z.object({ item: shortnameSchema, amount: z.number().int().min(1).max(100_000) })).min(1).max(10),
});

export const recipesSchema = z
  .object({
    /** Where the raw cost stops (resources and components that are gathered, not crafted). */
    raw: z.array(shortnameSchema).max(500),
    recipes: z.array(recipeSchema).max(2_000).superRefine(unique((r) => r.item, "A recipe for")),
  })
  .superRefine((book, ctx) => {
    const loop = findRecipeLoop(book.recipes, new Set(book.raw));
    if (loop) ctx.addIssue({ code: "custom", message: `The recipes go round in a loop: ${loop.join(" → ")}.` });
  });

/** A chain of recipes that leads back to where it started (raw items stop a chain), if there is one. */
export function findRecipeLoop(recipes: readonly z.infer<typeof recipeSchema>[], raw: ReadonlySet<string>): string[] | undefined {
  const byItem = new Map(recipes.map((r) => [r.item, r]));
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (item: string): string[] | undefined => {
    if (raw.has(item) || done.has(item)) return undefined;
    const at = path.indexOf(item);
    if (at >= 0) return [...path.slice(at), item];
    const recipe = byItem.get(item);
    if (!recipe) return undefined;
    path.push(item);
    for (const ing of recipe.ingredients) {
      const loop = visit(ing.item);
      if (loop) return loop;
    }
    path.pop();
    done.add(item);
    return undefined;
  };
  for (const r of recipes) {
    const loop = visit(r.item);
    if (loop) return loop;
  }
  return undefined;
}

export const raidTableSchema = z
  .object({
    /** Where the counts come from, shown in /raid's footer. */
    source: z.string().trim().min(1).max(300).optional(),
    explosives: z
      .array(z.object({ key: slug, item: shortnameSchema, name: z.string().trim().min(1).max(50), sulfur: z.number().int().min(0).max(1_000_000) }))
      .min(1)
      .max(10)
      .superRefine(unique((e) => e.key, "Explosive")),
    targets: z
      .array(
        z.object({
          id: slug,
          name: z.string().trim().min(1).max(50),
          hp: z.number().int().min(1).max(1_000_000).optional(),
          counts: z.record(slug, z.number().int().min(1).max(5_000)),
          /** Damage of one explosive to this target, where known (with hp): makes mixes exact. */
          damage: z.record(slug, z.number().min(0.001).max(1_000_000)).optional(),
        }),
      )
      .min(1)
      .max(100)
      .superRefine(unique((t) => t.id, "Target")),
  })
  .superRefine((table, ctx) => {
    const keys = new Set(table.explosives.map((e) => e.key));
    for (const target of table.targets) {
      for (const key of Object.keys(target.counts)) {
        if (!keys.has(key)) ctx.addIssue({ code: "custom", message: `${target.name} counts an unknown explosive "${key}".` });
      }
      if (Object.keys(target.counts).length === 0) ctx.addIssue({ code: "custom", message: `${target.name} has no counts.` });
      for (const [key, damage] of Object.entries(target.damage ?? {})) {
        const count = target.counts[key];
        if (target.hp === undefined) ctx.addIssue({ code: "custom", message: `${target.name} lists damage without hp.` });
        else if (count === undefined) ctx.addIssue({ code: "custom", message: `${target.name} lists damage for "${key}" without a count.` });
        else if (Math.ceil((target.hp * 1_000_000) / Math.round(damage * 1_000_000)) !== count) {
          ctx.addIssue({ code: "custom", message: `${target.name}: ${count} × ${key} does not match ${damage} damage against ${target.hp} HP.` });
        }
      }
      const options = table.explosives.filter((e) => target.counts[e.key] !== undefined).map((e) => ({ count: target.counts[e.key]!, sulfur: e.sulfur }));
      if (mixSteps(options) > MAX_STEPS) ctx.addIssue({ code: "custom", message: `${target.name}: the counts and sulfur prices make the cheapest mix too large to search.` });
    }
  });

export const messagesSchema = z.record(z.string().regex(/^[a-z0-9.-]{1,50}$/), z.string().max(1_000));

export const CONTENT_SCHEMAS = {
  faq: faqSchema,
  recipes: recipesSchema,
  "raid-table": raidTableSchema,
  messages: messagesSchema,
} as const;

export type ContentKey = keyof typeof CONTENT_SCHEMAS;
export type ContentValue<K extends ContentKey> = z.infer<(typeof CONTENT_SCHEMAS)[K]>;
export const CONTENT_KEYS = Object.keys(CONTENT_SCHEMAS) as ContentKey[];
export type Faq = ContentValue<"faq">;
export type Recipes = ContentValue<"recipes">;
export type RaidTable = ContentValue<"raid-table">;

export function isContentKey(key: string): key is ContentKey {
  return Object.hasOwn(CONTENT_SCHEMAS, key);
}
