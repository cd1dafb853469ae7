// A note as one line of Discord text: its icon, label, place and how long it stays. Times as Discord
// timestamps, so every reader sees them in their own time zone.
import type { MapNote, MapNoteCategory } from "../generated/prisma/client.ts";
import { gridOf } from "../events/grid.ts";
import { fitText } from "../bot/fit-text.ts";
import { plain } from "../bot/plain-text.ts";
import type { TeamMarker } from "./team-markers.ts";

export const CATEGORY_ICONS: Record<MapNoteCategory, string> = { TAG: "🏷️", SAM: "🚀", DEATH: "💀", CUSTOM: "📍" };
export const CATEGORY_NAMES: Record<MapNoteCategory, string> = { TAG: "tag", SAM: "SAM site", DEATH: "death", CUSTOM: "custom" };

const stamp = (at: Date, style: "f" | "R") => `<t:${Math.floor(at.getTime() / 1000)}:${style}>`;

/** "G12", or metres when the map size is unknown (0) or the position is off the grid. */
export function whereText(x: number, y: number, mapSize: number): string {
  return gridOf(x, y, mapSize) ?? `${Math.round(x)},${Math.round(y)} m`;
}

export function noteIcon(note: Pick<MapNote, "category" | "emoji">): string {
  return note.category === "CUSTOM" && note.emoji ? note.emoji : CATEGORY_ICONS[note.category];
}

/**
 * A label inside our bold text: formatting characters dropped (plain) and brackets escaped, so a label shaped
 * like a masked link ("[free kit](https://…)") shows its address instead of hiding it behind other words.
 */
export function labelText(label: string, max = 100): string {
  return plain(fitText(label, max)).replace(/[[\]]/g, "\\$&");
}

/** 🏷️ **stash** at G12 — until the wipe · 💀 Bob died at K10 — <time> */
export function noteLine(note: MapNote, mapSize: number): string {
  const label = note.label ? `**${labelText(note.label)}**` : `a ${CATEGORY_NAMES[note.category]}`;
  const when =
    note.category === "DEATH"
      ? stamp(note.createdAt, "f")
      : note.expiresAt
        ? `ends ${stamp(note.expiresAt, "R")}`
        : "until the wipe";
  return `${noteIcon(note)} ${label} at ${whereText(note.x, note.y, mapSize)} — ${when}`;
}

/** A plain one-line name for autocomplete (no markdown; Discord shows it raw). */
export function noteChoiceName(note: MapNote, mapSize: number, serverName: string): string {
  const label = note.label ?? CATEGORY_NAMES[note.category];
  return fitText(`${noteIcon(note)} ${label} — ${whereText(note.x, note.y, mapSize)} · ${serverName}`, 100);
}

const MARKER_TEXT: Record<TeamMarker["kind"], string> = {
  marker: "📌 in-game marker",
  "leader-marker": "📌 leader's in-game marker",
  "last-death": "☠️ last death (in game)",
};

export function markerLine(marker: TeamMarker, mapSize: number): string {
  return `${MARKER_TEXT[marker.kind]} at ${whereText(marker.x, marker.y, mapSize)} — read-only, set in game`;
}
