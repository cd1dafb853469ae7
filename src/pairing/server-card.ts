// How a paired server looks in Discord: its card (state, players, queue, time of day, wipe age, map) and the
// buttons that act on it. Pure, so the live card, /server info and the pairing message agree.
import { escapeMarkdown, type APIEmbed } from "discord.js";
import { customId, Prefix } from "../bot/custom-ids.ts";
import type { PairedServer } from "../generated/prisma/client.ts";
import type { NotificationButton } from "../notify/buttons.ts";
import type { ServerStatus } from "../rustplus/connection-manager.ts";
import type { ServerTime } from "../rustplus/responses.ts";

export type ServerCardRow = Pick<PairedServer, "id" | "serverName" | "ip" | "port" | "live" | "needsRepairSince" | "slotWaitSince">;

const GREEN = 0x2ecc71;
const YELLOW = 0xf1c40f;
const RED = 0xe74c3c;
const GREY = 0x95a5a6;

export const serverLabel = (row: Pick<PairedServer, "serverName" | "ip" | "port">) => row.serverName || `${row.ip}:${row.port}`;

/** One word and a dot for lists. */
export function stateLine(row: ServerCardRow, status: ServerStatus | null): { icon: string; text: string; color: number } {
  if (row.needsRepairSince) return { icon: "🔴", text: "needs pairing again (wiped or revoked)", color: RED };
  if (!row.live) return { icon: "⚪", text: "offline (not connected)", color: GREY };
  if (status?.state.kind === "connected") return { icon: "🟢", text: "connected", color: GREEN };
  // No slot anywhere in the fleet (the game's per-address cap, src/fleet/slot-waits.ts): whatever this process's
  // socket says, the server is not offline and no attempt is being made until a slot frees.
  if (row.slotWaitSince) return { icon: "🟡", text: "waiting for a connection slot", color: YELLOW };
  switch (status?.state.kind) {
    case "rejected":
      return { icon: "🔴", text: "needs pairing again (wiped or revoked)", color: RED };
    case "waiting":
      return { icon: "🟡", text: "unreachable, reconnecting", color: YELLOW };
    case "connecting":
      // Between retries too: the card must not flip at every attempt.
      return status.state.attempt > 0 ? { icon: "🟡", text: "unreachable, reconnecting", color: YELLOW } : { icon: "🟡", text: "connecting", color: YELLOW };
    default:
      return { icon: "🟡", text: "connecting", color: YELLOW };
  }
}

export function serverCard(row: ServerCardRow, status: ServerStatus | null): APIEmbed {
  const state = stateLine(row, status);
  const fields = [{ name: "Status", value: `${state.icon} ${state.text}`, inline: true }];
  const snap = status?.state.kind === "connected" ? status.snapshot : null;
  if (snap) {
    const { info, time } = snap;
    fields.push(
      { name: "Players", value: `${info.players} / ${info.maxPlayers}${info.queuedPlayers ? ` (+${info.queuedPlayers} queued)` : ""}`, inline: true },
      ...(time ? [{ name: "Time", value: timeOfDay(time), inline: true }] : []),
      ...(info.wipeTime > 0 ? [{ name: "Wiped", value: `<t:${info.wipeTime}:R>`, inline: true }] : []),
      { name: "Map", value: `${info.mapSize} m${info.seed ? ` · seed ${info.seed}` : ""}`, inline: true },
    );
  }
  return {
    title: escapeMarkdown(serverLabel(row)), // fitted on the way out (src/bot/fit-payload.ts)
    description: `\`${row.ip}:${row.port}\``,
    color: state.color,
    fields,
  };
}

/** "14:05 ☀️" — in-game clock, with day or night from the server's sunrise and sunset. */
export function timeOfDay(time: ServerTime): string {
  const minutes = Math.floor(time.time * 60) % (24 * 60);
  const clock = `${String(Math.floor(minutes / 60)).padStart(2, "0")}:${String(minutes % 60).padStart(2, "0")}`;
  const day = time.time >= time.sunrise && time.time < time.sunset;
  return `${clock} ${day ? "☀️" : "🌙"}`;
}

/** Connect or Disconnect (whichever applies), and Remove. */
export function serverButtons(row: Pick<PairedServer, "id" | "live" | "needsRepairSince">): NotificationButton[] {
  const toggle: NotificationButton = row.live
    ? { customId: customId(Prefix.server, "disconnect", row.id), label: "Disconnect", style: "secondary" }
    : { customId: customId(Prefix.server, "connect", row.id), label: "Connect", style: "success" };
  return [...(row.needsRepairSince ? [] : [toggle]), { customId: customId(Prefix.server, "remove", row.id), label: "Remove", style: "danger" }];
}
