// A getMap answer is measured before it is decoded or stored: an image larger than any real map's, or whose header
// disagrees with the sizes the answer states, is refused without allocating its pixels.
import { describe, expect, it } from "vitest";
import { imageSize } from "../../src/map/image-size.ts";
import { saveMap } from "../../src/map/map-image-store.ts";
import type { PrismaClient } from "../../src/generated/prisma/client.ts";
import { fakeMapImage } from "../fakes/rustplus/map-image.ts";

/** The fake's JPEG with its start-of-frame rewritten to claim `side` × `side` pixels. */
function claiming(side: number): Uint8Array {
  const bytes = Uint8Array.from(fakeMapImage(3000).jpgImage);
  const size = imageSize(bytes)!;
  const view = new DataView(bytes.buffer);
  for (let at = 2; at + 9 < bytes.length; at++) {
    if (bytes[at] === 0xff && bytes[at + 1] === 0xc0 && view.getUint16(at + 5) === size.height && view.getUint16(at + 7) === size.width) {
      view.setUint16(at + 5, side);
      view.setUint16(at + 7, side);
      return bytes;
    }
  }
  throw new Error("no start of frame");
}

const noDatabase = new Proxy({}, { get: () => { throw new Error("nothing may be stored"); } }) as PrismaClient;
const info = { wipeTime: 1, mapSize: 3000, seed: 1 };

describe("a server's map image, measured before it is decoded", () => {
  it("reads the size a JPEG and a PNG declare", () => {
    const image = fakeMapImage(3000);
    expect(imageSize(image.jpgImage)).toEqual({ width: image.width, height: image.height });
    expect(imageSize(new Uint8Array([1, 2, 3]))).toBeNull();
  });

  it("refuses an image far larger than any map's, and one whose header disagrees with the answer, storing nothing", async () => {
    const huge = claiming(16_000);
    await expect(saveMap(noDatabase, "s1", info, { width: 16_000, height: 16_000, oceanMargin: 500, jpgImage: huge })).rejects.toThrow(/16000|larger|too large|Too big|less than or equal/i);
    await expect(saveMap(noDatabase, "s1", info, { width: 2500, height: 2500, oceanMargin: 500, jpgImage: huge })).rejects.toThrow("the map image is 16000×16000, the server said 2500×2500");
  });
});
