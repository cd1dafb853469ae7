// What a user listed for a sorter (one per line or comma-separated: item names, shortnames, ids, conveyor
// names, or categories such as "Ammunition" or "category 8") → conveyor targets. Anything unknown or
// ambiguous is reported all at once, and nothing is planned.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { UserError } from "../../errors.ts";
import { resolveItem, shown } from "../items/find-item.ts";
import { CATEGORY_NUMBER, ITEM_CATEGORIES } from "../items/item-schema.ts";
import type { Target } from "./filter-entry.ts";
import { MAX_TARGETS } from "./plan-sorter.ts";

export function splitList(text: string): string[] {
  const seen = new Set<string>();
  return text
    .split(/[\n,;]+/)
    .map((s) => s.trim())
    .filter((s) => s && !seen.has(s.toLowerCase()) && seen.add(s.toLowerCase()));
}

function category(token: string): Target | undefined {
  const t = token.toLowerCase().replace(/^category[:\s]*/, "");
  const byName = ITEM_CATEGORIES.find((c) => c.toLowerCase() === t);
  const byNumber = /^\d{1,2}$/.test(t) && token.toLowerCase().startsWith("category") ? ITEM_CATEGORIES.find((c) => CATEGORY_NUMBER[c] === Number(t)) : undefined;
  const found = byName ?? byNumber;
  return found && { kind: "category", category: CATEGORY_NUMBER[found], name: `${found} (category)` };
}

export async function resolveTargets(prisma: PrismaClient, text: string): Promise<Target[]> {
  const tokens = splitList(text);
  if (tokens.length === 0) throw new UserError("List at least one item or category.");
  if (tokens.length > MAX_TARGETS) throw new UserError(`At most ${MAX_TARGETS} items and categories in one plan.`);
  const targets: Target[] = [];
  const problems: string[] = [];
  for (const token of tokens) {
    const cat = category(token);
    if (cat) {
      targets.push(cat);
      continue;
    }
    try {
      const alias = await prisma.conveyorShortname.findUnique({ where: { shortname: token.toLowerCase() }, include: { item: true } });
      const item = alias?.item ?? (await resolveItem(prisma, token));
      const names = alias ? [alias.shortname] : (await prisma.conveyorShortname.findMany({ where: { itemId: item.id }, take: 1 })).map((a) => a.shortname);
      targets.push({ kind: "item", shortname: names[0] ?? item.shortname, name: item.name, stackSize: item.stackSize });
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      problems.push(`\`${shown(token)}\`: ${err.message.replace(/^`[^`]*` /, "")}`);
    }
  }
  if (problems.length) throw new UserError(`Nothing was planned. Fix these and try again:\n${problems.slice(0, 10).join("\n")}`.slice(0, 1900));
  const unique = new Map(targets.map((t) => [t.kind === "item" ? `i:${t.shortname}` : `c:${t.category}`, t]));
  return [...unique.values()];
}
