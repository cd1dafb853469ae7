// Display names of catalog items, by shortname or by the numeric id Rust+ sends.
import type { PrismaClient } from "../../generated/prisma/client.ts";

export async function itemNames(prisma: PrismaClient, shortnames?: readonly string[]): Promise<Map<string, string>> {
  const rows = await prisma.item.findMany({ ...(shortnames && { where: { shortname: { in: [...shortnames] } } }), select: { shortname: true, name: true } });
  return new Map(rows.map((r) => [r.shortname, r.name]));
}

/** Names by Rust+ item id (signed int32, as in sell orders and storage monitor items); ids the catalog lacks are absent. */
export async function itemNamesById(prisma: PrismaClient, ids: Iterable<number>): Promise<Map<number, string>> {
  const wanted = [...new Set(ids)].filter((id) => Number.isInteger(id) && id >= -(2 ** 31) && id < 2 ** 31);
  if (!wanted.length) return new Map();
  const rows = await prisma.item.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true } });
  return new Map(rows.map((r) => [r.id, r.name]));
}
