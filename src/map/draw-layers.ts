// The layers drawn on every request, over the cached base: monuments, vending machines, events, notes, the team.
// Each position goes through viewPixel (projection.ts), so icons sit where the game puts them.
import type { SKRSContext2D } from "@napi-rs/canvas";
import { headOf } from "../bot/fit-text.ts";
import { MarkerKind } from "../events/schemas.ts";
import { monumentName } from "../events/monuments.ts";
import { isServerEmoji } from "../notes/fields.ts";
import { MAP_FONT } from "./fonts.ts";
import type { LabelPlacer } from "./label-placer.ts";
import type { MapContent, MarkerWithHeading } from "./map-content.ts";
import { MEMBER_COLOURS, PALETTE } from "./palette.ts";
import { viewPixel, type View } from "./projection.ts";

export const NOTE_ICON_RADIUS = 8;

export function drawMonuments(ctx: SKRSContext2D, view: View, content: MapContent, labels: LabelPlacer): void {
  ctx.font = `bold 12px ${MAP_FONT}`;
  for (const m of content.monuments) {
    const name = monumentName(m.token);
    if (!name) continue;
    const { px, py } = viewPixel(view, m.x, m.y);
    ctx.fillStyle = PALETTE.monument;
    ctx.beginPath();
    ctx.arc(px, py, 3, 0, Math.PI * 2);
    ctx.fill();
    labels.place(name, px, py, 5);
  }
}

/** Vending machines as small squares, grey when sold out. */
export function drawShops(ctx: SKRSContext2D, view: View, markers: readonly MarkerWithHeading[]): void {
  for (const m of markers) {
    if (m.type !== MarkerKind.VendingMachine) continue;
    const { px, py } = viewPixel(view, m.x, m.y);
    ctx.fillStyle = m.outOfStock ? PALETTE.shopEmpty : PALETTE.shop;
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 1;
    ctx.fillRect(px - 3, py - 3, 6, 6);
    ctx.strokeRect(px - 3, py - 3, 6, 6);
  }
}

const EVENT_STYLE: Partial<Record<number, { colour: string; name: string }>> = {
  [MarkerKind.CargoShip]: { colour: PALETTE.cargo, name: "Cargo" },
  [MarkerKind.PatrolHelicopter]: { colour: PALETTE.heli, name: "Heli" },
  [MarkerKind.CH47]: { colour: PALETTE.ch47, name: "Chinook" },
  [MarkerKind.TravelingVendor]: { colour: PALETTE.vendor, name: "Vendor" },
};

/** Cargo, patrol helicopter, Chinook and travelling vendor as arrows pointing where they head (when reported). */
export function drawEvents(ctx: SKRSContext2D, view: View, markers: readonly MarkerWithHeading[], labels: LabelPlacer): void {
  ctx.font = `bold 11px ${MAP_FONT}`;
  for (const m of markers) {
    const style = EVENT_STYLE[m.type];
    if (!style) continue;
    const { px, py } = viewPixel(view, m.x, m.y);
    ctx.save();
    ctx.translate(px, py);
    // Rust+ rotation: degrees clockwise from north on the map (an arrow up is heading north).
    if (m.rotation !== undefined) ctx.rotate((m.rotation * Math.PI) / 180);
    ctx.fillStyle = style.colour;
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(0, -10);
    ctx.lineTo(7, 8);
    ctx.lineTo(0, 4);
    ctx.lineTo(-7, 8);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
    ctx.restore();
    labels.reserve(px - 10, py - 10, 20, 20);
    labels.place(style.name, px, py, 11, style.colour);
  }
}

const NOTE_COLOUR = { TAG: PALETTE.tag, SAM: PALETTE.sam, DEATH: PALETTE.death, CUSTOM: PALETTE.custom } as const;
const NOTE_GLYPH = { TAG: "", SAM: "S", DEATH: "✕", CUSTOM: "" } as const;

/** A note's fill colour: a custom note's own "#rrggbb", else its category's. */
export function noteColour(note: { category: keyof typeof NOTE_COLOUR; color: string | null }): string {
  return note.category === "CUSTOM" && note.color && /^#[0-9a-f]{6}$/i.test(note.color) ? note.color : NOTE_COLOUR[note.category];
}

/** Notes as round pins in their category's colour; a death marker with its time, a custom note with its emoji. */
export function drawNotes(ctx: SKRSContext2D, view: View, content: MapContent, labels: LabelPlacer): void {
  for (const note of content.notes) {
    const { px, py } = viewPixel(view, note.x, note.y);
    ctx.fillStyle = noteColour(note);
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 2;
    ctx.beginPath();
    ctx.arc(px, py, NOTE_ICON_RADIUS, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
    // A Discord server emoji is an image on Discord's CDN: the renderer fetches nothing, so its pin stays plain.
    const glyph = note.category === "CUSTOM" ? (note.emoji && !isServerEmoji(note.emoji) ? note.emoji : "") : NOTE_GLYPH[note.category];
    if (glyph) {
      ctx.fillStyle = "#000";
      ctx.font = `bold 10px ${MAP_FONT}`;
      ctx.textAlign = "center";
      ctx.textBaseline = "middle";
      ctx.fillText(glyph, px, py + 0.5);
    }
    labels.reserve(px - NOTE_ICON_RADIUS, py - NOTE_ICON_RADIUS, 2 * NOTE_ICON_RADIUS, 2 * NOTE_ICON_RADIUS);
    const text = note.category === "DEATH" ? [note.label, clock(note.createdAt)].filter(Boolean).join(" ") : (note.label ?? "");
    ctx.font = `11px ${MAP_FONT}`;
    if (text) labels.place(headOf(text, 40), px, py, NOTE_ICON_RADIUS + 2);
  }
}

/** The team's in-game markers as white diamonds (a death as a red one): what players placed on the game's own map. */
export function drawGameNotes(ctx: SKRSContext2D, view: View, content: MapContent, labels: LabelPlacer): void {
  for (const note of content.gameNotes) {
    const { px, py } = viewPixel(view, note.x, note.y);
    ctx.fillStyle = note.kind === "last-death" ? PALETTE.death : "#ffffff";
    ctx.strokeStyle = "#000";
    ctx.lineWidth = 1.5;
    ctx.beginPath();
    ctx.moveTo(px, py - 7);
    ctx.lineTo(px + 7, py);
    ctx.lineTo(px, py + 7);
    ctx.lineTo(px - 7, py);
    ctx.closePath();
    ctx.fill();
    ctx.stroke();
    labels.reserve(px - 7, py - 7, 14, 14);
  }
}

/** "14:05 UTC": when a death happened. */
const clock = (at: Date): string => `${at.toISOString().slice(11, 16)} UTC`;

export type MemberState = "online" | "offline" | "dead";

export const memberState = (m: { isOnline: boolean; isAlive: boolean }): MemberState => (!m.isAlive ? "dead" : m.isOnline ? "online" : "offline");

/** Each member a ring in their own colour, filled by their state; returns the legend's rows. */
export function drawTeam(ctx: SKRSContext2D, view: View, content: MapContent, labels: LabelPlacer): { name: string; colour: string; state: MemberState }[] {
  const members = [...(content.team ?? [])].sort((a, b) => a.steamId.localeCompare(b.steamId));
  const legend: { name: string; colour: string; state: MemberState }[] = [];
  ctx.font = `bold 11px ${MAP_FONT}`;
  members.forEach((m, i) => {
    const colour = MEMBER_COLOURS[i % MEMBER_COLOURS.length] ?? PALETTE.online;
    const state = memberState(m);
    legend.push({ name: m.name, colour, state });
    const { px, py } = viewPixel(view, m.x, m.y);
    ctx.lineWidth = 3;
    ctx.strokeStyle = colour;
    ctx.fillStyle = state === "online" ? PALETTE.online : state === "dead" ? PALETTE.dead : PALETTE.offline;
    ctx.beginPath();
    ctx.arc(px, py, 6, 0, Math.PI * 2);
    ctx.fill();
    ctx.stroke();
    labels.reserve(px - 8, py - 8, 16, 16);
    labels.place(headOf(m.name, 24), px, py, 9, colour);
  });
  return legend;
}

/** The team legend in the bottom-left corner: colour, name, state. */
export function drawLegend(ctx: SKRSContext2D, view: View, rows: { name: string; colour: string; state: MemberState }[]): void {
  if (!rows.length) return;
  const shown = rows.slice(0, 12);
  const lineH = 18;
  const w = 230;
  const h = shown.length * lineH + 10;
  const x = view.offset + 8;
  const y = view.size - h - 8;
  ctx.fillStyle = "rgba(0, 0, 0, 0.65)";
  ctx.fillRect(x, y, w, h);
  ctx.font = `12px ${MAP_FONT}`;
  ctx.textAlign = "left";
  ctx.textBaseline = "middle";
  shown.forEach((row, i) => {
    const cy = y + 5 + lineH * i + lineH / 2;
    ctx.fillStyle = row.colour;
    ctx.beginPath();
    ctx.arc(x + 12, cy, 5, 0, Math.PI * 2);
    ctx.fill();
    ctx.fillStyle = row.state === "online" ? PALETTE.online : row.state === "dead" ? PALETTE.dead : PALETTE.offline;
    ctx.fillText(`${headOf(row.name, 20)} · ${row.state}`, x + 24, cy, w - 30);
  });
}
