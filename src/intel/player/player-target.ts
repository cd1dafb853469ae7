// Which server and which player a /player command is about. The server is one the user owns or is a guest on
// (the `server:` option, or their only one); it maps to the shared IntelServer by IP and Rust+ port. The player
// is a name seen on that server (in its sessions) or noted by this team, or a note id from the suggestions;
// a note of another paired server (another team's) is "not found".
import type { IntelServer, PlayerIntelNote, PrismaClient, User } from "../../generated/prisma/client.ts";
import { plain } from "../../bot/plain-text.ts";
import { likeText } from "../../db/like-text.ts";
import { UserError } from "../../errors.ts";
import { noteServer, type NoteServer } from "../../notes/note-access.ts";
import { serverLabel } from "../../pairing/server-card.ts";

type Who = Pick<User, "id" | "steamId">;

/** The autocomplete value of a noted player not seen in the server's sessions: `note:<id>`. */
export const NOTE_VALUE = /^note:([a-z0-9]{1,40})$/;
/** The autocomplete value of a seen name too long for a choice's 100 characters: `seen:<PlayerSession id>`. */
export const SEEN_VALUE = /^seen:([a-z0-9]{1,40})$/;
export const PLAYER_NOT_FOUND = "That player note was not found (it was removed, or is not one of this server's notes). Pick a player from the suggestions as you type in `player:`.";
/** How long sessions are kept (the poll prunes them after this), for answers. */
export const HISTORY_DAYS = 30;

export interface IntelTarget extends NoteServer {
  /** The Rust server as player intel polls it; null until its first poll. */
  intel: IntelServer | null;
}

export interface PlayerTarget extends IntelTarget {
  /** The player's name as seen or noted. */
  name: string;
  /** This team's note on the player, if any. */
  note: PlayerIntelNote | null;
}

export const serverName = (target: NoteServer) => plain(serverLabel(target.server));

/** The paired server and its IntelServer. @throws UserError as noteServer (not theirs, none, several). */
export async function intelTarget(prisma: PrismaClient, user: Who, serverId: string | undefined): Promise<IntelTarget> {
  const access = await noteServer(prisma, user, serverId);
  const intel = await prisma.intelServer.findUnique({ where: { ip_appPort: { ip: access.server.ip, appPort: access.server.port } } });
  return { ...access, intel };
}

/** The answer when the server has no IntelServer row yet. */
export function notPolledYet(target: IntelTarget): string {
  return `The bot has no player history for **${serverName(target)}** yet: it starts with the first query of the server's player list, within a minute or two of the server being live (\`/server\`).`;
}

/**
 * The player named by `input` on the target's server: a note id (`note:<id>`) or a seen long name's session id
 * (`seen:<id>`), from the suggestions; or a name
 * seen there or noted by this team; a name that matches none exactly but one name ignoring case is taken as that.
 * @throws UserError: another server's or a missing note id; a name never seen there nor noted (nothing changes).
 */
export async function findPlayer(prisma: PrismaClient, target: IntelTarget, input: string): Promise<PlayerTarget> {
  const noteId = NOTE_VALUE.exec(input.trim())?.[1];
  if (noteId) {
    const note = await prisma.playerIntelNote.findFirst({ where: { id: noteId, pairedServerId: target.server.id } });
    if (!note) throw new UserError(PLAYER_NOT_FOUND);
    return { ...target, name: note.playerName, note };
  }
  const sessionId = SEEN_VALUE.exec(input.trim())?.[1];
  if (sessionId) {
    const session = target.intel && (await prisma.playerSession.findFirst({ where: { id: sessionId, intelServerId: target.intel.id }, select: { playerName: true } }));
    const found = session && (await playerNamed(prisma, target, session.playerName, "default"));
    if (!found) throw new UserError(PLAYER_NOT_FOUND);
    return found;
  }
  const name = input.trim();
  if (!name || input.length > 100) throw new UserError("Give a player's name as the server lists it (pick one from the suggestions as you type in `player:`).");
  // As given first (a listed name may end in a space), then trimmed, then ignoring case.
  for (const [text, mode] of [[input, "default"], [name, "default"], [name, "insensitive"]] as const) {
    const found = await playerNamed(prisma, target, text, mode);
    if (found) return found;
  }
  throw new UserError(
    `No one called "${plain(name).slice(0, 100)}" has been seen on **${serverName(target)}** in the last ${HISTORY_DAYS} days, and your team has no note on that name. Pick a player from the suggestions as you type in \`player:\`.`,
  );
}

async function playerNamed(prisma: PrismaClient, target: IntelTarget, name: string, mode: "default" | "insensitive"): Promise<PlayerTarget | null> {
  // Prisma runs an insensitive `equals` as ILIKE: "B_ron" would be Baron without the escape.
  const playerName = mode === "insensitive" ? { equals: likeText(name), mode } : { equals: name, mode };
  const notes = await prisma.playerIntelNote.findMany({ where: { pairedServerId: target.server.id, playerName }, orderBy: { createdAt: "asc" }, take: 2 });
  const seen = target.intel
    ? await prisma.playerSession.groupBy({ by: ["playerName"], where: { intelServerId: target.intel.id, playerName }, orderBy: { playerName: "asc" }, take: 2 })
    : [];
  const names = new Set([...notes.map((n) => n.playerName), ...seen.map((s) => s.playerName)]);
  // Ignoring case, two different names ("Bob", "BOB") are two players: no guess then.
  if (names.size !== 1) return null;
  const [only] = names;
  return { ...target, name: only!, note: notes.find((n) => n.playerName === only) ?? null };
}
