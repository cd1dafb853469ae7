// Removing one note, or clearing a server's notes (all, or one category).
import type { MapNoteCategory, PrismaClient } from "../generated/prisma/client.ts";

/** Deletes the note if it is still there; returns whether it was. */
export async function removeNote(prisma: PrismaClient, noteId: string): Promise<boolean> {
  const { count } = await prisma.mapNote.deleteMany({ where: { id: noteId } });
  return count > 0;
}

/** Deletes the server's notes of `category` (every category when not given); returns how many. */
export async function clearNotes(prisma: PrismaClient, pairedServerId: string, category?: MapNoteCategory): Promise<number> {
  const { count } = await prisma.mapNote.deleteMany({ where: { pairedServerId, ...(category && { category }) } });
  return count;
}
