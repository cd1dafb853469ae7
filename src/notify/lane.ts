// Which REST lane (src/fleet/lanes.ts) a notification goes in: alarms and raids (the ALARMS family) in
// "alarm", served first whenever Discord's global limit is the bottleneck; everything else (card edits, chat
// relays, events, intel, deaths, status) in "routine". The outbox claims alarm rows first too (claim.ts).
import { NotificationFamily } from "../generated/prisma/enums.ts";
import { LANE_HEADER, type Lane } from "../fleet/lanes.ts";

export const ALARM_FAMILIES: ReadonlySet<NotificationFamily> = new Set([NotificationFamily.ALARMS]);

export function laneOf(family: NotificationFamily): Lane {
  return ALARM_FAMILIES.has(family) ? "alarm" : "routine";
}

/** For a REST call's options: `rest.post(route, { body, headers: laneHeaders("alarm") })`. */
export function laneHeaders(lane: Lane): Record<string, string> {
  return { [LANE_HEADER]: lane };
}
