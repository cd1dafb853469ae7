// /note's operations: what a Discord user asks, checked (access, position, tier) and done, answered as text.
import type { MapNoteCategory, PrismaClient, User } from "../generated/prisma/client.ts";
import { allowance, type LimitsConfig } from "../billing/entitlements.ts";
import { listContent } from "../bot/list-reply.ts";
import { plain } from "../bot/plain-text.ts";
import { UserError } from "../errors.ts";
import { findLinkedUser } from "../identity/linked-user.ts";
import type { Team } from "../ingame/team.ts";
import { serverLabel } from "../pairing/server-card.ts";
import { accessibleServers } from "../sharing/server-access.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import { addNote } from "./add-note.ts";
import { CATEGORY_NAMES, labelText, markerLine, noteChoiceName, noteIcon, noteLine, whereText } from "./describe.ts";
import { liveMapSize, liveTeam } from "./live-server.ts";
import { findNote, noteServer, requireNoteWriter, type NoteServer } from "./note-access.ts";
import { parsePosition, resolvePosition } from "./position.ts";
import { listNotes } from "./read.ts";
import { clearNotes, removeNote } from "./remove-notes.ts";
import { expiryOf, parseTtl } from "./ttl.ts";
import type { TeamMarker } from "./team-markers.ts";

export interface NoteDeps {
  prisma: PrismaClient;
  config: LimitsConfig;
  rust: ConnectionManager;
}
type Who = Pick<User, "id" | "steamId">;

export interface AddRequest {
  server?: string | undefined;
  category: Exclude<MapNoteCategory, "DEATH">;
  position: string;
  label?: string | undefined;
  emoji?: string | undefined;
  color?: string | undefined;
  ttl?: string | undefined;
}

const name = (access: NoteServer) => plain(serverLabel(access.server));

/** The live team, asked once per command however often it is needed. */
function teamOnce(deps: NoteDeps, access: NoteServer): () => Promise<{ team: Team; markers: TeamMarker[] }> {
  let asked: Promise<{ team: Team; markers: TeamMarker[] }> | undefined;
  return () => (asked ??= liveTeam(deps.rust, access.server.id, name(access)));
}

/**
 * Saves a note. Label, emoji and colour arrive already checked (fields.ts); the position and TTL are read here.
 * @throws UserError for a reader-only guest, a bad position or TTL, emoji or colour on a non-custom note, a full tier.
 */
export async function addNoteFor(deps: NoteDeps, user: Who, req: AddRequest, now = Date.now()): Promise<string> {
  const ttl = parseTtl(req.ttl ?? "until wipe");
  if (req.category !== "CUSTOM" && (req.emoji || req.color)) throw new UserError("`emoji` and `color` are for `custom` notes; tags and SAM sites have their own icons.");
  const position = parsePosition(req.position);
  const access = await noteServer(deps.prisma, user, req.server);
  const team = teamOnce(deps, access);
  await requireNoteWriter(user, access, async () => (await team()).team);
  const mapSize = liveMapSize(deps.rust, access.server.id, name(access));
  const at = await resolvePosition(position, {
    mapSize,
    callerSteamId: user.steamId,
    team: async () => (await team()).team,
    steamIdOfDiscord: async (discordId) => (await findLinkedUser(deps.prisma, discordId))?.steamId ?? null,
  });
  const expiresAt = expiryOf(ttl, now);
  const note = await addNote(deps, access.server, {
    category: req.category, x: at.x, y: at.y, label: req.label || null, emoji: req.emoji ?? null, color: req.color ?? null, expiresAt, createdByUserId: user.id,
  });
  const until = expiresAt ? `until <t:${Math.floor(expiresAt.getTime() / 1000)}:f>` : "until the wipe";
  return `${noteIcon(note)} Saved ${note.label ? `**${labelText(note.label)}**` : `a ${CATEGORY_NAMES[note.category]}`} at ${whereText(at.x, at.y, mapSize)} on **${name(access)}**, ${until}.`;
}

/** The server's notes (newest first) and, when connected, the team's in-game markers; fitted to one message. */
export async function listNotesFor(deps: NoteDeps, user: Who, opts: { server?: string | undefined; category?: MapNoteCategory | undefined }): Promise<string> {
  const access = await noteServer(deps.prisma, user, opts.server);
  const serverId = access.server.id;
  const mapSize = deps.rust.status(serverId)?.snapshot?.info.mapSize ?? 0;
  const notes = await listNotes(deps.prisma, [serverId], { ...(opts.category && { category: opts.category }), take: 200 });
  let markers: string[] = [];
  let markerNote = "";
  if (!opts.category) {
    try {
      markers = (await teamOnce(deps, access)()).markers.map((m) => markerLine(m, mapSize));
    } catch (err) {
      if (!(err instanceof UserError)) throw err;
      markerNote = "\nIn-game markers are shown while the bot is connected to the server.";
    }
  }
  const owner = await deps.prisma.user.findUniqueOrThrow({ where: { id: access.server.userId }, select: { id: true, steamId: true } });
  const used = await allowance(deps.prisma, deps.config, owner, "mapNotesPerServer", serverId);
  const lines = [...notes.map((n) => noteLine(n, mapSize)), ...markers];
  const what = opts.category ? `Notes of kind ${CATEGORY_NAMES[opts.category]}` : "Notes";
  const head = `**${what} on ${name(access)}**${access.role === "guest" ? " (shared with you)" : ""}`;
  const tail = `Notes: ${used.used} of ${used.limit} (${used.tier} tier; deaths and in-game markers do not count).${markerNote}`;
  if (!lines.length) return `${head}\nNo notes yet. Add one with \`/note add\`, or \`!note <text>\` in team chat.\n${tail}`;
  return listContent({ head, lines, tail, narrow: "narrow it with `category:`" });
}

/** Removes one note. @throws UserError: not found (also another team's note), or a reader-only guest. */
export async function removeNoteFor(deps: NoteDeps, user: Who, noteId: string): Promise<string> {
  const found = await findNote(deps.prisma, user, noteId);
  await requireNoteWriter(user, found, async () => (await teamOnce(deps, found)()).team);
  if (!(await removeNote(deps.prisma, found.note.id))) throw new UserError("That note was already removed.");
  return `Removed ${noteIcon(found.note)} ${found.note.label ? `**${labelText(found.note.label)}**` : `a ${CATEGORY_NAMES[found.note.category]}`} from **${name(found)}**.`;
}

/**
 * The server a clear is about, checked for writing (`serverId` from the option or a confirm button).
 * @throws UserError as noteServer and requireNoteWriter.
 */
export async function clearableServer(deps: NoteDeps, user: Who, serverId: string | undefined): Promise<NoteServer> {
  const access = await noteServer(deps.prisma, user, serverId);
  await requireNoteWriter(user, access, async () => (await teamOnce(deps, access)()).team);
  return access;
}

/** Clears the server's notes of one category, or all. */
export async function clearNotesFor(deps: NoteDeps, access: NoteServer, category?: MapNoteCategory): Promise<string> {
  const count = await clearNotes(deps.prisma, access.server.id, category);
  const what = category ? `${CATEGORY_NAMES[category]} note` : "note";
  return `Removed ${count} ${what}${count === 1 ? "" : "s"} from **${name(access)}**.`;
}

/** Autocomplete for `note:`: the newest notes on the user's servers (owned or shared) whose label matches. */
export async function noteChoices(deps: NoteDeps, user: Who, search: string): Promise<{ name: string; value: string }[]> {
  const servers = await accessibleServers(deps.prisma, user, "", {});
  const notes = await listNotes(deps.prisma, servers.map((s) => s.id), { ...(search && { search: search.slice(0, 100) }), take: 25 });
  return notes.map((n) => ({ name: noteChoiceName(n, deps.rust.status(n.pairedServerId)?.snapshot?.info.mapSize ?? 0, serverLabel(n.pairedServer)), value: n.id }));
}
