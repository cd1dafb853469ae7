// World positions (metres, x east, y north, 0 … mapSize) to pixels: on the server's map image, whose playable
// square sits inside `oceanMargin` pixels of sea on every side (research/rustplus.md "Map and game model":
// px = x·(w−2m)/size + m, py = h − (y·(h−2m)/size + m)), and on our rendered view, a scaled crop of that image.
// The only place positions become pixels: every layer and every test goes through `viewPixel`.

/** What getMap told about its image, with the server's map size (metres). */
export interface MapFrame {
  width: number;
  height: number;
  oceanMargin: number;
  mapSize: number;
}

/** A square crop of the image (source pixels), scaled by `scale` and drawn `offset` pixels in from the top left. */
export interface View {
  frame: MapFrame;
  sx: number;
  sy: number;
  side: number;
  scale: number;
  offset: number;
  /** The rendered image's side (pixels), label strip included. */
  size: number;
}

export interface Pixel {
  px: number;
  py: number;
}

/** The pixel of a world position on the server's own image. */
export function imagePixel(frame: MapFrame, x: number, y: number): Pixel {
  const m = frame.oceanMargin;
  return { px: (x * (frame.width - 2 * m)) / frame.mapSize + m, py: frame.height - ((y * (frame.height - 2 * m)) / frame.mapSize + m) };
}

/** The pixel of a world position on the rendered view (may be outside it for positions far out at sea). */
export function viewPixel(view: View, x: number, y: number): Pixel {
  const p = imagePixel(view.frame, x, y);
  return { px: view.offset + (p.px - view.sx) * view.scale, py: view.offset + (p.py - view.sy) * view.scale };
}

/** The inverse of viewPixel: the world position drawn at a pixel of the view. */
export function viewWorld(view: View, px: number, py: number): { x: number; y: number } {
  const f = view.frame;
  const m = f.oceanMargin;
  const ix = view.sx + (px - view.offset) / view.scale;
  const iy = view.sy + (py - view.offset) / view.scale;
  return { x: ((ix - m) * f.mapSize) / (f.width - 2 * m), y: ((f.height - iy - m) * f.mapSize) / (f.height - 2 * m) };
}

/**
 * The view of a map: the playable square plus `seaMetres` of ocean round it (where ships and helicopters come in),
 * scaled to `mapPixels` wide, drawn after a strip of `labelPixels` on the top and left for the grid's labels.
 */
export function makeView(frame: MapFrame, options: { mapPixels: number; labelPixels: number; seaMetres: number }): View {
  const a = imagePixel(frame, -options.seaMetres, frame.mapSize + options.seaMetres);
  const b = imagePixel(frame, frame.mapSize + options.seaMetres, -options.seaMetres);
  const side = b.px - a.px;
  return { frame, sx: a.px, sy: a.py, side, scale: options.mapPixels / side, offset: options.labelPixels, size: options.labelPixels + options.mapPixels };
}
