// Map events, deaths and logins into the outbox. Dedupe keys name the occurrence (server, wipe, marker or
// death time), so a second poll, a reconnect or another process seeing the same thing posts nothing more.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { HOLD_MS } from "../notify/held.ts";
import type { Notifier } from "../notify/notifier.ts";
import { settleDeath, type DeathMatcher } from "./death-matcher.ts";
import { describeMapEvent } from "./describe.ts";
import { groupOf } from "./event-groups.ts";
import type { MapEvent } from "./map-tracker.ts";
import { atPlace, placeOf } from "./monuments.ts";
import type { Monument } from "./schemas.ts";
import type { TeamChange } from "./team-tracker.ts";
import { fitText } from "../bot/fit-text.ts";

/** The paired server an event belongs to, as read when its connection became ready. */
export interface ServerContext {
  serverId: string;
  userId: string;
  serverName: string;
  mapSize: number;
  /** Marker ids start again after a wipe: part of what makes an occurrence unique. */
  wipeTime: number;
  /** The map's monuments (getMap), once read: positions are named after the one they are near. */
  monuments: Monument[];
}

/** Posts the event unless the owner switched its group off for this server (read now: /events set applies at once). */
export async function postMapEvent(prisma: PrismaClient, notifier: Notifier, server: ServerContext, e: MapEvent, now: number): Promise<void> {
  const row = await prisma.pairedServer.findUnique({ where: { id: server.serverId }, select: { mutedMapEvents: true } });
  if (!row || row.mutedMapEvents.includes(groupOf(e.kind))) return;
  await notifier.notify({
    userId: server.userId,
    dedupeKey: `map:${server.serverId}:${server.wipeTime}:${e.markerId}:${e.kind}`,
    event: { kind: "map-event", serverName: server.serverName, at: new Date(now).toISOString(), ...describeMapEvent(e, server.mapSize, now, server.monuments) },
  });
}

/**
 * A death also leaves a DEATH map note where the teammate was last seen, committed with its post. With `deaths`,
 * the post is held until matched with the death push of the same death (death-matcher.ts), so it is posted once.
 */
export async function postTeamChange(
  prisma: PrismaClient,
  notifier: Notifier,
  server: ServerContext,
  change: TeamChange,
  now: number,
  deaths?: DeathMatcher,
): Promise<void> {
  const { member } = change;
  const player = fitText(member.name.trim(), 64) || member.steamId;
  const at = new Date(now).toISOString();
  const place = placeOf(member.x, member.y, server.mapSize, server.monuments);
  if (change.kind === "login") {
    await notifier.notify({
      userId: server.userId,
      dedupeKey: `team-login:${server.serverId}:${member.steamId}:${change.online ? "on" : "off"}:${now}`,
      event: { kind: "login", serverName: server.serverName, player, online: change.online, at },
    });
    return;
  }
  const deathTime = member.deathTime || Math.floor(now / 1000);
  const dedupeKey = `team-death:${server.serverId}:${member.steamId}:${deathTime}`;
  const outcome = await prisma.$transaction(async (tx) => {
    const queued = await notifier.notify(
      {
        userId: server.userId,
        dedupeKey,
        event: { kind: "death", serverName: server.serverName, player, at, ...place },
        ...(deaths && { holdUntil: new Date(Date.now() + HOLD_MS) }),
      },
      tx,
    );
    if (queued === "duplicate") return queued;
    await tx.mapNote.create({
      data: { pairedServerId: server.serverId, category: "DEATH", x: member.x, y: member.y, label: `${player} died${atPlace(place)}` },
    });
    return queued;
  });
  if (deaths && outcome === "queued") settleDeath(deaths, notifier, { serverId: server.serverId, steamId: member.steamId, source: "team", dedupeKey });
  // Queued inside the transaction: wake the notifier now that the row is committed.
  else notifier.kick();
}
