// The server's map image for its current wipe, kept in the database: asked of the server (getMap, 5 tokens, a few
// hundred kilobytes) only when the stored copy belongs to another wipe. In the database rather than the data
// directory so every process of a fleet shares one copy, and removing the server removes it.
import { loadImage } from "@napi-rs/canvas";
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import type { Priority } from "../rustplus/rate-budget.ts";
import type { ServerInfo } from "../rustplus/responses.ts";
import { monument, type Monument } from "../events/schemas.ts";
import { imageSize } from "./image-size.ts";
import type { MapFrame } from "./projection.ts";

export interface StoredMap {
  wipeKey: string;
  frame: MapFrame;
  image: Uint8Array;
  monuments: Monument[];
}

/** Largest image accepted from a server (bytes): real ones are a few hundred kilobytes. */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

/** One wipe of one map: a wipe changes the wipe time, and a new map its seed or size. */
export function wipeKeyOf(info: Pick<ServerInfo, "wipeTime" | "mapSize" | "seed">): string {
  return `${info.wipeTime}-${info.seed ?? 0}-${info.mapSize}`;
}

/**
 * Largest side accepted (pixels): real images are 2 m a pixel plus 1,000 px of sea (4,000 px for a 6,000 m map);
 * twice that leaves room for custom maps while a decode stays under 256 MiB.
 */
export const MAX_IMAGE_SIDE = 8192;

const mapAnswer = z.object({
  width: z.number().int().min(1).max(MAX_IMAGE_SIDE),
  height: z.number().int().min(1).max(MAX_IMAGE_SIDE),
  oceanMargin: z.number().int().min(0).optional().default(0),
  jpgImage: z.instanceof(Uint8Array).refine((b) => b.length > 0 && b.length <= MAX_IMAGE_BYTES, "the image is empty or too large"),
  monuments: z.array(z.unknown()).max(2000).optional().default([]),
});

/** The valid monuments of an answer (one bad entry is left out, not the whole map). */
const validMonuments = (list: readonly unknown[]): Monument[] => list.flatMap((m) => {
  const parsed = monument.safeParse(m);
  return parsed.success ? [parsed.data] : [];
});

/** The stored map when it is of the wipe `wipeKey`. */
export async function storedMap(prisma: PrismaClient, serverId: string, wipeKey: string): Promise<StoredMap | null> {
  const row = await prisma.mapImage.findUnique({ where: { pairedServerId: serverId } });
  if (!row || row.wipeKey !== wipeKey) return null;
  const monuments = z.array(monument).safeParse(row.monuments);
  return {
    wipeKey,
    frame: { width: row.width, height: row.height, oceanMargin: row.oceanMargin, mapSize: row.mapSize },
    image: row.image,
    monuments: monuments.success ? monuments.data : [],
  };
}

/**
 * Stores a getMap answer for a wipe, replacing the last wipe's.
 * @throws Error when the answer is not a usable map (no image, bytes that are not an image of the sizes it
 *   states, sizes out of range, margin too wide). Nothing is stored then: a bad answer is asked for again at
 *   the next request instead of spoiling the whole wipe.
 */
export async function saveMap(prisma: PrismaClient, serverId: string, info: Pick<ServerInfo, "wipeTime" | "mapSize" | "seed">, answer: unknown): Promise<StoredMap> {
  const map = mapAnswer.parse(answer);
  if (2 * map.oceanMargin >= Math.min(map.width, map.height) || info.mapSize <= 0) throw new Error("the map's ocean margin leaves no land, or its size is 0");
  // Measured from its header before the decode, which allocates what the header claims.
  const declared = imageSize(map.jpgImage);
  if (!declared) throw new Error("the map image is neither a JPEG nor a PNG");
  if (declared.width !== map.width || declared.height !== map.height) {
    throw new Error(`the map image is ${declared.width}×${declared.height}, the server said ${map.width}×${map.height}`);
  }
  const picture = await loadImage(Buffer.from(map.jpgImage));
  if (picture.width !== map.width || picture.height !== map.height) {
    throw new Error(`the map image is ${picture.width}×${picture.height}, the server said ${map.width}×${map.height}`);
  }
  const wipeKey = wipeKeyOf(info);
  const monuments = validMonuments(map.monuments);
  const fields = { wipeKey, mapSize: info.mapSize, width: map.width, height: map.height, oceanMargin: map.oceanMargin, image: Buffer.from(map.jpgImage), monuments, fetchedAt: new Date() };
  await prisma.mapImage.upsert({ where: { pairedServerId: serverId }, create: { pairedServerId: serverId, ...fields }, update: fields });
  return { wipeKey, frame: { width: map.width, height: map.height, oceanMargin: map.oceanMargin, mapSize: info.mapSize }, image: map.jpgImage, monuments };
}

/**
 * The map of the server's current wipe: the stored one, or asked of the server and stored. Concurrent calls for one
 * server and wipe share one request.
 * @throws RustPlusError / RustPlusUnavailable from the request; Error for an unusable answer.
 */
export class MapImages {
  readonly #inFlight = new Map<string, Promise<StoredMap>>();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly rust: ConnectionManager,
  ) {}

  async current(serverId: string, info: ServerInfo, priority: Priority = "user"): Promise<StoredMap> {
    const key = `${serverId}:${wipeKeyOf(info)}`;
    let pending = this.#inFlight.get(key);
    if (!pending) {
      pending = this.#load(serverId, info, priority).finally(() => this.#inFlight.delete(key));
      this.#inFlight.set(key, pending);
    }
    return pending;
  }

  async #load(serverId: string, info: ServerInfo, priority: Priority): Promise<StoredMap> {
    const stored = await storedMap(this.prisma, serverId, wipeKeyOf(info));
    if (stored) return stored;
    const answer = await this.rust.request(serverId, { getMap: {} }, priority);
    return saveMap(this.prisma, serverId, info, answer.map);
  }
}
