// The rendered map read back pixel by pixel: a spot painted into the server's own image at the world position the
// research formula gives (ocean margin included) is where viewPixel says it is on our image, and a note's icon is
// drawn there; the grid's edge labels stand over the cells gridLabel names, with the game's cell size.
import { createCanvas, loadImage } from "@napi-rs/canvas";
import { describe, expect, it } from "vitest";
import { gridFor, gridLabel } from "../../src/events/grid.ts";
import { LABEL_PIXELS } from "../../src/map/base-layer.ts";
import { gridBands } from "../../src/map/grid-lines.ts";
import type { MapContent } from "../../src/map/map-content.ts";
import type { StoredMap } from "../../src/map/map-image-store.ts";
import { PALETTE } from "../../src/map/palette.ts";
import { viewPixel } from "../../src/map/projection.ts";
import { MapRenderer } from "../../src/map/render-map.ts";
import { fakeMapImage } from "../fakes/rustplus/map-image.ts";

const SIZE = 4500;
const SPOT = { x: 1234, y: 3456 };

/** The fake server's 4500 m image (3250 px, 500 px of sea) with a pure red 11 px square painted at SPOT. */
async function mapWithSpot(): Promise<StoredMap> {
  const base = fakeMapImage(SIZE);
  const picture = await loadImage(Buffer.from(base.jpgImage));
  const canvas = createCanvas(base.width, base.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(picture, 0, 0);
  // research/rustplus.md: px = x·(w−2m)/size + m, py = h − (y·(h−2m)/size + m).
  const m = base.oceanMargin;
  const px = (SPOT.x * (base.width - 2 * m)) / SIZE + m;
  const py = base.height - ((SPOT.y * (base.height - 2 * m)) / SIZE + m);
  ctx.fillStyle = "#ff0000";
  ctx.fillRect(Math.round(px) - 5, Math.round(py) - 5, 11, 11);
  return { wipeKey: "spot", frame: { width: base.width, height: base.height, oceanMargin: m, mapSize: SIZE }, image: canvas.encodeSync("png"), monuments: [] };
}

const empty = (notes: MapContent["notes"] = [], gameNotes: MapContent["gameNotes"] = []): MapContent => ({ monuments: [], team: [], markers: [], notes, gameNotes, now: 0 });

async function pixels(png: Buffer) {
  const image = await loadImage(png);
  const canvas = createCanvas(image.width, image.height);
  const ctx = canvas.getContext("2d");
  ctx.drawImage(image, 0, 0);
  const data = ctx.getImageData(0, 0, image.width, image.height).data;
  return {
    width: image.width,
    at: (x: number, y: number): [number, number, number] => {
      const i = (Math.round(y) * image.width + Math.round(x)) * 4;
      return [data[i] ?? -1, data[i + 1] ?? -1, data[i + 2] ?? -1];
    },
  };
}

const rgb = (hex: string): [number, number, number] => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)) as [number, number, number];
const near = (a: readonly number[], b: readonly number[], tolerance = 40) => a.every((v, i) => Math.abs(v - (b[i] ?? 0)) <= tolerance);

describe("the map's pixels", () => {
  it("puts a world position where the server's own image has it, and a note's icon on it", async () => {
    const renderer = new MapRenderer();
    const map = await mapWithSpot();
    const { view } = await renderer.base("s1", map);
    const plain = await pixels(await renderer.render("s1", map, empty(), new Set()));
    // The red spot, found in our image: the centre of its red pixels.
    let sx = 0;
    let sy = 0;
    let n = 0;
    for (let y = 0; y < plain.width; y++) {
      for (let x = 0; x < plain.width; x++) {
        const [r, g, b] = plain.at(x, y);
        if (r > 200 && g < 60 && b < 60) {
          sx += x;
          sy += y;
          n++;
        }
      }
    }
    expect(n).toBeGreaterThan(4);
    const expected = viewPixel(view, SPOT.x, SPOT.y);
    expect(Math.abs(sx / n - expected.px)).toBeLessThan(1.5);
    expect(Math.abs(sy / n - expected.py)).toBeLessThan(1.5);

    const note = { category: "TAG" as const, x: SPOT.x, y: SPOT.y, label: null, emoji: null, color: null, createdAt: new Date(0) };
    const custom = { ...note, category: "CUSTOM" as const, x: 3000, y: 1000, color: "#00ff00" };
    const game = { kind: "marker" as const, x: 800, y: 2500 }; // the team's own in-game marker (teamInfo.mapNotes)
    const withNotes = await pixels(await renderer.render("s1", map, empty([note, custom], [game]), new Set(["notes"])));
    const diamond = viewPixel(view, game.x, game.y);
    expect(near(withNotes.at(diamond.px, diamond.py), [255, 255, 255], 10)).toBe(true);
    expect(near(withNotes.at(expected.px + 3, expected.py - 3), rgb(PALETTE.tag))).toBe(true);
    const at = viewPixel(view, custom.x, custom.y);
    expect(near(withNotes.at(at.px + 3, at.py + 3), rgb("#00ff00"))).toBe(true);
    // Off the icon, the map as it was.
    expect(withNotes.at(at.px + 40, at.py + 40)).toEqual(plain.at(at.px + 40, at.py + 40));
  });

  it("labels the grid's edges over the cells gridLabel names, with the game's cell size", async () => {
    const renderer = new MapRenderer();
    const map = await mapWithSpot();
    const { view } = await renderer.base("s2", map);
    const image = await pixels(await renderer.render("s2", map, empty(), new Set(["grid"])));
    const grid = gridFor(SIZE)!;
    expect(grid.cell).toBe(150);
    const { columns, rows } = gridBands(view);
    expect(columns).toHaveLength(30);
    for (const [column, row] of [[0, 0], [7, 12], [29, 29], [14, 3]] as const) {
      // A cell's centre, from the game's cell size alone.
      const x = (column + 0.5) * grid.cell;
      const y = SIZE - (row + 0.5) * grid.cell;
      const { px, py } = viewPixel(view, x, y);
      const c = columns.find((b) => px >= b.from && px < b.to)!;
      const r = rows.find((b) => py >= b.from && py < b.to)!;
      expect(c.label + r.label).toBe(gridLabel(x, y, SIZE));
      // The column's label is drawn in the top strip above that pixel, the row's in the left strip beside it.
      expect(lightNear(image, px, LABEL_PIXELS / 2, "row")).toBe(true);
      expect(lightNear(image, LABEL_PIXELS / 2, py, "column")).toBe(true);
    }
    // Nothing is drawn in the strip over a cell border (labels are centred in their cells).
    const border = columns[10]!.from;
    expect(lightNear(image, border, LABEL_PIXELS / 2, "point")).toBe(false);
  });
});

/** Whether label text (light pixels on the dark strip) is within a few pixels of (x, y), along a row, a column or at a point. */
function lightNear(image: Awaited<ReturnType<typeof pixels>>, x: number, y: number, along: "row" | "column" | "point"): boolean {
  const spread = along === "point" ? 1 : 6;
  for (let d = -spread; d <= spread; d++) {
    for (let e = -5; e <= 5; e++) {
      const [px, py] = along === "column" ? [x + e, y + d] : [x + d, y + e];
      const [r, g, b] = image.at(px, py);
      if (r > 150 && g > 150 && b > 150) return true;
    }
  }
  return false;
}

describe("a custom note's emoji on the map", () => {
  it("a Discord server emoji (<:name:id>, not drawable without fetching it) leaves the pin plain, not its code written across the map", async () => {
    const renderer = new MapRenderer();
    const map = await mapWithSpot();
    const { view } = await renderer.base("s1", map);
    const note = { category: "CUSTOM" as const, x: 3000, y: 1000, label: null, emoji: "<:pepe:123456789012345678>", color: "#00ff00", createdAt: new Date(0) };
    const plainPin = await pixels(await renderer.render("s1", map, empty([{ ...note, emoji: null }]), new Set(["notes"])));
    const withEmoji = await pixels(await renderer.render("s1", map, empty([note]), new Set(["notes"])));
    const at = viewPixel(view, note.x, note.y);
    let changed = 0;
    for (let dy = -6; dy <= 6; dy++) for (let dx = -90; dx <= 90; dx++) if (withEmoji.at(at.px + dx, at.py + dy).join() !== plainPin.at(at.px + dx, at.py + dy).join()) changed++;
    expect(changed).toBe(0);
  });
});
