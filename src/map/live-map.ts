// `/map live on`: a server's map kept as one message in its owner's #events channel, edited in place at most
// every 2 minutes, and only when what it shows changed (the team moved, an event came or went, a note). The switch
// and the time of the last edit are in the database (LiveMap), the message itself is a live message (src/notify),
// so the map carries on after a restart and REST's rate limits apply to every post and edit. Each process updates
// the maps of the servers whose Rust+ connection it holds.
import { createHash } from "node:crypto";
import type { REST } from "@discordjs/rest";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { Logger } from "../logger.ts";
import { removeLiveMessage, upsertLiveMessage, type LiveMessageResult } from "../notify/live-message.ts";
import type { ConnectionManager } from "../rustplus/connection-manager.ts";
import { realTimers, type Timers } from "../rustplus/timers.ts";
import { serverLabel } from "../pairing/server-card.ts";
import { plain } from "../bot/plain-text.ts";
import { MarkerKind } from "../events/schemas.ts";
import { DEFAULT_LAYERS } from "./layers.ts";
import type { MapContent } from "./map-content.ts";
import type { MapService } from "./map-service.ts";
import { MAP_FILE_NAME } from "./map-reply.ts";

/** At most one edit of a live map this often (ms). */
export const LIVE_MAP_EVERY_MS = 120_000;
/** How often the maps are looked at (ms): an edit is due at most this late after its 2 minutes. */
export const LIVE_MAP_CHECK_MS = 20_000;
/** Moves smaller than this (metres) do not count as a change: a player shuffling in their base is not news. */
const MOVE_METRES = 25;

export const liveMapKey = (serverId: string): string => `map:${serverId}`;

export type LiveMapOutcome = LiveMessageResult["outcome"] | "not-due" | "not-connected" | "same" | "unreadable";

/**
 * What a live map shows, as a digest: positions rounded to MOVE_METRES, life and presence, the events on the map,
 * the notes. Equal digests mean an edit would show nothing new.
 */
export function shownDigest(content: MapContent): string {
  const r = (v: number) => Math.round(v / MOVE_METRES);
  const events = new Set<number>([MarkerKind.CargoShip, MarkerKind.PatrolHelicopter, MarkerKind.CH47, MarkerKind.TravelingVendor]);
  const parts = {
    team: (content.team ?? []).map((m) => [m.steamId, r(m.x), r(m.y), m.isOnline, m.isAlive]).sort(),
    events: (content.markers ?? []).filter((m) => events.has(m.type)).map((m) => [m.id, m.type, r(m.x), r(m.y)]).sort(),
    notes: content.notes.map((n) => [n.category, n.x, n.y, n.label, n.emoji, n.color]),
    gameNotes: content.gameNotes.map((n) => [n.kind, r(n.x), r(n.y)]),
  };
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url");
}

export class LiveMaps {
  #timer: unknown;
  #running: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly prisma: PrismaClient,
    private readonly rest: REST,
    private readonly rust: ConnectionManager,
    private readonly maps: MapService,
    private readonly logger: Logger,
    private readonly timers: Timers = realTimers,
  ) {}

  /** Looks at the live maps every LIVE_MAP_CHECK_MS; returns the stop function. */
  start(): () => void {
    const loop = () => {
      this.#timer = this.timers.setTimeout(() => {
        void this.tick().finally(loop);
      }, LIVE_MAP_CHECK_MS);
    };
    loop();
    return () => this.timers.clearTimeout(this.#timer);
  }

  /** One look at every live map this process's connections serve; returns each server's outcome. Never throws. */
  tick(): Promise<Record<string, LiveMapOutcome>> {
    const run = this.#running.then(() => this.#tick());
    this.#running = run.catch(() => undefined);
    return run;
  }

  async #tick(): Promise<Record<string, LiveMapOutcome>> {
    const outcomes: Record<string, LiveMapOutcome> = {};
    const rows = await this.prisma.liveMap.findMany({ include: { pairedServer: true } }).catch((err: unknown) => {
      this.logger.warn({ err }, "reading live maps failed");
      return [];
    });
    for (const row of rows) {
      if (!this.rust.get(row.pairedServerId)) continue; // another process holds this server's connection
      try {
        outcomes[row.pairedServerId] = await this.#update(row, row.pairedServer);
      } catch (err) {
        this.logger.warn({ err, serverId: row.pairedServerId }, "updating a live map failed");
        outcomes[row.pairedServerId] = "failed";
      }
    }
    return outcomes;
  }

  async #update(row: { pairedServerId: string; shownHash: string | null; editedAt: Date | null }, server: Parameters<typeof serverLabel>[0] & { userId: string }): Promise<LiveMapOutcome> {
    const now = this.timers.now();
    if (row.editedAt && now - row.editedAt.getTime() < LIVE_MAP_EVERY_MS) return "not-due";
    if (this.rust.status(row.pairedServerId)?.state.kind !== "connected") return "not-connected";
    const name = plain(serverLabel(server));
    const rendered = await this.maps.render(row.pairedServerId, name, DEFAULT_LAYERS, now);
    // A read that failed this time (rate limit, timeout) would drop the team or the events from the image: keep the
    // last image rather than post a poorer one, and look again next time.
    if (rendered.content.team === null || rendered.content.markers === null) return "unreadable";
    const digest = shownDigest(rendered.content);
    if (digest === row.shownHash) return "same";
    const result = await upsertLiveMessage(this.prisma, this.rest, this.logger, {
      userId: server.userId,
      key: liveMapKey(row.pairedServerId),
      family: "EVENTS",
      embed: { title: `Map: ${name}`, description: `Updated <t:${Math.floor(now / 1000)}:R>, at most every ${LIVE_MAP_EVERY_MS / 60_000} minutes while something moves.`, image: { url: `attachment://${MAP_FILE_NAME}` } },
      files: [{ name: MAP_FILE_NAME, data: rendered.png }],
      contentKey: digest,
    });
    if (result.outcome !== "failed" && result.outcome !== "no-channel") {
      const { count } = await this.prisma.liveMap.updateMany({ where: { pairedServerId: row.pairedServerId }, data: { shownHash: digest, editedAt: new Date(now) } });
      // Switched off while this image was drawn and posted (here or in another process): its removal found no
      // message yet, so this post would stay in #events for good. Taken down now.
      if (count === 0) await removeLiveMessage(this.prisma, this.rest, this.logger, { userId: server.userId, key: liveMapKey(row.pairedServerId) });
    }
    return result.outcome;
  }

  /** Switches a server's live map on (posted at the next look, or now with `post`) or off (its message deleted). */
  async set(serverId: string, userId: string, on: boolean): Promise<void> {
    if (on) {
      await this.prisma.liveMap.upsert({ where: { pairedServerId: serverId }, create: { pairedServerId: serverId }, update: { shownHash: null, editedAt: null } });
      return;
    }
    await this.prisma.liveMap.deleteMany({ where: { pairedServerId: serverId } });
    await removeLiveMessage(this.prisma, this.rest, this.logger, { userId, key: liveMapKey(serverId) });
  }
}
