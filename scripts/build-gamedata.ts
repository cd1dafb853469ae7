// npm run gamedata -- [reference dir]: rebuilds the product's own game data from the public reference data
// (default ../shared/data/reference; its README names the sources): gamedata/items.json (the item catalog),
// gamedata/content/recipes.json and gamedata/content/raid-table.json. Catalog rows that this build changes
// or drops are added to gamedata/items-superseded.json, so that a database seeded from an older catalog gets
// them corrected at start unless an admin has edited them (src/tools/items/seed-items.ts).
// Run from the repository root after a game update, review the diff, run the tests, commit.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { itemSchema, type ItemInput } from "../src/tools/items/item-schema.ts";
import { buildItems } from "./gamedata/build-items.ts";
import { buildRaidTable } from "./gamedata/build-raid-table.ts";
import { buildRecipes } from "./gamedata/build-recipes.ts";
import { readReference } from "./gamedata/read-reference.ts";

const ROOT = new URL("../", import.meta.url);
const out = (file: string) => new URL(file, ROOT);

/** One row per line: readable diffs when the game changes. */
const rows = (list: readonly unknown[]) => `[\n${list.map((r) => `  ${JSON.stringify(r)}`).join(",\n")}\n]`;

async function readItems(file: URL): Promise<ItemInput[]> {
  try {
    return itemSchema.array().parse(JSON.parse(await readFile(file, "utf8")));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw err;
  }
}

async function main(): Promise<void> {
  const dir = path.resolve(process.argv[2] ?? "../shared/data/reference");
  const ref = await readReference(dir);
  const items = buildItems(ref);
  const recipes = await buildRecipes(ref, items.items);
  const raid = buildRaidTable(ref, items.items, recipes.book);

  const previous = await readItems(out("gamedata/items.json"));
  const superseded = await readItems(out("gamedata/items-superseded.json"));
  const now = new Map(items.items.map((i) => [i.id, i]));
  for (const old of previous) {
    const same = isDeepStrictEqual(now.get(old.id), old);
    if (!same && !superseded.some((s) => isDeepStrictEqual(s, old))) superseded.push(old);
  }

  await writeFile(out("gamedata/items.json"), `${rows(items.items)}\n`);
  await writeFile(out("gamedata/items-superseded.json"), `${rows(superseded)}\n`);
  await writeFile(out("gamedata/content/recipes.json"), `{\n"raw": ${JSON.stringify(recipes.book.raw)},\n"recipes": ${rows(recipes.book.recipes)}\n}\n`);
  const { explosives, targets, ...head } = raid.table;
  await writeFile(out("gamedata/content/raid-table.json"), `{\n"source": ${JSON.stringify(head.source)},\n"explosives": ${rows(explosives)},\n"targets": ${rows(targets)}\n}\n`);

  process.stdout.write(
    [
      `reference: ${dir}`,
      `items: ${items.items.length} (category inferred from the shortname family: ${items.inferredCategory}, Misc for want of one: ${items.miscCategory}; stack size unknown, set to 1: ${items.defaultStack})`,
      `corrections applied: ${items.corrected.length} (${items.corrected.join(", ")})`,
      `recipes: ${recipes.book.recipes.length} (left out: ${recipes.skipped})`,
      `raid targets: ${raid.table.targets.length}; explosives: ${raid.table.explosives.map((e) => `${e.name} ${e.sulfur}`).join(", ")}; not craftable, left out: ${raid.skippedExplosives.join(", ") || "none"}`,
      `superseded catalog rows kept for correcting older databases: ${superseded.length}`,
    ].join("\n") + "\n",
  );
}

await main();
