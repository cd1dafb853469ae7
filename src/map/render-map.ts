// One map image: the cached base of the server's wipe, then the layers asked for, encoded as PNG.
import { createCanvas } from "@napi-rs/canvas";
import { BaseLayerCache, drawBaseLayer, type BaseLayer } from "./base-layer.ts";
import { drawEvents, drawGameNotes, drawLegend, drawMonuments, drawNotes, drawShops, drawTeam } from "./draw-layers.ts";
import { LabelPlacer } from "./label-placer.ts";
import type { LayerSet } from "./layers.ts";
import type { MapContent } from "./map-content.ts";
import type { StoredMap } from "./map-image-store.ts";
import { encodePng } from "./png-encode.ts";

/** Discord's smallest upload limit for a bot's message (bytes); our images are far below it. */
export const DISCORD_UPLOAD_LIMIT = 10 * 1024 * 1024;

export class MapRenderer {
  readonly #bases: BaseLayerCache;

  /** `cacheLimit`: wipes kept drawn; each holds two 1,426 px canvases, about 16 MB. */
  constructor(cacheLimit = 6) {
    this.#bases = new BaseLayerCache(cacheLimit);
  }

  /** The base of a server's wipe, drawn the first time it is asked for. */
  base(serverId: string, map: StoredMap): Promise<BaseLayer> {
    return this.#bases.get(`${serverId}:${map.wipeKey}`, () => drawBaseLayer(map.image, map.frame));
  }

  /**
   * The PNG of a map with the given layers.
   * @throws Error when the stored image cannot be decoded, or the PNG would exceed Discord's limit.
   */
  async render(serverId: string, map: StoredMap, content: MapContent, layers: LayerSet): Promise<Buffer> {
    const base = await this.base(serverId, map);
    const { view } = base;
    const canvas = createCanvas(view.size, view.size);
    const ctx = canvas.getContext("2d");
    ctx.drawImage(layers.has("grid") ? base.gridded : base.plain, 0, 0);
    const labels = new LabelPlacer(ctx, { x: view.offset, y: view.offset, w: view.size - view.offset, h: view.size - view.offset });
    // Drawn in order of importance for the labels: the team's names win a spot over a monument's.
    let legend: ReturnType<typeof drawTeam> = [];
    if (layers.has("team")) legend = drawTeam(ctx, view, content, labels);
    if (layers.has("notes")) {
      drawNotes(ctx, view, content, labels);
      drawGameNotes(ctx, view, content, labels);
    }
    if (layers.has("events") && content.markers) drawEvents(ctx, view, content.markers, labels);
    if (layers.has("shops") && content.markers) drawShops(ctx, view, content.markers);
    if (layers.has("monuments")) drawMonuments(ctx, view, content, labels);
    drawLegend(ctx, view, legend);
    let png = await encodePng(ctx, view.size, view.size);
    // A very busy picture compresses badly unfiltered: Skia's slower, tighter encoder then.
    if (png.length > DISCORD_UPLOAD_LIMIT) png = await canvas.encode("png");
    if (png.length > DISCORD_UPLOAD_LIMIT) throw new Error(`the map image is ${png.length} bytes, over Discord's upload limit`);
    return png;
  }
}
