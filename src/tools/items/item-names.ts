// Display names of catalog items by shortname.
import type { PrismaClient } from "../../generated/prisma/client.ts";

export async function itemNames(prisma: PrismaClient, shortnames?: readonly string[]): Promise<Map<string, string>> {
  const rows = await prisma.item.findMany({ ...(shortnames && { where: { shortname: { in: [...shortnames] } } }), select: { shortname: true, name: true } });
  return new Map(rows.map((r) => [r.shortname, r.name]));
}
