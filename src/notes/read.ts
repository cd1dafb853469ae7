// Reading a server's notes: for /note list, its autocomplete, and the map renderer. Expired notes are never
// shown, whether or not the sweeper has deleted them yet, so a note ends at its expiry exactly.
import type { MapNote, MapNoteCategory, Prisma, PrismaClient } from "../generated/prisma/client.ts";

export type MapNoteForMap = Pick<MapNote, "id" | "category" | "x" | "y" | "label" | "emoji" | "color" | "createdAt" | "expiresAt">;

const unexpired = (now: Date): Prisma.MapNoteWhereInput => ({ OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] });

/**
 * The server's unexpired notes (every category; DEATH ones with their time in createdAt), oldest first, at most
 * `take` (default 500). x, y are world metres (x east, y north); color is "#rrggbb" or null; emoji is one emoji
 * or a Discord custom emoji `<:name:id>` (CUSTOM notes), or null.
 */
export function notesForMap(prisma: PrismaClient, pairedServerId: string, options: { now?: Date; take?: number } = {}): Promise<MapNoteForMap[]> {
  return prisma.mapNote.findMany({
    where: { pairedServerId, ...unexpired(options.now ?? new Date()) },
    select: { id: true, category: true, x: true, y: true, label: true, emoji: true, color: true, createdAt: true, expiresAt: true },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    take: options.take ?? 500,
  });
}

/** Newest first, for lists and autocomplete; `search` matches the label. */
export function listNotes(
  prisma: PrismaClient,
  serverIds: readonly string[],
  options: { category?: MapNoteCategory; search?: string; take: number; now?: Date },
): Promise<(MapNote & { pairedServer: { serverName: string; ip: string; port: number } })[]> {
  return prisma.mapNote.findMany({
    where: {
      pairedServerId: { in: [...serverIds] },
      ...(options.category && { category: options.category }),
      ...(options.search && { label: { contains: options.search, mode: "insensitive" } }),
      ...unexpired(options.now ?? new Date()),
    },
    include: { pairedServer: { select: { serverName: true, ip: true, port: true } } },
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: options.take,
  });
}
