// The static part of a map image: the server's picture cropped, scaled and overlaid with the grid and its edge
// labels. Drawn once per wipe (keyed by server and wipe) and kept in memory, a bounded number of them, least
// recently used first out; every request then only copies it and draws what moves.
import { createCanvas, loadImage, type Canvas, type SKRSContext2D } from "@napi-rs/canvas";
import { MAP_FONT, registerMapFonts } from "./fonts.ts";
import { gridBands } from "./grid-lines.ts";
import { PALETTE } from "./palette.ts";
import { makeView, type MapFrame, type View } from "./projection.ts";

/** The rendered map's side without the label strip (pixels): as sharp as Discord shows a full-size image, and small enough to encode fast. */
export const MAP_PIXELS = 1400;
export const LABEL_PIXELS = 26;
/** Ocean shown round the island (metres): where cargo and the helicopter come in. */
export const SEA_METRES = 300;

export interface BaseLayer {
  view: View;
  /** The picture without the grid, and with it. */
  plain: Canvas;
  gridded: Canvas;
}

/**
 * Draws the base of a map from the server's image bytes (JPEG or PNG).
 * @throws Error when the bytes are not an image or the frame does not fit them.
 */
export async function drawBaseLayer(image: Uint8Array, frame: MapFrame): Promise<BaseLayer> {
  registerMapFonts();
  const picture = await loadImage(Buffer.from(image));
  if (picture.width !== frame.width || picture.height !== frame.height) {
    throw new Error(`the map image is ${picture.width}×${picture.height}, the server said ${frame.width}×${frame.height}`);
  }
  const view = makeView(frame, { mapPixels: MAP_PIXELS, labelPixels: LABEL_PIXELS, seaMetres: SEA_METRES });
  const plain = createCanvas(view.size, view.size);
  const ctx = plain.getContext("2d");
  ctx.fillStyle = PALETTE.background;
  ctx.fillRect(0, 0, view.size, view.size);
  ctx.drawImage(picture, view.sx, view.sy, view.side, view.side, view.offset, view.offset, MAP_PIXELS, MAP_PIXELS);
  drawLabels(ctx, view);
  const gridded = createCanvas(view.size, view.size);
  const g = gridded.getContext("2d");
  g.drawImage(plain, 0, 0);
  drawGrid(g, view);
  return { view, plain, gridded };
}

/** Column letters above and row numbers left of the map, centred on their cells. */
function drawLabels(ctx: SKRSContext2D, view: View): void {
  const { columns, rows } = gridBands(view);
  ctx.fillStyle = PALETTE.labelText;
  ctx.textAlign = "center";
  ctx.textBaseline = "middle";
  const fontPx = Math.min(14, Math.floor(Math.abs(columns[0] ? columns[0].to - columns[0].from : 14) * 0.8));
  ctx.font = `bold ${fontPx}px ${MAP_FONT}`;
  for (const c of columns) ctx.fillText(c.label, (c.from + c.to) / 2, LABEL_PIXELS / 2, Math.abs(c.to - c.from));
  for (const r of rows) ctx.fillText(r.label, LABEL_PIXELS / 2, (r.from + r.to) / 2, LABEL_PIXELS - 2);
}

/** Cell borders, and each cell's label in its top-left corner as the game's map shows it. */
function drawGrid(ctx: SKRSContext2D, view: View): void {
  const { columns, rows } = gridBands(view);
  const first = columns[0];
  const lastColumn = columns.at(-1);
  const top = rows[0];
  const lastRow = rows.at(-1);
  if (!first || !lastColumn || !top || !lastRow) return;
  ctx.strokeStyle = PALETTE.gridLine;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const x of [...columns.map((c) => c.from), lastColumn.to]) {
    ctx.moveTo(Math.round(x) + 0.5, top.from);
    ctx.lineTo(Math.round(x) + 0.5, lastRow.to);
  }
  for (const y of [...rows.map((r) => r.from), lastRow.to]) {
    ctx.moveTo(first.from, Math.round(y) + 0.5);
    ctx.lineTo(lastColumn.to, Math.round(y) + 0.5);
  }
  ctx.stroke();
  const cellPx = first.to - first.from;
  if (cellPx < 24) return;
  ctx.font = `${Math.floor(cellPx / 4.5)}px ${MAP_FONT}`;
  ctx.fillStyle = PALETTE.gridText;
  ctx.textAlign = "left";
  ctx.textBaseline = "top";
  for (const c of columns) for (const r of rows) ctx.fillText(c.label + r.label, c.from + 2, r.from + 2);
}

/** Base layers by key, at most `limit`, the least recently used dropped first. */
export class BaseLayerCache {
  readonly #entries = new Map<string, Promise<BaseLayer>>();

  constructor(private readonly limit = 8) {}

  /** The cached layer for `key`, or the one `draw` makes (a failed draw is not kept). */
  get(key: string, draw: () => Promise<BaseLayer>): Promise<BaseLayer> {
    let entry = this.#entries.get(key);
    if (entry) this.#entries.delete(key);
    else entry = draw();
    this.#entries.set(key, entry);
    entry.catch(() => this.#entries.get(key) === entry && this.#entries.delete(key));
    while (this.#entries.size > this.limit) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
    return entry;
  }

  get size(): number {
    return this.#entries.size;
  }
}
