// A team's notes on players of one paired server (PlayerIntelNote): the note's text, tags, tracked, a Steam id
// bound by hand. One row per player name and paired server, created on the first change, changed under a lock
// on that name (two commands at once never make two rows), deleted when nothing is left on it. Tracking counts
// against the paired server owner's tier (trackedPlayers), like map notes against mapNotesPerServer.
import type { PlayerIntelNote, Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import { withinLimit, type LimitsConfig } from "../../billing/entitlements.ts";
import { UserError } from "../../errors.ts";
import { TAGS_MAX } from "./fields.ts";
import { playerLabel } from "./describe.ts";
import { serverName, type PlayerTarget } from "./player-target.ts";

type Tx = Prisma.TransactionClient;
type Change = Partial<Pick<PlayerIntelNote, "note" | "tags" | "tracked" | "steamId">>;

export interface NoteDeps {
  prisma: PrismaClient;
  config: LimitsConfig;
}

/**
 * Reads the player's note under the name's lock, lets `change` decide (it throws a UserError to refuse, and
 * nothing is written), then writes: creates, updates, or deletes the row when it holds nothing any more.
 */
async function changeNote(tx: Tx, target: PlayerTarget, createdByUserId: string, change: (note: PlayerIntelNote | null) => Change): Promise<PlayerIntelNote | null> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`player-note:${target.server.id}:${target.name}`}))`;
  const note = await tx.playerIntelNote.findFirst({ where: { pairedServerId: target.server.id, playerName: target.name }, orderBy: { createdAt: "asc" } });
  const data = change(note);
  const next = { note: note?.note ?? null, tags: note?.tags ?? [], tracked: note?.tracked ?? false, steamId: note?.steamId ?? null, ...data };
  const empty = !next.note && !next.tags.length && !next.tracked && !next.steamId && !note?.battlemetricsPlayerId && !note?.knownNames.length;
  if (!note) return empty ? null : tx.playerIntelNote.create({ data: { pairedServerId: target.server.id, playerName: target.name, createdByUserId, ...next } });
  if (empty) {
    await tx.playerIntelNote.delete({ where: { id: note.id } });
    return null;
  }
  return tx.playerIntelNote.update({ where: { id: note.id }, data });
}

const who = (target: PlayerTarget) => `**${playerLabel(target.name)}** on **${serverName(target)}**`;

/** Sets (or with null clears) the note's text. */
export async function setPlayerNote(deps: NoteDeps, target: PlayerTarget, userId: string, text: string | null): Promise<string> {
  await deps.prisma.$transaction((tx) => changeNote(tx, target, userId, () => ({ note: text })));
  return text === null ? `Cleared the note on ${who(target)}.` : `📝 Saved the note on ${who(target)}.`;
}

/** Adds or removes one tag. @throws UserError: already there, not there, or TAGS_MAX tags already. */
export async function tagPlayer(deps: NoteDeps, target: PlayerTarget, userId: string, action: "add" | "remove", tag: string): Promise<string> {
  const saved = await deps.prisma.$transaction((tx) =>
    changeNote(tx, target, userId, (note) => {
      const tags = note?.tags ?? [];
      if (action === "add") {
        if (tags.includes(tag)) throw new UserError(`${who(target)} already has the tag \`${tag}\`.`);
        if (tags.length >= TAGS_MAX) throw new UserError(`${who(target)} has ${TAGS_MAX} tags, the most a player can have. Remove one first.`);
        return { tags: [...tags, tag] };
      }
      if (!tags.includes(tag)) throw new UserError(`${who(target)} has no tag \`${tag}\`${tags.length ? ` (tags: ${tags.map((t) => `\`${t}\``).join(" ")})` : ""}.`);
      return { tags: tags.filter((t) => t !== tag) };
    }),
  );
  const now = saved?.tags.length ? saved.tags.map((t) => `\`${t}\``).join(" ") : "none";
  return `${action === "add" ? "Tagged" : "Untagged"} ${who(target)} \`${tag}\`. Tags now: ${now}.`;
}

/**
 * Tracks or stops tracking. Tracking is within the paired server owner's tier (trackedPlayers, every server of
 * theirs together), under the tier's limit lock. @throws OverLimitError at the limit; UserError when already so.
 */
export async function trackPlayer(deps: NoteDeps, target: PlayerTarget, userId: string, tracked: boolean): Promise<string> {
  const already = () => new UserError(tracked ? `${who(target)} is already tracked.` : `${who(target)} is not tracked.`);
  if ((target.note?.tracked ?? false) === tracked) throw already();
  const change = (tx: Tx) =>
    changeNote(tx, target, userId, (note) => {
      if ((note?.tracked ?? false) === tracked) throw already();
      return { tracked };
    });
  if (!tracked) {
    await deps.prisma.$transaction(change);
    return `Stopped tracking ${who(target)}.`;
  }
  const owner = await deps.prisma.user.findUniqueOrThrow({ where: { id: target.server.userId }, select: { id: true, steamId: true } });
  await withinLimit(deps.prisma, deps.config, owner, "trackedPlayers", change);
  return `📌 Tracking ${who(target)}: watchlists with "tracked only" follow them.`;
}

/**
 * Binds the player to a Steam id on this team's note, and globally for the BattleMetrics player the note or the
 * player's sessions name (PlayerSteamLink, with where the id came from: "manual" or "battlemetrics").
 * @throws UserError when another player of this server's notes has that Steam id.
 */
export async function linkSteam(
  deps: NoteDeps,
  target: PlayerTarget,
  userId: string,
  bound: { steamId: string; battlemetricsPlayerId: string | null; source: "manual" | "battlemetrics" },
): Promise<string> {
  const { steamId, battlemetricsPlayerId, source } = bound;
  let before: string | null = null;
  await deps.prisma.$transaction(async (tx) => {
    const other = await tx.playerIntelNote.findFirst({ where: { pairedServerId: target.server.id, steamId, playerName: { not: target.name } } });
    if (other) throw new UserError(`Steam id ${steamId} is already bound to **${playerLabel(other.playerName)}** on **${serverName(target)}**. Bind it to one name only.`);
    await changeNote(tx, target, userId, (note) => {
      before = note?.steamId ?? null;
      if (before === steamId) throw new UserError(`${who(target)} is already bound to Steam id ${steamId}.`);
      return { steamId };
    });
    if (battlemetricsPlayerId) {
      await tx.playerSteamLink.upsert({ where: { battlemetricsPlayerId }, create: { battlemetricsPlayerId, steamId, source }, update: { steamId, source } });
    }
  });
  const was = before ? ` (was ${before})` : "";
  const bm = battlemetricsPlayerId ? ` and BattleMetrics player ${battlemetricsPlayerId}` : "";
  return `🔗 Bound ${who(target)}${bm} to Steam id ${steamId}${was}. Their sessions under other names with this Steam id now show in \`/player info\`.`;
}

/** The BattleMetrics player id of the player: the note's, else the newest session's under the name. */
export async function battlemetricsIdOf(prisma: PrismaClient, target: PlayerTarget): Promise<string | null> {
  if (target.note?.battlemetricsPlayerId) return target.note.battlemetricsPlayerId;
  if (!target.intel) return null;
  const session = await prisma.playerSession.findFirst({
    where: { intelServerId: target.intel.id, playerName: target.name, battlemetricsPlayerId: { not: null } },
    orderBy: { startedAt: "desc" },
    select: { battlemetricsPlayerId: true },
  });
  return session?.battlemetricsPlayerId ?? null;
}
