// The pure step of intel alerts: one poll's transitions and the followers' notes and watchlists in, the
// messages to post out (one per user and poll). No database here, so a bench can time it alone.
import { createHash } from "node:crypto";
import { INTEL_ALERT_MAX_LINES } from "../../notify/events.ts";
import { splitAlertLines } from "../../notify/split-lines.ts";
import type { PlayerTransition } from "../types.ts";
import { matchesWatchlist, type CompiledWatchlist, type NoteView } from "./filter.ts";

/** One paired server following the polled Rust server, with what its owner watches there. */
export interface FollowerView {
  userId: string;
  pairedServerId: string;
  /** As the owner knows it (PairedServer's name). */
  serverName: string;
  notes: readonly NoteView[];
  /** The owner's watchlists that apply here (limited to this paired server, or to none). */
  watchlists: readonly CompiledWatchlist[];
}

export interface PollFacts {
  transitions: readonly PlayerTransition[];
  /** Names are streamer-mode names: only Steam ids identify players. */
  streamerMode: boolean;
  /** A wipe closed every open session at this poll. */
  wiped: boolean;
}

export interface AlertMessage {
  userId: string;
  serverName: string;
  /** Derived from the transitions' sessions and directions: the same poll run twice gives the same key. */
  dedupeKey: string;
  title: string;
  lines: string[];
  mentionRoleIds: string[];
}

interface Hit {
  transition: PlayerTransition;
  note: NoteView | undefined;
  reasons: Set<string>;
}

/**
 * Who of the transitions each follower watches (tracked notes always; watchlists by tag, tracked-only and
 * name pattern), coalesced into one message per user. In a wiped poll the offline transitions are skipped:
 * they are the wipe closing every session at once, not players leaving. With streamer-mode names, notes are
 * found by Steam id only and patterns are not applied. O(transitions × (watchlists) + notes) per follower.
 */
export function matchTransitions(poll: PollFacts, followers: readonly FollowerView[]): AlertMessage[] {
  const transitions = poll.wiped ? poll.transitions.filter((t) => t.online) : poll.transitions;
  if (!transitions.length || !followers.length) return [];
  const namesReliable = !poll.streamerMode;
  const byUser = new Map<string, { serverName: string; hits: Map<string, Hit>; roles: Set<string> }>();
  for (const follower of followers) {
    const bySteam = new Map<string, NoteView>();
    const byName = new Map<string, NoteView>();
    for (const note of follower.notes) {
      if (note.steamId) bySteam.set(note.steamId, note);
      byName.set(note.playerName.toLowerCase(), note);
    }
    for (const t of transitions) {
      // By Steam id where both have one; else by name (A2S lists no Steam ids, so a note bound to one by
      // /player link-steam is still found by its name), but never a name whose note is another Steam id's.
      const named = namesReliable ? byName.get(t.playerName.toLowerCase()) : undefined;
      const note = (t.steamId ? bySteam.get(t.steamId) : undefined) ?? (named && !(t.steamId && named.steamId) ? named : undefined);
      const reasons: string[] = note?.tracked ? ["tracked"] : [];
      const roles: string[] = [];
      for (const w of follower.watchlists) {
        if (!matchesWatchlist(w, note, t.playerName, { namesReliable })) continue;
        reasons.push(w.name);
        if (w.mentionRoleId) roles.push(w.mentionRoleId);
      }
      if (!reasons.length) continue;
      let user = byUser.get(follower.userId);
      if (!user) byUser.set(follower.userId, (user = { serverName: follower.serverName, hits: new Map(), roles: new Set() }));
      const key = `${t.sessionId}:${t.online ? "on" : "off"}`;
      const hit = user.hits.get(key) ?? { transition: t, note, reasons: new Set<string>() };
      for (const r of reasons) hit.reasons.add(r);
      user.hits.set(key, hit);
      for (const r of roles) user.roles.add(r);
    }
  }
  return [...byUser].flatMap(([userId, { serverName, hits, roles }]) => messages(userId, serverName, hits, roles));
}

/** One post per user and poll, or several ("(1/3)" …) when the lines do not fit one embed (src/notify/split-lines.ts). */
function messages(userId: string, serverName: string, hits: Map<string, Hit>, roles: Set<string>): AlertMessage[] {
  const all = [...hits.values()].sort((a, b) => Number(b.transition.online) - Number(a.transition.online) || a.transition.playerName.localeCompare(b.transition.playerName));
  const on = all.filter((h) => h.transition.online).length;
  const off = all.length - on;
  const title = `👁 ${[on && `${on} came online`, off && `${off} went offline`].filter(Boolean).join(", ")}`;
  const parts = splitAlertLines(all.map(line), INTEL_ALERT_MAX_LINES);
  const digest = createHash("sha256").update([...hits.keys()].sort().join("\n")).digest("hex").slice(0, 32);
  const mentionRoleIds = [...roles].slice(0, 10);
  // A single post keeps the key it always had; parts get their own, fixed by the same sorted transitions.
  if (parts.length === 1) return [{ userId, serverName, dedupeKey: `intel-alert:${userId}:${digest}`, title, lines: parts[0]!, mentionRoleIds }];
  return parts.map((lines, i) => ({ userId, serverName, dedupeKey: `intel-alert:${userId}:${digest}:${i + 1}`, title: `${title} (${i + 1}/${parts.length})`, lines, mentionRoleIds: i === 0 ? mentionRoleIds : [] }));
}

/** "🟢 Bob (noted as Bobby) — tracked, raiders". */
function line(hit: Hit): string {
  const { transition: t, note } = hit;
  const noted = note && note.playerName !== t.playerName ? ` (noted as ${note.playerName})` : "";
  return `${t.online ? "🟢" : "🔴"} ${t.playerName}${noted} — ${[...hit.reasons].join(", ")}`;
}
