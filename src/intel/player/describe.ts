// Lines shared by /player's answers: where the names come from and how far to trust them.
import type { IntelServer } from "../../generated/prisma/client.ts";
import { escapeMarkdown } from "discord.js";
import { fitText } from "../../bot/fit-text.ts";
import { shortDuration } from "../../ingame/format.ts";

export const stamp = (at: Date, style: "R" | "f" | "d" = "R") => `<t:${Math.floor(at.getTime() / 1000)}:${style}>`;

/**
 * A player's name as Discord text, cut to `max`: markdown escaped rather than dropped ("xX_Raider_Xx" stays
 * itself, so it can be typed back into \`player:\`), masked links escaped, bidi overrides dropped.
 */
export const playerText = (name: string, max = 64) =>
  escapeMarkdown(fitText(name.replace(/[\u202A-\u202E\u2066-\u2069]/g, ""), max), { maskedLink: true });

/** A player's name inside our bold (playerText), or "(blank name)". */
export const playerLabel = (name: string) => playerText(name) || "(blank name)";

/** "3h 5m", "12m", "45s", "2d 4h". */
export const duration = shortDuration;

/**
 * What the list is and how far to trust it: the source (the server's own Steam query: names only), when the
 * server last answered, a list shorter than the server's player count (A2S caps it), streamer mode.
 * `listed`: how many are online in the stored sessions (the poll's list). `tooFastSince`: the poll's
 * IntelPoller.listTooFastSince for this server (its new sessions are not being recorded).
 */
export function sourceLines(intel: IntelServer, listed: number, tooFastSince?: Date): string[] {
  const lines: string[] = [];
  const when = intel.lastAnsweredAt ? `, last answer ${stamp(intel.lastAnsweredAt)}` : "";
  lines.push(`-# Source: the server's own Steam query (A2S: names and time connected only, no Steam ids)${when}.`);
  if (intel.unreachableSince) lines.push(`⚠️ The server has not answered since ${stamp(intel.unreachableSince)}: this is what it said last.`);
  if (intel.players !== null && intel.players > listed) {
    lines.push(`⚠️ The server counts ${intel.players} players but lists ${listed}: its list is capped, so some players online are not shown.`);
  }
  if (tooFastSince) lines.push(`⚠️ This server's list changes too fast to record (more new names an hour than its slots make plausible) since ${stamp(tooFastSince)}: players who came since then are not shown.`);
  if (intel.streamerMode) lines.push("⚠️ The names look like streamer-mode names (random names chosen by the game): names are unreliable on this server.");
  return lines;
}
