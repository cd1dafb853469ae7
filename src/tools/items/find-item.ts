// Item lookups: by numeric id (as Rust+ sends it), by shortname, and by a fuzzy name for autocomplete and
// for what users type.
import type { Item, PrismaClient } from "../../generated/prisma/client.ts";
import { headOf } from "../../bot/fit-text.ts";
import { UserError } from "../../errors.ts";

export function findItemById(prisma: PrismaClient, id: number): Promise<Item | null> {
  if (!Number.isInteger(id) || id < -(2 ** 31) || id >= 2 ** 31) return Promise.resolve(null);
  return prisma.item.findUnique({ where: { id } });
}

export function findItemByShortname(prisma: PrismaClient, shortname: string): Promise<Item | null> {
  return prisma.item.findUnique({ where: { shortname: shortname.trim().toLowerCase() } });
}

/** A user's text shown back inside backticks: short, and with no backticks of its own. */
export const shown = (s: string) => headOf(s.replace(/[`\n]/g, "'"), 50);

const normalise = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, " ").trim();

/** Lower is better; undefined when the query does not match at all. */
export function matchScore(query: string, item: Pick<Item, "shortname" | "name">): number | undefined {
  const q = normalise(query);
  if (!q) return 0;
  const name = normalise(item.name);
  const short = normalise(item.shortname);
  if (name === q || short === q) return 0;
  if (name.startsWith(q) || short.startsWith(q)) return 1;
  if (name.split(" ").some((w) => w.startsWith(q)) || short.split(" ").some((w) => w.startsWith(q))) return 2;
  if (name.includes(q) || short.includes(q)) return 3;
  // Every query word is the start of some word ("hv rock" → "High Velocity Rocket").
  const words = `${name} ${short}`.split(" ");
  if (q.split(" ").every((part) => words.some((w) => w.startsWith(part)))) return 4;
  return undefined;
}

/** The best matches for a free-text query, best first. */
export function rankItems<T extends Pick<Item, "shortname" | "name">>(items: readonly T[], query: string, limit = 25): T[] {
  return items
    .map((item) => ({ item, score: matchScore(query, item) }))
    .filter((m): m is { item: T; score: number } => m.score !== undefined)
    .sort((a, b) => a.score - b.score || a.item.name.length - b.item.name.length || a.item.name.localeCompare(b.item.name))
    .slice(0, limit)
    .map((m) => m.item);
}

export async function searchItems(prisma: PrismaClient, query: string, limit = 25): Promise<Item[]> {
  const items = await prisma.item.findMany({ orderBy: { name: "asc" } });
  return rankItems(items, query.slice(0, 100), limit);
}

/** What a user typed (an id, a shortname, a name or part of one) → one item, or a UserError with suggestions. */
export async function resolveItem(prisma: PrismaClient, text: string): Promise<Item> {
  const query = text.trim();
  if (!query) throw new UserError("Name an item.");
  if (/^-?\d{1,11}$/.test(query)) {
    const byId = await findItemById(prisma, Number(query));
    if (byId) return byId;
  }
  const byShortname = await findItemByShortname(prisma, query);
  if (byShortname) return byShortname;
  // Nothing to match by (an emoji, punctuation): every item would score as a match and the first would be taken.
  if (!normalise(query)) throw new UserError(`No item matches \`${shown(query)}\`.`);
  const matches = await searchItems(prisma, query, 5);
  const [best, second] = matches;
  if (best && (matchScore(query, best) === 0 || !second || matchScore(query, best)! < matchScore(query, second)!)) return best;
  if (!best) throw new UserError(`No item matches \`${shown(query)}\`.`);
  throw new UserError(`\`${shown(query)}\` could mean: ${matches.map((m) => `${m.name} (\`${m.shortname}\`)`).join(", ")}. Pick one.`);
}
