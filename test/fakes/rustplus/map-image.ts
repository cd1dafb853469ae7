// The map image getMap answers, shaped like a real one: a JPEG of the map at 2 world metres per pixel inside an
// ocean margin of 500 pixels, so a 3000 m map is 2500 × 2500 and a 4500 m map 3250 × 3250. Source: a public Rust+
// tool's projection test ("Real geometry, read off a live server (procedural 5650 map)": a 3825 × 3825 image with
// oceanMargin 500, "a clean 2 world units per pixel"), and the research notes (research/rustplus.md: the pixel
// formula with oceanMargin). The picture: sea, an island with a beach, a few darker patches; drawn once per size.
import { createCanvas } from "@napi-rs/canvas";

export const OCEAN_MARGIN = 500;
export const METRES_PER_PIXEL = 2;

export interface FakeMapImage {
  width: number;
  height: number;
  oceanMargin: number;
  jpgImage: Uint8Array;
}

const made = new Map<number, FakeMapImage>();

export function fakeMapImage(mapSize: number): FakeMapImage {
  let image = made.get(mapSize);
  if (!image) made.set(mapSize, (image = draw(mapSize)));
  return image;
}

function draw(mapSize: number): FakeMapImage {
  const land = Math.max(1, Math.round(mapSize / METRES_PER_PIXEL));
  const side = land + 2 * OCEAN_MARGIN;
  const canvas = createCanvas(side, side);
  const ctx = canvas.getContext("2d");
  ctx.fillStyle = "#2b4d6a";
  ctx.fillRect(0, 0, side, side);
  const inset = OCEAN_MARGIN + land * 0.04;
  ctx.fillStyle = "#c8b98a";
  ctx.fillRect(inset - 12, inset - 12, side - 2 * inset + 24, side - 2 * inset + 24);
  ctx.fillStyle = "#5f7d3a";
  ctx.fillRect(inset, inset, side - 2 * inset, side - 2 * inset);
  ctx.fillStyle = "#4a6530";
  for (let i = 0; i < 12; i++) {
    // Fixed pseudo-random patches (forest), the same on every run.
    const x = inset + ((i * 7919) % 97) / 97 * (side - 2 * inset - 200);
    const y = inset + ((i * 104729) % 89) / 89 * (side - 2 * inset - 200);
    ctx.fillRect(x, y, 200, 150);
  }
  return { width: side, height: side, oceanMargin: OCEAN_MARGIN, jpgImage: canvas.encodeSync("jpeg", 85) };
}
