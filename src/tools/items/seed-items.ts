// The item catalog seed (gamedata/items.json), loaded at start: only ids missing from the table are inserted,
// so items an admin has added or edited are never overwritten.
import { readFile } from "node:fs/promises";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { itemListSchema, type ItemInput } from "./item-schema.ts";

export const ITEMS_FILE = new URL("../../../gamedata/items.json", import.meta.url);

export async function loadItemSeed(file: URL = ITEMS_FILE): Promise<ItemInput[]> {
  return itemListSchema.parse(JSON.parse(await readFile(file, "utf8")));
}

/** Inserts the seed's items whose id (or shortname) is not in the table yet; returns how many were added. */
export async function seedItems(prisma: PrismaClient, items?: ItemInput[]): Promise<number> {
  const rows = items ?? (await loadItemSeed());
  const { count } = await prisma.item.createMany({ data: rows, skipDuplicates: true });
  return count;
}
