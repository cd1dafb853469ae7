// Reads a ContentStore value through its schema. A key never written yet reads as its seed file; a stored
// value that no longer fits the schema (edited by hand in the database) is reported and the seed is used.
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { contentSeed } from "./content-seed.ts";
import { CONTENT_SCHEMAS, type ContentKey, type ContentValue } from "./schemas.ts";

export interface ContentEntry<K extends ContentKey> {
  value: ContentValue<K>;
  /** 0 for the seed file (not stored yet). */
  version: number;
}

export async function readContentEntry<K extends ContentKey>(prisma: PrismaClient, key: K, logger?: Logger): Promise<ContentEntry<K>> {
  const row = await prisma.contentStore.findUnique({ where: { key } });
  if (row) {
    const parsed = CONTENT_SCHEMAS[key].safeParse(row.value);
    if (parsed.success) return { value: parsed.data as ContentValue<K>, version: row.version };
    logger?.error({ key, version: row.version, issues: parsed.error.issues.slice(0, 5) }, "stored content fails its schema; using the seed");
  }
  return { value: await contentSeed(key), version: 0 };
}

export async function readContent<K extends ContentKey>(prisma: PrismaClient, key: K, logger?: Logger): Promise<ContentValue<K>> {
  return (await readContentEntry(prisma, key, logger)).value;
}
