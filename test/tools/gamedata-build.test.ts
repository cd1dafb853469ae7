// `npm run gamedata` (scripts/build-gamedata.ts) run as a child process against a reference directory built in a
// temp dir, writing into a temp copy of gamedata/ (--out). CI has no /work/shared, so the reference files are
// synthesised from the committed catalog and recipe book in the shapes the real sources have (rpp-items.json:
// {id: {shortname, name}}; rustlabs stack data: {id: {quantity: "64"}}; rust-conveyor-filters: [{itemId,
// shortname, name, category}]; rustlabs craft data: {id: {ingredients: [{id, quantity}], workbench, time}}),
// plus the raid counts and corrections copied in test/fixtures/reference/.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, runToEnd, spawnTs, type Finished } from "../helpers/spawn.ts";

interface Item {
  id: number;
  shortname: string;
  name: string;
  category: string;
  stackSize: number;
}
interface Recipe {
  item: string;
  workbench: number;
  seconds: number;
  ingredients: { item: string; amount: number }[];
}

const FILES = ["items.json", "items-superseded.json", "content/recipes.json", "content/raid-table.json"];
const json = (v: unknown) => JSON.stringify(v, null, 2);

// Read at load time: the it.each table below is built from it.
const items = JSON.parse(await readFile(path.join(ROOT, "gamedata/items.json"), "utf8")) as Item[];
const recipes = (JSON.parse(await readFile(path.join(ROOT, "gamedata/content/recipes.json"), "utf8")) as { recipes: Recipe[] }).recipes;
const correctionsText = await readFile(path.join(ROOT, "test/fixtures/reference/catalog-corrections.json"), "utf8");
/** Shortnames a recipe, workbench or correction names. */
const used = new Set([
  ...recipes.flatMap((r) => [r.item, ...r.ingredients.map((g) => g.item)]),
  "workbench1",
  "workbench2",
  "workbench3",
  ...[...correctionsText.matchAll(/"(?:shortname|item)":\s*"([^"]+)"/g)].map((m) => m[1] ?? ""),
]);
let tmp: string;
let reference: Record<string, string>;
let committed: Map<string, string>;

beforeAll(async () => {
  tmp = await mkdtemp(path.join(tmpdir(), "gamedata-build-"));
  const idOf = new Map(items.map((i) => [i.shortname, i.id]));
  const id = (shortname: string) => String(idOf.get(shortname));
  const fixture = (name: string) => readFile(path.join(ROOT, "test/fixtures/reference", name), "utf8");
  reference = {
    "rpp-items.json": json(Object.fromEntries(items.map((i) => [i.id, { shortname: i.shortname, name: i.name }]))),
    "rpp-rustlabsStackData.json": json(Object.fromEntries(items.map((i) => [i.id, { quantity: String(i.stackSize) }]))),
    "conveyor-filters-items.json": json(items.map((i, n) => ({ id: n + 1, itemId: i.id, shortname: i.shortname, name: i.name, category: i.category }))),
    "rpp-rustlabsCraftData.json": json(
      Object.fromEntries(
        recipes.map((r) => [
          id(r.item),
          { ingredients: r.ingredients.map((g) => ({ id: id(g.item), quantity: g.amount })), workbench: r.workbench ? id(`workbench${r.workbench}`) : null, time: r.seconds },
        ]),
      ),
    ),
    "raid-counts.json": await fixture("raid-counts.json"),
    "catalog-corrections.json": correctionsText,
  };
  committed = new Map(await Promise.all(FILES.map(async (f) => [f, await readFile(path.join(ROOT, "gamedata", f), "utf8")] as const)));
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

let case_ = 0;
/** A fresh reference dir (with `change` applied: file → new text, or null to delete) and a fresh gamedata copy. */
async function setup(change: Record<string, string | null> = {}): Promise<{ ref: string; out: string }> {
  const base = path.join(tmp, String(case_++));
  const ref = path.join(base, "reference");
  const out = path.join(base, "gamedata");
  await mkdir(base);
  await cp(path.join(ROOT, "gamedata"), out, { recursive: true });
  const files = { ...reference, ...change };
  await mkdir(ref);
  for (const [name, text] of Object.entries(files)) if (text === null) await rm(path.join(ref, name), { force: true }); else await writeFile(path.join(ref, name), text);
  return { ref, out };
}

const run = (args: string[], cwd?: string): Promise<Finished> => runToEnd(spawnTs("scripts/build-gamedata.ts", args, cwd === undefined ? {} : { cwd }));

async function expectUntouched(out: string): Promise<void> {
  for (const f of FILES) expect(await readFile(path.join(out, f), "utf8"), f).toBe(committed.get(f));
}

/** Refused: exit 1, nothing on stdout, exactly one line on stderr matching `line`, the output dir unchanged. */
async function expectRefused(result: Finished, out: string, line: RegExp): Promise<void> {
  expect(result.stdout).toBe("");
  expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
  expect(result.stderr).toMatch(line);
  expect(result.stderr).not.toMatch(/\bat .+:\d+:\d+/); // no stack
  expect(result.code).toBe(1);
  await expectUntouched(out);
}

describe("npm run gamedata", () => {
  it("rebuilds the committed game data from a complete reference", async () => {
    const { ref, out } = await setup();
    const result = await run([ref, "--out", out]);
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^items: 113\d /m);
    await expectUntouched(out);
  });

  // `keep` items only, in both lists that name items (the build takes the union of the two); the items dropped
  // are ones no recipe or correction names, so that only the catalog check can object.
  const partial = (keep: number) => {
    const kept = [...items.filter((i) => used.has(i.shortname)), ...items.filter((i) => !used.has(i.shortname))].slice(0, keep);
    return {
      "rpp-items.json": json(Object.fromEntries(kept.map((i) => [i.id, { shortname: i.shortname, name: i.name }]))),
      "conveyor-filters-items.json": json(kept.map((i) => ({ itemId: i.id, shortname: i.shortname, name: i.name, category: i.category }))),
    };
  };
  it.each([
    ["an empty item list", { "rpp-items.json": "{}" }, /rpp-items\.json: .*empty/],
    ["a zero-byte item list", { "rpp-items.json": "" }, /rpp-items\.json: empty file/],
    ["a truncated item list", { "rpp-items.json": '{"3222790": {"shortname": "attire.hi' }, /rpp-items\.json: not valid JSON/],
    ["a wrong-shaped item list", { "rpp-items.json": "[1, 2]" }, /rpp-items\.json: /],
    ["an item list of 900 items", partial(900), /rpp-items\.json: only \d+ items/],
    ["an empty stack list", { "rpp-rustlabsStackData.json": "{}" }, /rpp-rustlabsStackData\.json: .*empty/],
    ["a stack list for a few items", { "rpp-rustlabsStackData.json": json({ [String(items[0]?.id)]: { quantity: "10" } }) }, /rpp-rustlabsStackData\.json: stack size known for only 1 of/],
    ["an empty conveyor list", { "conveyor-filters-items.json": "[]" }, /conveyor-filters-items\.json: .*empty/],
    ["a conveyor list for a few items", { "conveyor-filters-items.json": json([{ itemId: items[0]?.id, shortname: items[0]?.shortname, name: "x", category: "Misc" }]) }, /conveyor-filters-items\.json: category known for only/],
    ["a missing craft list", { "rpp-rustlabsCraftData.json": null }, /rpp-rustlabsCraftData\.json: missing/],
  ])("refuses %s with one line and writes nothing", async (_, change, line) => {
    const { ref, out } = await setup(change);
    await expectRefused(await run([ref, "--out", out]), out, line);
  });

  it("refuses to drop more than a few % of the current ids unless --allow-shrink", async () => {
    const { ref, out } = await setup(partial(items.length - 60));
    await expectRefused(await run([ref, "--out", out]), out, /drops 60 of the \d+ ids in gamedata\/items\.json \(e\.g\. .*--allow-shrink/);
    const allowed = await run([ref, "--out", out, "--allow-shrink"]);
    expect(allowed.code).toBe(0);
    expect(JSON.parse(await readFile(path.join(out, "items.json"), "utf8"))).toHaveLength(items.length - 60);
  });

  it("refuses a missing reference dir, and resolves the default one from the repository, not the working directory", async () => {
    const { out } = await setup();
    await expectRefused(await run([path.join(tmp, "nowhere"), "--out", out]), out, /nowhere: no such reference directory/);
    // From another working directory with no argument: the default is <repo>/../shared/data/reference.
    const result = await run(["--out", out], tmp);
    expect(result.stdout + result.stderr).toContain(path.resolve(ROOT, "../shared/data/reference"));
  });

  it("rejects bad arguments with one line and exit code 2", async () => {
    const result = await run(["--bogus"]);
    expect(result.code).toBe(2);
    expect(result.stderr.trimEnd().split("\n")).toHaveLength(1);
    expect(result.stderr).toMatch(/--bogus.*usage: npm run gamedata/);
  });
});
