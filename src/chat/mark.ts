// Where a paired server's team chat was last bridged up to, and what the game's chat history holds after it.
//
// The game keeps a team's last 20 lines in memory only (CompanionServer.ChatLog, MaxBacklog = 20: the oldest is
// dropped; the log is empty again after a server restart) and answers getTeamChat with them oldest first
// (CompanionServer/Handlers/TeamChat.cs; both in the decompiled server, e.g. iraizo/rustpseudo). A line's time is
// whole seconds, so the mark is the newest bridged second plus the identities of the lines bridged at that second.
import { createHash } from "node:crypto";
import { z } from "zod";
import { fitText } from "../bot/fit-text.ts";
import { teamMessage, type TeamMessage } from "./bridge-in.ts";

export interface ChatMark {
  /** Unix seconds of the newest line handled. */
  time: number;
  /** lineId of every line handled at `time`. */
  lines: string[];
}

/** Identities kept for one second: a team says far fewer lines than this in a second. */
const LINES_PER_SECOND = 50;

/** The text a line is posted with (and known by): trimmed, fitted to 512 characters. */
export function lineText(message: string): string {
  return fitText(message.trim(), 512);
}

/** Who, when and what: the same line read live and from the history is one line. Identical lines in one second are one. */
export function lineId(line: Pick<TeamMessage, "steamId" | "time" | "message">): string {
  const digest = createHash("sha256").update(lineText(line.message)).digest("hex").slice(0, 16);
  return `${line.steamId}:${line.time}:${digest}`;
}

/** Whether `line` comes after the mark (every line does when there is no mark yet). */
export function isAfter(mark: ChatMark | null, line: TeamMessage): boolean {
  if (!mark || line.time > mark.time) return true;
  return line.time === mark.time && !mark.lines.includes(lineId(line));
}

/** The mark once `line` is handled too; a line older than the mark leaves it as it is. */
export function advance(mark: ChatMark | null, line: TeamMessage): ChatMark {
  const id = lineId(line);
  if (!mark || line.time > mark.time) return { time: line.time, lines: [id] };
  if (line.time < mark.time || mark.lines.includes(id)) return mark;
  return { time: mark.time, lines: [...mark.lines, id].slice(-LINES_PER_SECOND) };
}

/** The mark that counts every line of `history` as handled (the first read of a server's chat). */
export function markAll(history: readonly TeamMessage[]): ChatMark {
  return history.reduce<ChatMark>((mark, line) => advance(mark, line), { time: 0, lines: [] });
}

/** The mark stored on a PairedServer row (null time: the server's chat was never read). */
export function storedMark(row: { teamChatMarkTime: bigint | null; teamChatMarkLines: string[] }): ChatMark | null {
  return row.teamChatMarkTime === null ? null : { time: Number(row.teamChatMarkTime), lines: row.teamChatMarkLines };
}

export type ChatHistory = { ok: true; lines: TeamMessage[] } | { ok: false; reason: string };

/**
 * The valid lines of a getTeamChat answer (`response.teamChat.messages`), oldest first (sorted by time, the server's
 * order kept within a second). Absent fields read as their defaults (name "", time 0); a line that still does not
 * validate is left out, not the whole history. Not ok when the answer holds no teamChat at all.
 */
export function parseHistory(teamChat: unknown): ChatHistory {
  const parsed = z.object({ messages: z.array(z.unknown()).nullish() }).safeParse(teamChat);
  if (!parsed.success) return { ok: false, reason: "the answer holds no team chat" };
  const lines = (parsed.data.messages ?? []).flatMap((raw) => {
    const line = teamMessage.safeParse(raw);
    return line.success ? [line.data] : [];
  });
  return { ok: true, lines: lines.map((line, i) => ({ line, i })).sort((a, b) => a.line.time - b.line.time || a.i - b.i).map((x) => x.line) };
}
