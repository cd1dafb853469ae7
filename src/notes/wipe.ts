// Every note of a server ends at its wipe. The server's info carries the time of its last wipe (unix seconds):
// a note made before it belongs to an older map and is deleted. Stateless (it needs no stored "last wipe"), so a
// wipe while the bot was down is caught at the first info after the restart. Checked on each new wipe time a
// process sees (a server's first info after it starts, and each change).
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import { WorkSet } from "../work-set.ts";

/** Deletes the server's notes made before its wipe at `wipeTime` (unix seconds; 0 = unknown, nothing done). */
export async function clearNotesBeforeWipe(prisma: PrismaClient, pairedServerId: string, wipeTime: number): Promise<number> {
  if (!(wipeTime > 0)) return 0;
  const { count } = await prisma.mapNote.deleteMany({ where: { pairedServerId, createdAt: { lt: new Date(wipeTime * 1000) } } });
  return count;
}

export interface NotesAtWipe {
  /** Resolves when every clean-up started so far is done (tests wait on it). */
  settled(): Promise<void>;
}

export function startNotesAtWipe(rust: ConnectionManager, prisma: PrismaClient, logger: Logger): NotesAtWipe {
  const seen = new Map<string, number>();
  const work = new WorkSet((err) => logger.error({ err }, "clearing notes at a wipe failed"));
  rust.on("snapshot", (serverId, snapshot) => {
    const { wipeTime } = snapshot.info;
    if (seen.get(serverId) === wipeTime) return;
    seen.set(serverId, wipeTime);
    void work.track(
      clearNotesBeforeWipe(prisma, serverId, wipeTime).then(
        (count) => {
          if (count) logger.info({ serverId, count, wipeTime }, "map notes of an earlier wipe deleted");
        },
        (err: unknown) => {
          seen.delete(serverId); // tried again at the next info
          logger.warn({ err, serverId }, "deleting map notes of an earlier wipe failed");
        },
      ),
    );
  });
  return { settled: () => work.idle() };
}
