// The seed of each ContentStore key: a JSON file under gamedata/content/ (data/ is the embedded database), validated by the key's schema.
import { readFile } from "node:fs/promises";
import { CONTENT_SCHEMAS, type ContentKey, type ContentValue } from "./schemas.ts";

const DIR = new URL("../../gamedata/content/", import.meta.url);
const cache = new Map<ContentKey, unknown>();

export async function contentSeed<K extends ContentKey>(key: K): Promise<ContentValue<K>> {
  if (!cache.has(key)) {
    const raw: unknown = JSON.parse(await readFile(new URL(`${key}.json`, DIR), "utf8"));
    cache.set(key, CONTENT_SCHEMAS[key].parse(raw));
  }
  return structuredClone(cache.get(key)) as ContentValue<K>;
}
