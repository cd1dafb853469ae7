// npm run gamedata -- [reference dir] [--out <dir>] [--allow-shrink]: rebuilds the product's own game data from
// the public reference data (default ../shared/data/reference, relative to the repository root; its README
// names the sources): gamedata/items.json (the item catalog), gamedata/content/recipes.json and
// gamedata/content/raid-table.json. Catalog rows that this build changes or drops are added to
// gamedata/items-superseded.json, so that a database seeded from an older catalog gets them corrected at start
// unless an admin has edited them (src/tools/items/seed-items.ts). `--out` writes (and reads the current
// catalog from) another directory laid out like gamedata/, for tests.
//
// Every reference file is validated and the catalog checked against sanity bounds (scripts/gamedata/sanity.ts)
// before anything is written; then all files are written to temporary names and renamed into place. Any
// failure prints one line naming the file and exits 1 (2 for bad arguments), leaving gamedata/ as it was.
// Run after a game update, review the diff, run the tests, commit.
import { readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { isDeepStrictEqual, parseArgs } from "node:util";
import { ZodError } from "zod";
import { itemSchema, type ItemInput } from "../src/tools/items/item-schema.ts";
import { buildItems } from "./gamedata/build-items.ts";
import { buildRaidTable } from "./gamedata/build-raid-table.ts";
import { buildRecipes } from "./gamedata/build-recipes.ts";
import { readReference } from "./gamedata/read-reference.ts";
import { describeIssues, RefusedError } from "./gamedata/refused.ts";
import { checkCatalog } from "./gamedata/sanity.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const USAGE = "npm run gamedata -- [reference dir] [--out <gamedata dir>] [--allow-shrink]";

/** One row per line: readable diffs when the game changes. */
const rows = (list: readonly unknown[]) => `[\n${list.map((r) => `  ${JSON.stringify(r)}`).join(",\n")}\n]`;

/** The catalog rows in `file` ([] when it does not exist yet); RefusedError when it exists but is not a catalog. */
async function readItems(file: string): Promise<ItemInput[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw new RefusedError(`${file}: unreadable (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    return itemSchema.array().parse(JSON.parse(text));
  } catch (err) {
    throw new RefusedError(`${file}: not a valid catalog (${err instanceof ZodError ? describeIssues(err) : (err as Error).message})`);
  }
}

function parseArguments(argv: string[]): { dir: string; out: string; allowShrink: boolean } {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { out: { type: "string" }, "allow-shrink": { type: "boolean", default: false } },
  });
  if (positionals.length > 1) throw new TypeError(`expected at most one reference dir, got ${positionals.length}`);
  return {
    dir: path.resolve(positionals[0] ?? path.join(ROOT, "../shared/data/reference")),
    out: path.resolve(values.out ?? path.join(ROOT, "gamedata")),
    allowShrink: values["allow-shrink"],
  };
}

/** Builds every file in memory; throws RefusedError before anything is written when a check fails. */
async function build(dir: string, out: string, allowShrink: boolean): Promise<{ files: Map<string, string>; report: string }> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new RefusedError(`${dir}: no such reference directory (give its path as the argument)`);
  const ref = await readReference(dir);
  const items = buildItems(ref);
  const previous = await readItems(path.join(out, "items.json"));
  checkCatalog(items, previous, allowShrink);
  const recipes = await buildRecipes(ref, items.items);
  const raid = buildRaidTable(ref, items.items, recipes.book);

  const superseded = await readItems(path.join(out, "items-superseded.json"));
  const now = new Map(items.items.map((i) => [i.id, i]));
  for (const old of previous) {
    const same = isDeepStrictEqual(now.get(old.id), old);
    if (!same && !superseded.some((s) => isDeepStrictEqual(s, old))) superseded.push(old);
  }

  const { explosives, targets, ...head } = raid.table;
  const files = new Map([
    ["items.json", `${rows(items.items)}\n`],
    ["items-superseded.json", `${rows(superseded)}\n`],
    ["content/recipes.json", `{\n"raw": ${JSON.stringify(recipes.book.raw)},\n"recipes": ${rows(recipes.book.recipes)}\n}\n`],
    ["content/raid-table.json", `{\n"source": ${JSON.stringify(head.source)},\n"explosives": ${rows(explosives)},\n"targets": ${rows(targets)}\n}\n`],
  ]);
  const report = [
    `reference: ${dir}`,
    `items: ${items.items.length} (category inferred from the shortname family: ${items.inferredCategory}, Misc for want of one: ${items.miscCategory}; stack size unknown, set to 1: ${items.defaultStack})`,
    `corrections applied: ${items.corrected.length} (${items.corrected.join(", ")})`,
    `recipes: ${recipes.book.recipes.length} (left out: ${recipes.skipped})`,
    `raid targets: ${raid.table.targets.length}; explosives: ${raid.table.explosives.map((e) => `${e.name} ${e.sulfur}`).join(", ")}; not craftable, left out: ${raid.skippedExplosives.join(", ") || "none"}`,
    `superseded catalog rows kept for correcting older databases: ${superseded.length}`,
    `written to: ${out}`,
  ].join("\n");
  return { files, report };
}

/** Writes every file to a temporary name first, then renames them all into place (no half-written file). */
async function writeAll(out: string, files: ReadonlyMap<string, string>): Promise<void> {
  const temp = [...files].map(([name, text]) => ({ target: path.join(out, name), tmp: path.join(out, `${name}.${process.pid}.tmp`), text }));
  try {
    for (const f of temp) await writeFile(f.tmp, f.text);
  } catch (err) {
    await Promise.all(temp.map((f) => rm(f.tmp, { force: true })));
    throw new RefusedError(`${out}: cannot write (${(err as NodeJS.ErrnoException).code ?? String(err)}); nothing changed`);
  }
  for (const f of temp) await rename(f.tmp, f.target);
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArguments>;
  try {
    args = parseArguments(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`gamedata: ${(err as Error).message.replace(/\s*\n\s*/g, " ")} (usage: ${USAGE})\n`);
    return 2;
  }
  try {
    const { files, report } = await build(args.dir, args.out, args.allowShrink);
    await writeAll(args.out, files);
    process.stdout.write(`${report}\n`);
    return 0;
  } catch (err) {
    const why = err instanceof RefusedError ? err.message : err instanceof ZodError ? `invalid game data: ${describeIssues(err)}` : `unexpected error: ${String(err)}`;
    process.stderr.write(`gamedata: refused, nothing written: ${why.replace(/\s*\n\s*/g, " ")}\n`);
    return 1;
  }
}

process.exitCode = await main();
