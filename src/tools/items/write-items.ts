// Admin writes to the item catalog and the conveyor names: validated first, then written with an AdminAudit
// row in one transaction. A shortname taken by another item id is refused rather than moved.
import { z } from "zod";
import type { Item, PrismaClient } from "../../generated/prisma/client.ts";
import type { Actor } from "../../admin/beta-testers.ts";
import { writeAudit } from "../../admin/write-audit.ts";
import { UserError } from "../../errors.ts";
import { itemListSchema, itemSchema, shortnameSchema, type ItemInput } from "./item-schema.ts";

function issues(error: z.ZodError): string {
  return error.issues.slice(0, 8).map((i) => (i.path.length ? `\`${i.path.join(".")}\`: ${i.message}` : i.message)).join("\n");
}

export function parseItem(input: unknown): ItemInput {
  const parsed = itemSchema.safeParse(input);
  if (!parsed.success) throw new UserError(`The item was not saved:\n${issues(parsed.error)}`);
  return parsed.data;
}

export function parseItemList(json: string): ItemInput[] {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new UserError(`That is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  const parsed = itemListSchema.min(1, "The list is empty.").safeParse(raw);
  if (!parsed.success) throw new UserError(`Nothing was imported:\n${issues(parsed.error)}`);
  return parsed.data;
}

/** Adds or edits items (matched by id); returns how many were added and how many edited. */
export function saveItems(prisma: PrismaClient, actor: Actor, items: ItemInput[], action: "item.set" | "item.import"): Promise<{ added: number; edited: number }> {
  return prisma.$transaction(async (tx) => {
    const taken = await tx.item.findMany({ where: { shortname: { in: items.map((i) => i.shortname) } }, select: { id: true, shortname: true } });
    const clash = taken.find((t) => items.some((i) => i.shortname === t.shortname && i.id !== t.id));
    if (clash) throw new UserError(`The shortname \`${clash.shortname}\` already belongs to item ${clash.id}.`);
    const existing = new Set((await tx.item.findMany({ where: { id: { in: items.map((i) => i.id) } }, select: { id: true } })).map((r) => r.id));
    for (const item of items) await tx.item.upsert({ where: { id: item.id }, create: item, update: item });
    const result = { added: items.filter((i) => !existing.has(i.id)).length, edited: items.filter((i) => existing.has(i.id)).length };
    await writeAudit(tx, actor, { action, target: items.length === 1 ? String(items[0]!.id) : `${items.length} items`, payload: { items }, result: `added ${result.added}, edited ${result.edited}` });
    return result;
  });
}

/** Maps a conveyor-filter name to a catalog item (where the conveyor's name differs from the shortname). */
export async function setConveyorShortname(prisma: PrismaClient, actor: Actor, input: { shortname: string; itemId: number }): Promise<Item> {
  const shortname = shortnameSchema.safeParse(input.shortname);
  if (!shortname.success) throw new UserError(issues(shortname.error));
  if (!Number.isInteger(input.itemId) || input.itemId < -(2 ** 31) || input.itemId >= 2 ** 31) throw new UserError("An item id is a 32-bit whole number.");
  return prisma.$transaction(async (tx) => {
    const item = await tx.item.findUnique({ where: { id: input.itemId } });
    if (!item) throw new UserError(`No item has id ${input.itemId}.`);
    await tx.conveyorShortname.upsert({ where: { shortname: shortname.data }, create: { shortname: shortname.data, itemId: item.id }, update: { itemId: item.id } });
    await writeAudit(tx, actor, { action: "conveyor-shortname.set", target: shortname.data, payload: { itemId: item.id }, result: `→ ${item.shortname}` });
    return item;
  });
}

const conveyorMapSchema = z
  .record(shortnameSchema, z.number().int().min(-(2 ** 31)).max(2 ** 31 - 1))
  .refine((m) => Object.keys(m).length >= 1 && Object.keys(m).length <= 500, "List 1 to 500 names.");

/** Many conveyor names at once: {"conveyor name": itemId, …}; every item must exist, or nothing is written. */
export function importConveyorShortnames(prisma: PrismaClient, actor: Actor, json: string): Promise<number> {
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new UserError(`That is not valid JSON: ${(err as Error).message.slice(0, 200)}`);
  }
  const parsed = conveyorMapSchema.safeParse(raw);
  if (!parsed.success) throw new UserError(`Nothing was imported:\n${issues(parsed.error)}`);
  const entries = Object.entries(parsed.data);
  return prisma.$transaction(async (tx) => {
    const found = new Set((await tx.item.findMany({ where: { id: { in: entries.map(([, id]) => id) } }, select: { id: true } })).map((r) => r.id));
    const missing = [...new Set(entries.map(([, id]) => id).filter((id) => !found.has(id)))];
    if (missing.length) throw new UserError(`Nothing was imported: no item has id ${missing.slice(0, 10).join(", ")}.`);
    for (const [shortname, itemId] of entries) await tx.conveyorShortname.upsert({ where: { shortname }, create: { shortname, itemId }, update: { itemId } });
    await writeAudit(tx, actor, { action: "conveyor-shortname.import", target: `${entries.length} names`, payload: parsed.data, result: `saved ${entries.length}` });
    return entries.length;
  });
}
