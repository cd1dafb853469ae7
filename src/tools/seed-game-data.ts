// At start: the item catalog and the ContentStore get whatever their seed files have that the database
// lacks. Rows already there (admin edits included) are never overwritten.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { seedContent } from "../content/seed-content.ts";
import type { Logger } from "../logger.ts";
import { seedItems } from "./items/seed-items.ts";

export async function seedGameData(prisma: PrismaClient, logger: Logger): Promise<void> {
  const items = await seedItems(prisma);
  const content = await seedContent(prisma);
  logger.info({ items, content }, "game data seeded");
}
