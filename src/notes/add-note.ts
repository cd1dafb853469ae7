// Saving a note, for /note add and !note: within the server owner's tier (notes per server, DEATH notes not
// counted), under the per-owner limit lock so two adds at the limit cannot both pass.
import type { MapNote, MapNoteCategory, PairedServer, PrismaClient } from "../generated/prisma/client.ts";
import { withinLimit, type LimitsConfig } from "../billing/entitlements.ts";

export interface NewNote {
  category: Exclude<MapNoteCategory, "DEATH">;
  x: number;
  y: number;
  label: string | null;
  emoji?: string | null;
  color?: string | null;
  expiresAt: Date | null;
  createdByUserId: string | null;
}

/**
 * Adds the note to the server. The server owner's tier decides how many notes it may hold.
 * @throws OverLimitError (a UserError) at the limit.
 */
export async function addNote(deps: { prisma: PrismaClient; config: LimitsConfig }, server: Pick<PairedServer, "id" | "userId">, note: NewNote): Promise<MapNote> {
  const owner = await deps.prisma.user.findUniqueOrThrow({ where: { id: server.userId }, select: { id: true, steamId: true } });
  return withinLimit(
    deps.prisma,
    deps.config,
    owner,
    "mapNotesPerServer",
    (tx) =>
      tx.mapNote.create({
        data: { pairedServerId: server.id, ...note, emoji: note.emoji ?? null, color: note.color ?? null },
      }),
    server.id,
  );
}
