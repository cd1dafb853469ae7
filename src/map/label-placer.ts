// Crude collision avoidance for text on the map: each label tries a few spots round its point and takes the first
// that overlaps no label already placed; one that fits nowhere is left out rather than drawn over another.
import type { SKRSContext2D } from "@napi-rs/canvas";
import { PALETTE } from "./palette.ts";

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

const overlaps = (a: Box, b: Box): boolean => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;

export class LabelPlacer {
  readonly #placed: Box[] = [];

  constructor(private readonly ctx: SKRSContext2D, private readonly bounds: Box) {}

  /** Keeps a drawn thing (an icon) free of later labels. */
  reserve(x: number, y: number, w: number, h: number): void {
    this.#placed.push({ x, y, w, h });
  }

  /** Draws `text` (with the context's font) near (px, py), `gap` pixels from it; false when no spot was free. */
  place(text: string, px: number, py: number, gap: number, colour: string = PALETTE.labelText): boolean {
    const w = this.ctx.measureText(text).width + 4;
    const h = 14;
    const spots: Box[] = [
      { x: px - w / 2, y: py + gap, w, h },
      { x: px - w / 2, y: py - gap - h, w, h },
      { x: px + gap, y: py - h / 2, w, h },
      { x: px - gap - w, y: py - h / 2, w, h },
    ];
    const b = this.bounds;
    const spot = spots.find((s) => s.x >= b.x && s.y >= b.y && s.x + s.w <= b.x + b.w && s.y + s.h <= b.y + b.h && !this.#placed.some((p) => overlaps(p, s)));
    if (!spot) return false;
    this.#placed.push(spot);
    this.ctx.textAlign = "left";
    this.ctx.textBaseline = "middle";
    // A dark plate behind the text keeps it readable on any ground; much cheaper to draw than a stroked halo.
    this.ctx.fillStyle = PALETTE.textHalo;
    this.ctx.fillRect(spot.x, spot.y, spot.w, spot.h);
    this.ctx.fillStyle = colour;
    this.ctx.fillText(text, spot.x + 2, spot.y + h / 2);
    return true;
  }
}
