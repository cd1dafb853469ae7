// The activity heatmap as a PNG: 7 rows (Mon … Sun) × 24 hour columns, darker to brighter green with the
// minutes online, a title naming the player, a legend of the scale and the time zone the hours are in.
// Drawn with @napi-rs/canvas and the map's shipped fonts (src/map/fonts.ts), encoded like the map (png-encode.ts).
import { createCanvas } from "@napi-rs/canvas";
import { fitText } from "../../bot/fit-text.ts";
import { MAP_FONT, registerMapFonts } from "../../map/fonts.ts";
import { encodePng } from "../../map/png-encode.ts";
import { WEEKDAYS } from "./heatmap.ts";

const CELL = 28;
const GAP = 2;
const LEFT = 52;
const TOP = 56;
const RIGHT = 16;
const BOTTOM = 58;
/** The image's size in pixels. */
export const HEATMAP_WIDTH = LEFT + 24 * (CELL + GAP) + RIGHT;
export const HEATMAP_HEIGHT = TOP + 7 * (CELL + GAP) + BOTTOM;

const BACKGROUND = "#101418";
const TEXT = "#e8e8e8";
const MUTED = "#9aa0a6";
/** The scale from no minutes to the busiest cell (GitHub-like greens on the map's dark background). */
const SCALE = ["#1c2228", "#0e4429", "#006d32", "#26a641", "#39d353"] as const;

/** The scale's colour for `minutes` of `max` (0 → the empty colour; any minute at all is at least the first green). */
export function cellColour(minutes: number, max: number): string {
  if (minutes <= 0 || max <= 0) return SCALE[0];
  const step = Math.min(SCALE.length - 1, 1 + Math.floor((minutes / max) * (SCALE.length - 1) - 1e-9));
  return SCALE[Math.max(1, step)]!;
}

/**
 * The PNG (HEATMAP_WIDTH × HEATMAP_HEIGHT) of `cells` (7 × 24 minutes, as activityHeatmap gives them).
 * `title` names the player and server (cut to fit); `timeZone` is printed under the grid.
 */
export async function renderHeatmap(cells: readonly (readonly number[])[], input: { title: string; timeZone: string; days: number }): Promise<Buffer> {
  registerMapFonts();
  const canvas = createCanvas(HEATMAP_WIDTH, HEATMAP_HEIGHT);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = BACKGROUND;
  ctx.fillRect(0, 0, HEATMAP_WIDTH, HEATMAP_HEIGHT);
  const max = Math.max(0, ...cells.flat());

  ctx.fillStyle = TEXT;
  ctx.font = `bold 16px ${MAP_FONT}`;
  ctx.textBaseline = "alphabetic";
  ctx.textAlign = "left";
  ctx.fillText(fitText(input.title, 70), LEFT, 24);

  ctx.font = `11px ${MAP_FONT}`;
  ctx.fillStyle = MUTED;
  ctx.textAlign = "center";
  for (let hour = 0; hour < 24; hour += 1) ctx.fillText(String(hour).padStart(2, "0"), LEFT + hour * (CELL + GAP) + CELL / 2, TOP - 8);
  ctx.textAlign = "right";
  ctx.textBaseline = "middle";
  WEEKDAYS.forEach((day, row) => {
    const y = TOP + row * (CELL + GAP);
    ctx.fillStyle = MUTED;
    ctx.fillText(day, LEFT - 8, y + CELL / 2);
    for (let hour = 0; hour < 24; hour += 1) {
      ctx.fillStyle = cellColour(cells[row]?.[hour] ?? 0, max);
      ctx.fillRect(LEFT + hour * (CELL + GAP), y, CELL, CELL);
    }
  });

  // Legend: the scale's boxes from 0 to the busiest cell, then the zone.
  const legendY = TOP + 7 * (CELL + GAP) + 14;
  ctx.textAlign = "left";
  ctx.fillStyle = MUTED;
  ctx.fillText("0 min", LEFT, legendY + 7);
  const boxesX = LEFT + 44;
  SCALE.forEach((colour, i) => {
    ctx.fillStyle = colour;
    ctx.fillRect(boxesX + i * 18, legendY, 14, 14);
  });
  ctx.fillStyle = MUTED;
  ctx.fillText(`${Math.round(max)} min (the busiest cell)`, boxesX + SCALE.length * 18 + 6, legendY + 7);
  ctx.fillText(fitText(`Minutes online per weekday and hour over the last ${input.days} days · hours in ${input.timeZone}`, 110), LEFT, legendY + 30);
  return encodePng(ctx, HEATMAP_WIDTH, HEATMAP_HEIGHT);
}
