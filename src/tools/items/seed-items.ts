// The item catalog seed (gamedata/items.json, built by `npm run gamedata`), loaded at start: only ids missing
// from the table are inserted, so items an admin has added or edited are never overwritten. Rows an older seed
// wrote wrongly (gamedata/items-superseded.json) are first corrected to the current seed, but only while they
// are exactly as that seed wrote them: an admin's edit changes some field, and then the row is left alone.
import { readFile } from "node:fs/promises";
import { isDeepStrictEqual } from "node:util";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { itemListSchema, itemSchema, type ItemInput } from "./item-schema.ts";

export const ITEMS_FILE = new URL("../../../gamedata/items.json", import.meta.url);
export const SUPERSEDED_FILE = new URL("../../../gamedata/items-superseded.json", import.meta.url);

export async function loadItemSeed(file: URL = ITEMS_FILE): Promise<ItemInput[]> {
  return itemListSchema.parse(JSON.parse(await readFile(file, "utf8")));
}

/** Superseded rows may repeat an id or shortname (one row per wrong version). */
export async function loadSupersededItems(file: URL = SUPERSEDED_FILE): Promise<ItemInput[]> {
  return itemSchema.array().parse(JSON.parse(await readFile(file, "utf8")));
}

const fields = (row: Omit<ItemInput, "category"> & { category: string }) => ({ id: row.id, shortname: row.shortname, name: row.name, category: row.category, stackSize: row.stackSize });

/**
 * Rewrites each untouched superseded row to the seed's item of the same shortname (moving it to the right id
 * when the id was wrong: conveyor names pointing at it follow). Skipped when the right id is already taken.
 * Returns how many rows were corrected.
 */
export async function correctSupersededItems(prisma: PrismaClient, seed: readonly ItemInput[], superseded: readonly ItemInput[]): Promise<number> {
  const byShortname = new Map(seed.map((i) => [i.shortname, i]));
  // One read finds the rows still as an older seed wrote them, so a start with nothing to correct (the usual
  // case) costs one query, not a transaction per superseded row; each candidate is checked again in its own.
  const stored = await prisma.item.findMany({ where: { id: { in: [...new Set(superseded.map((i) => i.id))] } } });
  const untouched = (old: ItemInput) => stored.some((row) => isDeepStrictEqual(fields(row), old));
  let corrected = 0;
  for (const old of superseded) {
    const now = byShortname.get(old.shortname);
    if (!now || isDeepStrictEqual(now, old) || !untouched(old)) continue;
    const done = await prisma.$transaction(async (tx) => {
      const row = await tx.item.findUnique({ where: { id: old.id } });
      if (!row || !isDeepStrictEqual(fields(row), old)) return false;
      if (now.id !== old.id && (await tx.item.findUnique({ where: { id: now.id } }))) return false;
      await tx.item.update({ where: { id: old.id }, data: now });
      return true;
    });
    if (done) corrected++;
  }
  return corrected;
}

/** Corrects untouched superseded rows, then inserts the seed's items whose id (or shortname) is not in the table yet; returns how many were added. */
export async function seedItems(prisma: PrismaClient, items?: ItemInput[], superseded?: ItemInput[]): Promise<number> {
  const rows = items ?? (await loadItemSeed());
  await correctSupersededItems(prisma, rows, superseded ?? (await loadSupersededItems()));
  const { count } = await prisma.item.createMany({ data: rows, skipDuplicates: true });
  return count;
}
