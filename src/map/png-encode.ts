// PNG encoding of a rendered map with pngjs. Skia's encoder (canvas.encode("png")) compresses hard and took
// 100–200 ms for a 1,400 px map on this machine, most of /map's time. pngjs with unfiltered rows and a low
// deflate level streams through Node's zlib on its thread pool (the event loop stays free) and is 3–4× faster;
// the file is a little larger but far below Discord's limit. pngjs defaults to zlib's RLE strategy, which made
// 7× larger files here: the default strategy is asked for.
import { PNG } from "pngjs";
import type { SKRSContext2D } from "@napi-rs/canvas";

/** The context's pixels (width × height from the top left, RGBA) as a PNG file. */
export function encodePng(ctx: SKRSContext2D, width: number, height: number): Promise<Buffer> {
  const png = new PNG({ width, height, colorType: 6, inputColorType: 6, bitDepth: 8, filterType: 0, deflateLevel: 3, deflateStrategy: 0 });
  const pixels = ctx.getImageData(0, 0, width, height).data;
  png.data = Buffer.from(pixels.buffer, pixels.byteOffset, pixels.byteLength);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    png
      .pack()
      .on("data", (chunk: Buffer) => chunks.push(chunk))
      .on("end", () => resolve(Buffer.concat(chunks)))
      .on("error", reject);
  });
}
