// At start: every ContentStore key missing from the table gets its seed file (version 1). A key still as the
// seed wrote it (updatedBy "seed": no admin has set it) follows a newer seed file (version bumped), so a game
// data refresh reaches existing databases; keys an admin has set are left alone.
import { isDeepStrictEqual } from "node:util";
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { contentSeed } from "./content-seed.ts";
import { CONTENT_KEYS } from "./schemas.ts";

const SEED = "seed";

/** Returns how many keys were inserted or brought up to their seed file. */
export async function seedContent(prisma: PrismaClient): Promise<number> {
  const data = await Promise.all(CONTENT_KEYS.map(async (key) => ({ key, value: (await contentSeed(key)) as Prisma.InputJsonValue, updatedBy: SEED })));
  const { count } = await prisma.contentStore.createMany({ data, skipDuplicates: true });
  let refreshed = 0;
  for (const seed of data) {
    // Compared and written only where the row is still the seed's, so an admin's write in between wins.
    const { count: n } = await prisma.$transaction(async (tx) => {
      const row = await tx.contentStore.findUnique({ where: { key: seed.key } });
      if (!row || row.updatedBy !== SEED || isDeepStrictEqual(row.value, seed.value)) return { count: 0 };
      return tx.contentStore.updateMany({ where: { key: seed.key, updatedBy: SEED, version: row.version }, data: { value: seed.value, version: { increment: 1 } } });
    });
    refreshed += n;
  }
  return count + refreshed;
}
