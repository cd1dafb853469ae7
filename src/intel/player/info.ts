// /player info: a player's names, first and last seen, online now, time online this wipe, this team's note and
// tags, and the 7×24 activity heatmap of the last 30 days in the viewer's time zone.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { fitText } from "../../bot/fit-text.ts";
import { plain } from "../../bot/plain-text.ts";
import { duration, playerLabel, playerText, sourceLines, stamp } from "./describe.ts";
import { activityHeatmap, HEATMAP_DAYS } from "./heatmap.ts";
import { renderHeatmap } from "./heatmap-image.ts";
import { playerHistory, timeOnline } from "./history.ts";
import { serverName, type PlayerTarget } from "./player-target.ts";

export const HEATMAP_FILE_NAME = "activity.png";

export interface PlayerInfo {
  content: string;
  /** The heatmap PNG; absent when the player was never seen (a name only noted). */
  png?: Buffer;
}

/** `extra`: lines added after the team's note (BattleMetrics' view, when asked for). */
export async function playerInfo(prisma: PrismaClient, target: PlayerTarget, timeZone: string, extra: string[] = [], now = new Date()): Promise<PlayerInfo> {
  const { intel, note } = target;
  const server = serverName(target);
  const history = intel ? await playerHistory(prisma, intel.id, target.name, note) : { names: [target.name], steamIds: note?.steamId ? [note.steamId] : [], sessions: [] };
  const { sessions } = history;
  const lines: string[] = [];
  const open = sessions.filter((s) => s.endedAt === null);
  const first = sessions[0];
  const last = sessions.reduce<Date | null>((at, s) => (at && at > (s.endedAt ?? s.lastSeenAt) ? at : (s.endedAt ?? s.lastSeenAt)), null);
  const onlineSince = open.reduce<Date | null>((at, s) => (at && at < s.startedAt ? at : s.startedAt), null);
  const status = onlineSince ? `🟢 online now, for ${duration(now.getTime() - onlineSince.getTime())}` : last ? `⚫ offline, last seen ${stamp(last)}` : "⚫ not seen in the sessions kept";
  lines.push(`**${playerLabel(target.name)}** on **${server}** — ${status}`);
  if (history.names.length > 1) lines.push(`Names: ${history.names.map((n) => playerText(n, 40)).join(", ")}`);
  if (history.steamIds.length) lines.push(`Steam id: ${history.steamIds.join(", ")}`);
  if (first && last) lines.push(`First seen ${stamp(first.startedAt, "f")} · last seen ${onlineSince ? "now" : stamp(last, "f")}`);
  if (intel) {
    // Without a known wipe, the window the line names: an open session may have started long before it.
    const from = intel.wipeAt?.getTime() ?? now.getTime() - HEATMAP_DAYS * 86_400_000;
    const wipe = intel.wipeAt ? `this wipe (since ${stamp(intel.wipeAt, "d")})` : `in the last ${HEATMAP_DAYS} days (the wipe is not known yet)`;
    lines.push(`Time online ${wipe}: **${duration(timeOnline(sessions, from, now.getTime()))}**`);
  }
  if (note?.tracked || note?.tags.length) lines.push([note.tracked ? "📌 tracked" : "", note.tags.length ? `tags: ${note.tags.map((t) => `\`${t}\``).join(" ")}` : ""].filter(Boolean).join(" · "));
  if (note?.note) lines.push(`📝 ${fitText(plain(note.note), 1000)}`);
  lines.push(...extra);
  if (intel) lines.push(...sourceLines(intel, open.length).slice(0, 1));
  if (!sessions.length) return { content: fitText(lines.join("\n"), 2000) };
  lines.push(`Activity over the last ${HEATMAP_DAYS} days, hours in **${timeZone}** (change with \`timezone:\`).`);
  const cells = activityHeatmap(sessions, timeZone, now);
  const png = await renderHeatmap(cells, { title: `${target.name} on ${serverName(target)}`, timeZone, days: HEATMAP_DAYS });
  return { content: fitText(lines.join("\n"), 2000), png };
}
