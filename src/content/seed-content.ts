// At start: every ContentStore key missing from the table gets its seed file (version 1). Keys already
// stored, edited by admins or not, are left alone.
import type { Prisma, PrismaClient } from "../generated/prisma/client.ts";
import { contentSeed } from "./content-seed.ts";
import { CONTENT_KEYS } from "./schemas.ts";

export async function seedContent(prisma: PrismaClient): Promise<number> {
  const data = await Promise.all(CONTENT_KEYS.map(async (key) => ({ key, value: (await contentSeed(key)) as Prisma.InputJsonValue, updatedBy: "seed" })));
  const { count } = await prisma.contentStore.createMany({ data, skipDuplicates: true });
  return count;
}
