// Sorter plans saved per user (SavedConveyorFilter), by name: saving again under a name replaces it.
import { z } from "zod";
import type { Prisma, PrismaClient, SavedConveyorFilter } from "../../generated/prisma/client.ts";
import { UserError } from "../../errors.ts";
import type { SorterManifest } from "./plan-sorter.ts";

export const planNameSchema = z.string().trim().min(1, "Give the plan a name.").max(50, "A plan name is at most 50 characters.");

export function saveSorterPlan(prisma: PrismaClient, userId: string, name: string, manifest: SorterManifest): Promise<SavedConveyorFilter> {
  const value = manifest as unknown as Prisma.InputJsonValue;
  return prisma.savedConveyorFilter.upsert({ where: { userId_name: { userId, name } }, create: { userId, name, manifest: value }, update: { manifest: value } });
}

export async function findSorterPlan(prisma: PrismaClient, userId: string, name: string): Promise<{ name: string; manifest: SorterManifest }> {
  const row = await prisma.savedConveyorFilter.findUnique({ where: { userId_name: { userId, name: name.trim() } } });
  if (!row) throw new UserError("You have no saved sorter plan by that name.");
  return { name: row.name, manifest: row.manifest as unknown as SorterManifest };
}

export function listSorterPlans(prisma: PrismaClient, userId: string): Promise<{ name: string }[]> {
  return prisma.savedConveyorFilter.findMany({ where: { userId }, select: { name: true }, orderBy: { updatedAt: "desc" }, take: 25 });
}
