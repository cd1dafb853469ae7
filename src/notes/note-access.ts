// Who may do what with a server's notes: its owner and guests read them; the owner and guests who are in the
// server's in-game team (as the server reports it now) add and remove them. A note of a server the user has no
// access to is "not found", so another team's note ids tell nothing.
import type { MapNote, PairedServer, PrismaClient, User } from "../generated/prisma/client.ts";
import { UserError } from "../errors.ts";
import type { Team } from "../ingame/team.ts";
import { plain } from "../bot/plain-text.ts";
import { serverLabel } from "../pairing/server-card.ts";
import { notOneOfYourServers } from "../sharing/access-answers.ts";
import { accessibleServers, findServerAccess, serverAccess, type ServerRole } from "../sharing/server-access.ts";

type Who = Pick<User, "id" | "steamId">;
export interface NoteServer {
  server: PairedServer;
  role: ServerRole;
}

export const NOTE_NOT_FOUND = "That note was not found (it expired, was removed, or is not on one of your servers). Pick one from the suggestions as you type in `note:`.";

/**
 * The server a /note command is about: the `server:` option, or without it the user's only server.
 * @throws UserError when the option names no server of theirs, or they have none or several and gave none.
 */
export async function noteServer(prisma: PrismaClient, user: Who, serverId: string | undefined): Promise<NoteServer> {
  if (serverId) return serverAccess(prisma, user, serverId);
  const servers = await accessibleServers(prisma, user, "", {});
  const only = servers.length === 1 ? servers[0] : undefined;
  if (!only) {
    if (servers.length) throw new UserError("You have several servers: pick one in `server:`.");
    throw new UserError(await notOneOfYourServers(prisma, user, { ownedOnly: false }));
  }
  return { server: only, role: only.userId === user.id ? "owner" : "guest" };
}

/** A note by id with the user's role on its server. @throws UserError(NOTE_NOT_FOUND) when it is not theirs to see. */
export async function findNote(prisma: PrismaClient, user: Who, noteId: string): Promise<{ note: MapNote } & NoteServer> {
  const note = /^[a-z0-9]{1,40}$/.test(noteId) ? await prisma.mapNote.findUnique({ where: { id: noteId } }) : null;
  const access = note && (await findServerAccess(prisma, user, note.pairedServerId));
  if (!note || !access) throw new UserError(NOTE_NOT_FOUND);
  return { note, ...access };
}

/**
 * Refuses a guest who is not in the server's team now (guests only read). `team` is asked only for guests.
 * @throws UserError naming who may change the notes.
 */
export async function requireNoteWriter(user: Who, access: NoteServer, team: () => Promise<Team>): Promise<void> {
  if (access.role === "owner") return;
  if ((await team()).members.some((m) => m.steamId === user.steamId)) return;
  throw new UserError(
    `**${plain(serverLabel(access.server))}** is shared with you to read its notes; only its owner and players in its in-game team change them.`,
  );
}
