// Reads the public reference data (see its README.md) into plain typed values. Every file is validated; the
// sources differ in small ways (the conveyor list spells its id `itemId` or `itemid`, stack sizes are strings
// such as "1000" or "50 ft"), and anything missing, unreadable, empty or wrong-shaped stops the build with a
// RefusedError naming the file, before anything is written.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { z } from "zod";
import { RefusedError, describeIssues } from "./refused.ts";

const int32 = z.coerce.number().int().min(-(2 ** 31)).max(2 ** 31 - 1);

/** A record keyed by item id that must hold at least one entry (`{}` is a broken download, not "no items"). */
const nonEmptyRecord = <V extends z.ZodType>(value: V) =>
  z.record(z.string(), value).refine((r) => Object.keys(r).length > 0, { message: "is empty (no entries)" });

const rppItems = nonEmptyRecord(z.object({ shortname: z.string().trim().min(1), name: z.string().trim().min(1) }));
const rppStacks = nonEmptyRecord(z.object({ quantity: z.union([z.string(), z.number()]) }));
const conveyorItems = z.array(
  z
    .object({ itemId: int32.optional(), itemid: int32.optional(), shortname: z.string().trim().min(1), name: z.string().trim().min(1), category: z.string().trim().min(1) })
    .transform((c, ctx) => {
      const id = c.itemId ?? c.itemid;
      if (id === undefined) ctx.addIssue({ code: "custom", message: `${c.shortname} has no item id` });
      return { id: id ?? 0, shortname: c.shortname, name: c.name, category: c.category };
    }),
).min(1, { message: "is empty (no items)" });
const craftData = nonEmptyRecord(
  z.object({
    ingredients: z.array(z.object({ id: int32, quantity: z.coerce.number().positive() })),
    workbench: int32.nullable(),
    time: z.coerce.number().min(0),
  }),
);
const raidCounts = z.object({
  _source: z.string(),
  targets: z.array(
    z.object({ key: z.string(), grade: z.string().optional(), item: z.string().optional(), health: z.number().int().positive(), counts: z.record(z.string(), z.number().int().positive()) }),
  ).min(1, { message: "is empty (no targets)" }),
});
const correctionBase = { shortname: z.string(), sources: z.string().optional() };
const corrections = z.object({
  id: z.array(z.object({ ...correctionBase, product: int32.optional(), correct: int32 })).default([]),
  stackSize: z.array(z.object({ ...correctionBase, correct: z.number().int().positive() })).default([]),
  category: z.array(z.object({ ...correctionBase, correct: z.string() })).default([]),
  name: z.array(z.object({ ...correctionBase, correct: z.string().trim().min(1) })).default([]),
  recipes: z.array(z.object({ item: z.string(), field: z.enum(["workbench", "seconds", "amount"]), correct: z.number().min(0), sources: z.string().optional() })).default([]),
});

export type Corrections = z.infer<typeof corrections>;

export interface Reference {
  /** Item id as Rust+ sends it → shortname and name (rustplusplus items.json). */
  items: Map<number, { shortname: string; name: string }>;
  /** Item id → stack size where the file gives a number. */
  stacks: Map<number, number>;
  /** The game's category per item (rust-conveyor-filters). */
  conveyor: { id: number; shortname: string; name: string; category: string }[];
  /** Item id → recipe (ingredients by id; workbench as the workbench item's id, null for none; seconds). */
  craft: Map<number, { ingredients: { id: number; quantity: number }[]; workbench: number | null; time: number }>;
  raid: z.infer<typeof raidCounts>;
  corrections: Corrections;
}

/** Reads and validates one reference file; throws RefusedError (naming the file) when it is missing or bad. */
async function load<T>(dir: string, file: string, schema: z.ZodType<T>): Promise<T> {
  let text: string;
  try {
    text = await readFile(path.join(dir, file), "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new RefusedError(`${file}: ${code === "ENOENT" ? "missing" : `unreadable (${code ?? String(err)})`} in ${dir}`);
  }
  if (text.trim() === "") throw new RefusedError(`${file}: empty file`);
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new RefusedError(`${file}: not valid JSON (${(err as Error).message}); truncated download?`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new RefusedError(`${file}: ${describeIssues(parsed.error)}`);
  return parsed.data;
}

const byId = <V>(record: Record<string, V>, file: string): Map<number, V> =>
  new Map(
    Object.entries(record).map(([key, value]) => {
      const id = int32.safeParse(key);
      if (!id.success) throw new RefusedError(`${file}: key ${key} is not a 32-bit item id`);
      return [id.data, value];
    }),
  );

/** "1000" → 1000, "50 ft" → 50; undefined when there is no leading whole number. */
export function parseStack(quantity: string | number): number | undefined {
  const n = typeof quantity === "number" ? quantity : Number(/^\s*(\d+)/.exec(quantity)?.[1]);
  return Number.isSafeInteger(n) && n >= 1 ? n : undefined;
}

export async function readReference(dir: string): Promise<Reference> {
  const stacks = new Map<number, number>();
  for (const [id, s] of byId(await load(dir, "rpp-rustlabsStackData.json", rppStacks), "rpp-rustlabsStackData.json")) {
    const n = parseStack(s.quantity);
    if (n !== undefined) stacks.set(id, n);
  }
  return {
    items: byId(await load(dir, "rpp-items.json", rppItems), "rpp-items.json"),
    stacks,
    conveyor: await load(dir, "conveyor-filters-items.json", conveyorItems),
    craft: byId(await load(dir, "rpp-rustlabsCraftData.json", craftData), "rpp-rustlabsCraftData.json"),
    raid: await load(dir, "raid-counts.json", raidCounts),
    corrections: await load(dir, "catalog-corrections.json", corrections),
  };
}
