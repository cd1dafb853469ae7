// /map's work: the server's stored image for its wipe, what is on the map now (team and markers read from the live
// connection, notes from the database), rendered. Shared by the command, its buttons and the live map message.
import { z } from "zod";
import { mapMarker, parseEach, teamMember } from "../events/schemas.ts";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import type { ServerInfo } from "../rustplus/responses.ts";
import { UserError } from "../errors.ts";
import type { LayerSet } from "./layers.ts";
import type { MapContent, MarkerWithHeading } from "./map-content.ts";
import type { MapImages } from "./map-image-store.ts";
import { notesForMap } from "../notes/read.ts";
import { teamMarkers } from "../notes/team-markers.ts";
import { MapRenderer } from "./render-map.ts";

const markerWithHeading = mapMarker.extend({ rotation: z.number().finite().optional(), outOfStock: z.boolean().optional() });

export interface RenderedMap {
  png: Buffer;
  content: MapContent;
}

export class MapService {
  readonly renderer = new MapRenderer();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly rust: ConnectionManager,
    private readonly maps: MapImages,
    private readonly logger: Logger,
  ) {}

  /**
   * The map of a server now.
   * @throws UserError when the bot is not connected to it (the map image comes from the server) or the image is unusable.
   */
  async render(serverId: string, serverName: string, layers: LayerSet, now = Date.now()): Promise<RenderedMap> {
    const info = this.requireConnected(serverId, serverName);
    let map;
    try {
      map = await this.maps.current(serverId, info);
    } catch (err) {
      this.logger.warn({ err, serverId }, "could not read the server's map image");
      throw new UserError(`**${serverName}** did not send its map image just now. Try again in a minute.`);
    }
    try {
      await this.renderer.base(serverId, map);
    } catch (err) {
      // A stored image that cannot be drawn (kept before images were checked on arrival): dropped, so the next
      // request asks the server again rather than failing for the rest of the wipe.
      this.logger.warn({ err, serverId }, "the stored map image cannot be drawn; it is asked for again next time");
      await this.prisma.mapImage.deleteMany({ where: { pairedServerId: serverId, wipeKey: map.wipeKey } });
      throw new UserError(`**${serverName}** sent a map image the bot cannot read. Try again in a minute.`);
    }
    const content = await this.content(serverId, map.monuments, layers, now);
    return { png: await this.renderer.render(serverId, map, content, layers), content };
  }

  /**
   * The server's info, when the bot is connected to it (the image and the live layers come from the server).
   * @throws UserError when it is not connected.
   */
  requireConnected(serverId: string, serverName: string): ServerInfo {
    const status = this.rust.status(serverId);
    if (!status?.snapshot || status.state.kind !== "connected") {
      throw new UserError(`The bot is not connected to **${serverName}**, and the map comes from the server. Connect it first: \`/server connect\`.`);
    }
    return status.snapshot.info;
  }

  async content(serverId: string, monuments: MapContent["monuments"], layers: LayerSet, now: number): Promise<MapContent> {
    const log = this.logger.child({ serverId });
    const wantsMarkers = layers.has("events") || layers.has("shops");
    const wantsTeam = layers.has("team") || layers.has("notes");
    const [teamInfo, markers, notes] = await Promise.all([
      wantsTeam ? this.#read(serverId, { getTeamInfo: {} }).then((r) => r?.teamInfo ?? null) : null,
      wantsMarkers ? this.#read(serverId, { getMapMarkers: {} }).then((r) => (r ? (parseEach(markerWithHeading, r.mapMarkers?.markers, log, "map marker") as MarkerWithHeading[]) : null)) : null,
      layers.has("notes") ? notesForMap(this.prisma, serverId, { now: new Date(now) }) : [],
    ]);
    const team = layers.has("team") && teamInfo ? parseEach(teamMember, teamInfo.members, log, "team member") : null;
    const gameNotes = layers.has("notes") && teamInfo ? teamMarkers(teamInfo) : [];
    return { monuments, team: layers.has("team") ? team : null, markers, notes, gameNotes, now };
  }

  /** A read for the image; a failure leaves its layer out instead of failing the image. */
  async #read(serverId: string, data: Record<string, unknown>) {
    try {
      return await this.rust.request(serverId, data, "user");
    } catch (err) {
      this.logger.debug({ err, serverId }, "a map layer could not be read");
      return null;
    }
  }
}
