// /player search: who is online now on a paired server (the open sessions of its IntelServer, longest online
// first), or the names seen there matching a text (online or not, newest first). Cut to one message.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { listContent } from "../../bot/list-reply.ts";
import { UserError } from "../../errors.ts";
import { duration, playerLabel, playerText, sourceLines, stamp } from "./describe.ts";
import { HISTORY_DAYS, notPolledYet, serverName, type IntelTarget } from "./player-target.ts";
import { likeText } from "../../db/like-text.ts";

/** How many names a text search reads (newest first); more are not useful in one message. */
const SEARCH_TAKE = 100;

/** `tooFastSince`: IntelPoller.listTooFastSince of the target's server, said under the list. */
export async function searchPlayers(prisma: PrismaClient, target: IntelTarget, name: string | undefined, now = new Date(), tooFastSince?: Date): Promise<string> {
  const intel = target.intel;
  if (!intel) return notPolledYet(target);
  const online = await prisma.playerSession.findMany({
    where: { intelServerId: intel.id, endedAt: null },
    select: { playerName: true, startedAt: true },
    orderBy: { startedAt: "asc" },
  });
  const onlineSince = new Map(online.map((s) => [s.playerName, s.startedAt]));
  const tail = sourceLines(intel, online.length, tooFastSince).join("\n");
  const server = serverName(target);

  if (name === undefined) {
    const queue = intel.queuedPlayers ? `, ${intel.queuedPlayers} in the queue` : "";
    const slots = intel.maxPlayers ? ` of ${intel.maxPlayers} slots` : "";
    const head = `**Online on ${server}**: ${online.length}${slots}${queue}`;
    if (!online.length) return `${head}\nNo one is listed online.\n${tail}`;
    const lines = online.map((s) => `🟢 **${playerLabel(s.playerName)}** — online ${duration(now.getTime() - s.startedAt.getTime())}`);
    return listContent({ head, lines, tail, narrow: "search for a name with `name:`" });
  }

  const text = name.trim();
  if (!text || text.length > 64) throw new UserError("`name`: give 1 to 64 characters of a player's name.");
  const seen = await prisma.playerSession.groupBy({
    by: ["playerName"],
    where: { intelServerId: intel.id, playerName: { contains: likeText(text), mode: "insensitive" } },
    _max: { lastSeenAt: true },
    orderBy: { _max: { lastSeenAt: "desc" } },
    take: SEARCH_TAKE,
  });
  const head = `**Players seen on ${server} matching "${playerText(text)}"** (last ${HISTORY_DAYS} days, newest first)`;
  if (!seen.length) return `${head}\nNo one matching that was seen.\n${tail}`;
  const lines = seen.map((s) => {
    const since = onlineSince.get(s.playerName);
    if (since) return `🟢 **${playerLabel(s.playerName)}** — online now, for ${duration(now.getTime() - since.getTime())}`;
    return `⚫ **${playerLabel(s.playerName)}** — last seen ${s._max.lastSeenAt ? stamp(s._max.lastSeenAt) : "?"}`;
  });
  return listContent({ head, lines, tail, narrow: "type more of the name" });
}
