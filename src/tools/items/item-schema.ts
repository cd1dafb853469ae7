// One catalog item as the seed file and the admin commands give it: numeric id as Rust+ sends it (signed
// int32), shortname, display name, category, stack size.
import { z } from "zod";

export const ITEM_CATEGORIES = [
  "Weapon", "Construction", "Items", "Resources", "Attire", "Tool", "Medical", "Food", "Ammunition", "Traps", "Misc", "Component", "Electrical", "Fun",
] as const;

/** The game's category numbers (the conveyor filter uses them). */
export const CATEGORY_NUMBER: Record<(typeof ITEM_CATEGORIES)[number], number> = {
  Weapon: 0, Construction: 1, Items: 2, Resources: 3, Attire: 4, Tool: 5, Medical: 6, Food: 7, Ammunition: 8, Traps: 9, Misc: 10, Component: 13, Electrical: 16, Fun: 17,
};

export const shortnameSchema = z.string().trim().toLowerCase().regex(/^[a-z0-9][a-z0-9._ -]{0,63}$/, "A shortname is lower-case letters, digits, dots, dashes, underscores or spaces (e.g. ammo.rocket.basic).");

export const itemSchema = z.object({
  id: z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1),
  shortname: shortnameSchema,
  name: z.string().trim().min(1).max(100),
  category: z.enum(ITEM_CATEGORIES),
  stackSize: z.number().int().min(1).max(1_000_000),
});
export type ItemInput = z.infer<typeof itemSchema>;

export const itemListSchema = z.array(itemSchema).max(5_000).superRefine((items, ctx) => {
  const ids = new Set<number>();
  const names = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) ctx.addIssue({ code: "custom", message: `Item id ${item.id} appears twice.` });
    if (names.has(item.shortname)) ctx.addIssue({ code: "custom", message: `Shortname ${item.shortname} appears twice.` });
    ids.add(item.id);
    names.add(item.shortname);
  }
});
