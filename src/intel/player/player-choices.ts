// Autocomplete for `player:`: names seen on the server (its sessions) and names this team noted, online first,
// then names starting with the text, then containing it, newest first; at most 25. Each read is limited and
// filtered by the server first (indexes intelServerId+playerName / +endedAt, pairedServerId+playerName).
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { fitText } from "../../bot/fit-text.ts";
import { LIMITS } from "../../bot/fit-payload.ts";
import { TAG_MAX } from "./fields.ts";
import type { IntelTarget } from "./player-target.ts";
import { likeText } from "../../db/like-text.ts";


interface Candidate {
  name: string;
  online: boolean;
  lastSeen: number;
  noteId?: string;
  sessionId?: string;
}

export async function playerChoices(prisma: PrismaClient, target: IntelTarget, search: string): Promise<{ name: string; value: string }[]> {
  const typed = search.trim().slice(0, 64);
  const lower = typed.toLowerCase();
  const contains = { contains: likeText(typed), mode: "insensitive" as const };
  const byName = new Map<string, Candidate>();
  if (target.intel) {
    const [online, seen] = await Promise.all([
      prisma.playerSession.findMany({ where: { intelServerId: target.intel.id, endedAt: null, playerName: contains }, select: { playerName: true }, take: 200 }),
      prisma.playerSession.groupBy({
        by: ["playerName"],
        where: { intelServerId: target.intel.id, playerName: contains },
        _max: { lastSeenAt: true },
        orderBy: { _max: { lastSeenAt: "desc" } },
        take: 100,
      }),
    ]);
    for (const s of seen) byName.set(s.playerName, { name: s.playerName, online: false, lastSeen: s._max.lastSeenAt?.getTime() ?? 0 });
    for (const s of online) byName.set(s.playerName, { name: s.playerName, online: true, lastSeen: Date.now() });
  }
  const notes = await prisma.playerIntelNote.findMany({ where: { pairedServerId: target.server.id, playerName: contains }, select: { id: true, playerName: true }, take: 50 });
  // A noted name never seen (or seen over 30 days ago) is picked by its note's id.
  for (const n of notes) if (!byName.has(n.playerName)) byName.set(n.playerName, { name: n.playerName, online: false, lastSeen: 0, noteId: n.id });

  const rank = (c: Candidate) => (c.online ? 0 : 2) + (c.name.toLowerCase().startsWith(lower) ? 0 : 1);
  const picked = [...byName.values()]
    .filter((c) => c.noteId || c.name.trim())
    .sort((a, b) => rank(a) - rank(b) || b.lastSeen - a.lastSeen || a.name.localeCompare(b.name))
    .slice(0, LIMITS.choices);
  // A name over a choice value's 100 characters (A2S names are kept to 200) is picked by one of its sessions.
  for (const c of picked) {
    if (c.noteId || c.name.length <= LIMITS.choiceValue || !target.intel) continue;
    const session = await prisma.playerSession.findFirst({ where: { intelServerId: target.intel.id, playerName: c.name }, select: { id: true } });
    if (session) c.sessionId = session.id;
  }
  return picked
    .filter((c) => c.noteId || c.sessionId || c.name.length <= LIMITS.choiceValue)
    .map((c) => ({ name: fitText(`${c.online ? "🟢 " : ""}${c.name}${c.noteId ? " (noted)" : ""}`, LIMITS.choiceName), value: c.noteId ? `note:${c.noteId}` : c.sessionId ? `seen:${c.sessionId}` : c.name }));
}

/** Autocomplete for `tag:`: tags this team uses on the server's notes that contain the text; the typed tag first when new. */
export async function tagChoices(prisma: PrismaClient, pairedServerId: string, search: string): Promise<{ name: string; value: string }[]> {
  const typed = search.trim().toLowerCase().slice(0, TAG_MAX);
  const notes = await prisma.playerIntelNote.findMany({ where: { pairedServerId, NOT: { tags: { isEmpty: true } } }, select: { tags: true }, take: 500 });
  const used = [...new Set(notes.flatMap((n) => n.tags))].filter((t) => t.includes(typed)).sort();
  return [...new Set([...(typed && !used.includes(typed) ? [typed] : []), ...used])].slice(0, 25).map((t) => ({ name: t, value: t }));
}
