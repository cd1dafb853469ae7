// The item catalog (gamedata/items.json) and recipe book against the public reference facts copied into
// test/fixtures/reference/ (sources in each file), and the start-up seed correcting what older seeds wrote.
import { readFile } from "node:fs/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { contentSeed } from "../../src/content/content-seed.ts";
import { itemListSchema, type ItemInput } from "../../src/tools/items/item-schema.ts";
import { loadItemSeed, loadSupersededItems, seedItems } from "../../src/tools/items/seed-items.ts";
import { createTestDatabase, type TestDatabase } from "../helpers/database.ts";

const fixture = async <T>(name: string): Promise<T> => JSON.parse(await readFile(new URL(`../fixtures/reference/${name}`, import.meta.url), "utf8")) as T;

interface Corrections {
  id: { shortname: string; product: number; correct: number }[];
  stackSize: { shortname: string; correct: number }[];
  category: { shortname: string; correct: string }[];
  name: { shortname: string; correct: string }[];
  recipes: { item: string; field: "workbench" | "seconds" | "amount"; correct: number }[];
}

describe("item catalog", async () => {
  const items = await loadItemSeed();
  const byId = new Map(items.map((i) => [i.id, i]));
  const byShortname = new Map(items.map((i) => [i.shortname, i]));
  const reference = (await fixture<{ items: [number, string, string][] }>("items.json")).items;
  const fixes = await fixture<Corrections>("catalog-corrections.json");

  it("holds every reference item with the reference's id, shortname and name (names as corrected)", () => {
    expect(reference.length).toBeGreaterThan(1_100);
    const renamed = new Map(fixes.name.map((n) => [n.shortname, n.correct]));
    const movedIds = new Map(fixes.id.map((f) => [f.shortname, f.correct]));
    const wrong = reference
      .map(([id, shortname, name]) => ({ id: movedIds.get(shortname) ?? id, shortname, name: renamed.get(shortname) ?? name }))
      .filter((r) => {
        const item = byId.get(r.id);
        return item?.shortname !== r.shortname || item.name !== r.name;
      });
    expect(wrong).toEqual([]);
  });

  it("no two items share an id or a shortname; every id is a signed 32-bit integer", () => {
    expect(new Set(items.map((i) => i.id)).size).toBe(items.length);
    expect(new Set(items.map((i) => i.shortname)).size).toBe(items.length);
    expect(items.every((i) => Number.isInteger(i.id) && i.id >= -(2 ** 31) && i.id < 2 ** 31)).toBe(true);
    expect(itemListSchema.safeParse(items).success).toBe(true);
  });

  it("the five wrong ids are fixed, and the ids they took belong to their real owners", () => {
    expect(fixes.id.map((f) => f.shortname).sort()).toEqual(["door.hinged.metal", "fat.animal", "furnace.large", "sheetmetal", "stash.small"]);
    for (const f of fixes.id) expect(byShortname.get(f.shortname)?.id, f.shortname).toBe(f.correct);
    expect(byId.get(-1018587433)?.name).toBe("Animal Fat");
    expect(byId.get(-1899491405)?.name).toBe("Glue");
    expect(byId.get(-1992717673)?.name).toBe("Large Furnace");
    expect(byId.get(1992974553)?.name).toBe("Burlap Trousers");
    expect(byId.get(-1994909036)?.name).toBe("Sheet Metal");
    expect(byId.get(-2067472972)?.name).toBe("Sheet Metal Door");
    expect(byId.get(1390353317)?.name).toBe("Sheet Metal Double Door");
    expect(byId.get(-369760990)?.name).toBe("Small Stash");
    expect(byId.has(1051155022)).toBe(false);
  });

  it("stack sizes, categories and names are as the corrections file says", () => {
    for (const f of fixes.stackSize) expect(byShortname.get(f.shortname)?.stackSize, f.shortname).toBe(f.correct);
    for (const f of fixes.category) expect(byShortname.get(f.shortname)?.category, f.shortname).toBe(f.correct);
    for (const f of fixes.name) expect(byShortname.get(f.shortname)?.name, f.shortname).toBe(f.correct);
    expect(byShortname.get("grenade.beancan")?.stackSize).toBe(4);
    expect(byShortname.get("workbench1")?.name).toBe("Workbench Level 1");
  });

  it("recipes carry the corrected values: gunpowder at workbench 1 in 2 s, pistol ammo makes 4, the small stash takes 15 s", async () => {
    const book = await contentSeed("recipes");
    const recipe = (item: string) => book.recipes.find((r) => r.item === item);
    for (const f of fixes.recipes) expect(recipe(f.item)?.[f.field], `${f.item} ${f.field}`).toBe(f.correct);
    expect(recipe("gunpowder")).toMatchObject({ workbench: 1, seconds: 2, amount: 10 });
    expect(recipe("ammo.pistol")?.amount).toBe(4);
    expect(recipe("stash.small")?.seconds).toBe(15);
    expect(book.recipes.length).toBeGreaterThan(400);
    // Every recipe names catalog items only.
    const unknown = book.recipes.flatMap((r) => [r.item, ...r.ingredients.map((i) => i.item)]).filter((s) => !byShortname.has(s));
    expect(unknown).toEqual([]);
  });
});

describe("seeding a database an older catalog seeded", () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.dispose();
  });

  it("corrects the rows the old seed wrote wrongly, moves conveyor names with them, and keeps rows an admin edited", async () => {
    const superseded = await loadSupersededItems();
    const old = (shortname: string): ItemInput => superseded.find((s) => s.shortname === shortname)!;
    // As the old seed wrote them: animal fat at Glue's id, the hinged metal door at the double door's id,
    // beancans stacking 10; an admin then renamed the large furnace (kept at its old id).
    await db.prisma.item.createMany({ data: [old("fat.animal"), old("door.hinged.metal"), old("grenade.beancan"), old("furnace.large")] });
    await db.prisma.item.update({ where: { id: old("furnace.large").id }, data: { name: "Big Furnace" } });
    await db.prisma.conveyorShortname.create({ data: { shortname: "fat", itemId: old("fat.animal").id } });

    await seedItems(db.prisma);

    const item = (id: number) => db.prisma.item.findUnique({ where: { id } });
    expect(await item(-1018587433)).toMatchObject({ shortname: "fat.animal", name: "Animal Fat" });
    expect(await item(-1899491405)).toMatchObject({ shortname: "glue", name: "Glue" });
    expect(await item(-2067472972)).toMatchObject({ shortname: "door.hinged.metal" });
    expect(await item(1390353317)).toMatchObject({ name: "Sheet Metal Double Door" });
    expect(await item(1840822026)).toMatchObject({ shortname: "grenade.beancan", stackSize: 4 });
    expect((await db.prisma.conveyorShortname.findUniqueOrThrow({ where: { shortname: "fat" } })).itemId).toBe(-1018587433);
    // The edited row stays, and so its shortname keeps the seed's large furnace out.
    expect(await item(1992974553)).toMatchObject({ shortname: "furnace.large", name: "Big Furnace" });
    expect(await item(-1992717673)).toBeNull();
    // Burlap Trousers' id is still held by that row: every other seed item is in.
    expect(await db.prisma.item.count()).toBe((await loadItemSeed()).length - 1);
  });
});
