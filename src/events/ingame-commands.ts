// In-game commands about the map: where the cargo ship and the patrol helicopter are now (read on demand, one
// getMapMarkers at user priority) and the map events posted lately (from the outbox, so they survive restarts).
// Kinds the server was found not to report through Rust+ are named, so silence is not mistaken for a quiet map.
import type { CommandContext, InGameCommand } from "../ingame/registry.ts";
import { edgeOf } from "./grid.ts";
import { atPlace, placeOf, placeText } from "./monuments.ts";
import { mapMarker } from "./schemas.ts";
import { notReportedSentence, storedKinds, WATCHED_KINDS, type WatchedKind } from "./watched-kinds.ts";

const RECENT_MS = 60 * 60_000;
const RECENT_MAX = 5;

async function markersOf(ctx: CommandContext, type: number) {
  const response = await ctx.request({ getMapMarkers: {} });
  const markers = response.mapMarkers?.markers ?? [];
  return markers.flatMap((m) => {
    const parsed = mapMarker.safeParse(m);
    return parsed.success && parsed.data.type === type ? [parsed.data] : [];
  });
}

/** The kinds recorded as not reported by this server. */
async function unreportedKinds(ctx: CommandContext): Promise<WatchedKind[]> {
  const row = await ctx.prisma.pairedServer.findUnique({ where: { id: ctx.server.id }, select: { unreportedMarkers: true } });
  return storedKinds(row?.unreportedMarkers ?? []);
}

function whereabouts(what: string, kind: WatchedKind): InGameCommand["run"] {
  return async (ctx) => {
    const found = await markersOf(ctx, WATCHED_KINDS[kind].type);
    if (!found.length) return (await unreportedKinds(ctx)).includes(kind) ? notReportedSentence([kind]) : `No ${what} on the map right now.`;
    const What = `${what[0]!.toUpperCase()}${what.slice(1)}`;
    return found.map((m) => {
      const place = placeOf(m.x, m.y, ctx.server.mapSize, ctx.server.monuments);
      if (place.grid) return `${What} at ${placeText(place)}`;
      // Off the grid (still at sea, or the map size unknown): which side it is on.
      return ctx.server.mapSize > 0 ? `${What} off grid to the ${edgeOf(m.x, m.y, ctx.server.mapSize)}` : `${What}: the map size is not known yet`;
    });
  };
}

export const cargo: InGameCommand = { name: "cargo", summary: "where the cargo ship is", run: whereabouts("cargo ship", "cargo") };
export const heli: InGameCommand = { name: "heli", summary: "where the patrol helicopter is", run: whereabouts("patrol helicopter", "heli") };

interface PostedEvent {
  kind?: unknown;
  serverName?: unknown;
  event?: unknown;
  grid?: unknown;
  near?: unknown;
  at?: unknown;
}

export const events: InGameCommand = {
  name: "events",
  summary: "map events of the last hour",
  async run(ctx) {
    // The newest rows, judged by when each event happened in the game (the payload's `at`).
    const rows = await ctx.prisma.notificationOutbox.findMany({ where: { userId: ctx.server.userId, family: "EVENTS" }, orderBy: { seq: "desc" }, take: 50 });
    const since = ctx.now() - RECENT_MS;
    const lines = rows
      .map((r) => r.payload as PostedEvent)
      .filter((p) => p.kind === "map-event" && p.serverName === ctx.server.serverName && typeof p.event === "string" && typeof p.at === "string" && Date.parse(p.at) >= since)
      .slice(0, RECENT_MAX)
      .map((p) => {
        const minutes = Math.max(0, Math.round((ctx.now() - Date.parse(String(p.at))) / 60_000));
        const place = { ...(typeof p.grid === "string" && { grid: p.grid }), ...(typeof p.near === "string" && { near: p.near }) };
        return `${String(p.event)}${atPlace(place)} (${minutes} min ago)`;
      });
    const unreported = await unreportedKinds(ctx);
    return [...(lines.length ? lines : ["No map events in the last hour."]), ...(unreported.length ? [notReportedSentence(unreported)] : [])];
  },
};

export const MAP_COMMANDS: readonly InGameCommand[] = [cargo, heli, events];
