// Who came and who went between the open sessions of a server and the list one poll gave. Pure and O(n), so
// a benchmark can time it alone (500 servers × 200 players per poll).
import type { ListedPlayer } from "../types.ts";

/** An open PlayerSession as the diff needs it. */
export interface OpenSession {
  id: string;
  playerName: string;
  steamId: string | null;
  startedAt: Date;
  lastSeenAt: Date;
}

export interface SessionDiff {
  /** Listed players with no open session: open one starting at `startedAt` (`reconnectOf`: the session it follows, closed in `close`). */
  open: { player: ListedPlayer; startedAt: Date; reconnectOf?: OpenSession }[];
  /** Sessions whose player is not listed (or left and came back): close at `endedAt`, their last sighting. */
  close: { session: OpenSession; endedAt: Date; reason: "gone" | "reconnected" }[];
  /** Sessions still listed: their lastSeenAt becomes the poll's time. */
  touch: { session: OpenSession; player: ListedPlayer }[];
}

/** A sighting this much older than the connection time the server reports is a different connection. */
const RECONNECT_SLACK_MS = 5_000;

/**
 * Matches a poll's list (`listed`, taken at `at`) with the server's open sessions: by Steam id where both have
 * one, else by name, duplicate names counted as a multiset (two "Bob"s listed keep two sessions). A listed
 * player whose reported connection started after their session was last seen left and came back in between
 * (A2S `duration` went down): the old session is closed and a new one opened. A session starts at the time the
 * server says they connected (`at - connectedSeconds`), not before `notBefore` (the wipe), and ends at its
 * lastSeenAt: the last poll that listed them, so a player who left while the bot was down ends when last seen.
 */
export function diffSessions(open: readonly OpenSession[], listed: readonly ListedPlayer[], at: Date, notBefore?: Date): SessionDiff {
  const bySteamId = new Map<string, OpenSession[]>();
  const byName = new Map<string, OpenSession[]>();
  // Oldest first, so duplicate names pair the longest-connected player with the oldest session.
  const sorted = [...open].sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
  for (const s of sorted) push(s.steamId ? bySteamId : byName, s.steamId ?? s.playerName, s);
  const used = new Set<string>();
  const result: SessionDiff = { open: [], close: [], touch: [] };
  const ordered = [...listed].sort((a, b) => (b.connectedSeconds ?? 0) - (a.connectedSeconds ?? 0));
  for (const player of ordered) {
    const session =
      (player.steamId ? take(bySteamId.get(player.steamId), used) : undefined) ??
      take(byName.get(player.name), used) ??
      // A session recorded with a Steam id, listed this time by name only (A2S alone).
      (player.steamId ? undefined : takeByName(bySteamId, player.name, used));
    const startedAt = startOf(player, at, notBefore);
    if (!session) {
      result.open.push({ player, startedAt });
      continue;
    }
    used.add(session.id);
    if (player.connectedSeconds !== undefined && startedAt.getTime() > session.lastSeenAt.getTime() + RECONNECT_SLACK_MS) {
      result.close.push({ session, endedAt: session.lastSeenAt, reason: "reconnected" });
      result.open.push({ player, startedAt, reconnectOf: session });
    } else {
      result.touch.push({ session, player });
    }
  }
  for (const s of open) if (!used.has(s.id)) result.close.push({ session: s, endedAt: s.lastSeenAt, reason: "gone" });
  return result;
}

function startOf(player: ListedPlayer, at: Date, notBefore: Date | undefined): Date {
  const start = at.getTime() - (player.connectedSeconds ?? 0) * 1000;
  return new Date(Math.min(at.getTime(), Math.max(start, notBefore?.getTime() ?? -Infinity)));
}

function push(map: Map<string, OpenSession[]>, key: string, s: OpenSession): void {
  const list = map.get(key);
  if (list) list.push(s);
  else map.set(key, [s]);
}

function take(list: OpenSession[] | undefined, used: Set<string>): OpenSession | undefined {
  while (list?.length) {
    const s = list.shift()!;
    if (!used.has(s.id)) return s;
  }
  return undefined;
}

/** Rare path (a Steam-id session listed without one): a scan of that bucket set only when asked. */
function takeByName(bySteamId: Map<string, OpenSession[]>, name: string, used: Set<string>): OpenSession | undefined {
  for (const list of bySteamId.values()) {
    const i = list.findIndex((s) => s.playerName === name && !used.has(s.id));
    if (i >= 0) return list.splice(i, 1)[0];
  }
  return undefined;
}
