// The item catalog from the reference: every item rustplusplus lists (plus any the conveyor list adds), with
// its id as Rust+ sends it, shortname and name; the stack size from rustlabs; the game's category from the
// conveyor list; then catalog-corrections.json on top (it is newer than both).
//
// Items with no known category (about 330 of 1,131: skins, event and hidden items) get the category their
// shortname family has ("hazmatsuit.arcticsuit" → the other "hazmatsuit.*" are Attire) when every known
// member of the family agrees, else Misc. Items with no known stack size get 1. Both are counted in the report.
import { ITEM_CATEGORIES, itemListSchema, type ItemInput } from "../../src/tools/items/item-schema.ts";
import type { Reference } from "./read-reference.ts";
import { RefusedError } from "./refused.ts";

type Category = (typeof ITEM_CATEGORIES)[number];
const isCategory = (c: string): c is Category => (ITEM_CATEGORIES as readonly string[]).includes(c);

export interface ItemsReport {
  items: ItemInput[];
  inferredCategory: number;
  miscCategory: number;
  defaultStack: number;
  corrected: string[];
}

/** "hazmatsuit.arcticsuit" → ["hazmatsuit.arcticsuit", "hazmatsuit"]; spaces count as dots ("4module car"). */
const families = (shortname: string): string[] => {
  const parts = shortname.split(/[. ]/);
  return parts.map((_, i) => parts.slice(0, parts.length - i).join(".")).filter((f) => f.length >= 3);
};

function inferCategory(shortname: string, known: ReadonlyMap<string, Category>): Category | undefined {
  for (const family of families(shortname).slice(1)) {
    const cats = new Set([...known].filter(([s]) => s.replace(/ /g, ".").startsWith(`${family}.`) || s === family).map(([, c]) => c));
    if (cats.size === 1) return [...cats][0];
    if (cats.size > 1) return undefined;
  }
  return undefined;
}

export function buildItems(ref: Reference): ItemsReport {
  const names = new Map(ref.items);
  for (const c of ref.conveyor) if (!names.has(c.id)) names.set(c.id, { shortname: c.shortname, name: c.name });

  const fix = ref.corrections;
  const corrected: string[] = [];
  // Ids: a corrected shortname moves to its correct id (the reference sources agree with the corrections today;
  // this keeps a stale source from bringing a wrong id back).
  for (const c of fix.id) {
    const at = [...names].find(([, v]) => v.shortname === c.shortname);
    if (at && at[0] !== c.correct) {
      names.delete(at[0]);
      names.set(c.correct, at[1]);
      corrected.push(`id ${c.shortname}`);
    }
  }

  const category = new Map<string, Category>();
  for (const c of ref.conveyor) if (isCategory(c.category) && names.get(c.id)?.shortname === c.shortname) category.set(c.shortname, c.category);

  let inferredCategory = 0;
  let miscCategory = 0;
  let defaultStack = 0;
  const items: ItemInput[] = [];
  for (const [id, { shortname, name }] of names) {
    let cat = category.get(shortname);
    if (!cat) {
      cat = inferCategory(shortname, category);
      if (cat) inferredCategory++;
      else {
        cat = "Misc";
        miscCategory++;
      }
    }
    const stack = ref.stacks.get(id);
    if (stack === undefined) defaultStack++;
    items.push({ id, shortname, name, category: cat, stackSize: stack ?? 1 });
  }

  const byShortname = new Map(items.map((i) => [i.shortname, i]));
  const edit = (shortname: string, what: string, apply: (item: ItemInput) => void) => {
    const item = byShortname.get(shortname);
    if (!item) throw new RefusedError(`catalog-corrections.json: no item ${shortname} to correct`);
    apply(item);
    corrected.push(`${what} ${shortname}`);
  };
  for (const c of fix.stackSize) edit(c.shortname, "stack size", (i) => (i.stackSize = c.correct));
  for (const c of fix.name) edit(c.shortname, "name", (i) => (i.name = c.correct));
  for (const c of fix.category) {
    if (!isCategory(c.correct)) throw new RefusedError(`catalog-corrections.json: unknown category ${c.correct}`);
    const correct = c.correct;
    edit(c.shortname, "category", (i) => (i.category = correct));
  }

  items.sort((a, b) => a.shortname.localeCompare(b.shortname, "en"));
  return { items: itemListSchema.parse(items), inferredCategory, miscCategory, defaultStack, corrected };
}
