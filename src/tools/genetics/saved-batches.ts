// SavedGeneBatch rows: a pool of clones, the weights and options it was solved with, and its results.
import type { Prisma, PrismaClient, SavedGeneBatch } from "../../generated/prisma/client.ts";
import { UserError } from "../../errors.ts";
import type { GeneticsResult } from "./types.ts";

export interface BatchInput {
  name: string;
  clones: string[];
  weights: Record<string, number>;
  options: { maxSources: number; repeats: boolean; centre: boolean };
  results: GeneticsResult[];
}

/** What the results column holds. */
export interface StoredResults {
  options: BatchInput["options"];
  results: GeneticsResult[];
}

const KEEP = 50;

export async function saveGeneBatch(prisma: PrismaClient, userId: string, input: BatchInput): Promise<SavedGeneBatch> {
  const results: StoredResults = { options: input.options, results: input.results };
  const row = await prisma.savedGeneBatch.create({
    data: { userId, name: input.name.slice(0, 100), clones: input.clones, weights: input.weights, results: results as unknown as Prisma.InputJsonValue },
  });
  // Only the newest rows are kept per user.
  const old = await prisma.savedGeneBatch.findMany({ where: { userId }, orderBy: { createdAt: "desc" }, skip: KEEP, select: { id: true } });
  if (old.length) await prisma.savedGeneBatch.deleteMany({ where: { id: { in: old.map((r) => r.id) } } });
  return row;
}

export function listGeneBatches(prisma: PrismaClient, userId: string, search = "", take = 10): Promise<SavedGeneBatch[]> {
  return prisma.savedGeneBatch.findMany({
    where: { userId, ...(search && { name: { contains: search, mode: "insensitive" } }) },
    orderBy: { createdAt: "desc" },
    take,
  });
}

export async function getGeneBatch(prisma: PrismaClient, userId: string, id: string): Promise<SavedGeneBatch> {
  const row = await prisma.savedGeneBatch.findFirst({ where: { id, userId } });
  if (!row) throw new UserError("No saved batch of yours by that name: pick one from the list (`/genes saved`).");
  return row;
}
