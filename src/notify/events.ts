// The domain events the notifier posts, validated on the way in and again when read back from the outbox.
// Text from the game or from players is trimmed and cut to its field's length (grapheme-safe), never
// refused for being long: a notification must not be lost, nor cost the change it reports.
import { z } from "zod";
import { fitText } from "../bot/fit-text.ts";
import { notificationButtons } from "./buttons.ts";
import { NotificationFamily } from "./families.ts";

/** Required text: trimmed, cut to `max`; blank is refused (producers give a fallback). */
const text = (max: number) => z.string().overwrite((s) => fitText(s.trim(), max)).min(1);
/** Optional text: trimmed and cut; blank ("   ") reads as absent. */
const optionalText = (max: number) =>
  z.string().optional().transform((s) => (s?.trim() ? fitText(s.trim(), max) : undefined)).pipe(z.string().optional());
/** Any event may carry buttons; such an event is posted alone, with its buttons under it. */
const withButtons = { buttons: notificationButtons.optional() };
/** A Discord role to mention (alarms and raid warnings wake the team). */
const roleId = z.string().regex(/^\d{17,20}$/);
/** Lines of one intel alert; a producer with more splits them into several posts (src/intel/watch/match.ts). */
export const INTEL_ALERT_MAX_LINES = 40;
/** Lines of one shop alert (src/shop/); more are split into several posts. */
export const SHOP_ALERT_MAX_LINES = 40;
const base = {
  ...withButtons,
  serverName: text(256),
  /** When it happened in the game (ISO 8601). */
  at: z.iso.datetime(),
  grid: z.string().regex(/^[A-Z]{1,2}\d{1,2}$/).optional(),
  /** The monument the place is near ("Outpost"), shown after the grid. */
  near: text(60).optional(),
};

export const notificationEvent = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("alarm"), ...base, alarmName: text(256), message: optionalText(4_000), mentionRoleId: roleId.optional() }),
  z.object({ kind: z.literal("raid"), ...base, title: text(200), detail: text(1000), mentionRoleId: roleId.optional() }),
  z.object({ kind: z.literal("map-event"), ...base, event: text(60), text: text(500) }),
  z.object({ kind: z.literal("team-chat"), ...base, author: text(64), text: text(512) }),
  // `text` is the game's sentence from a death push ("You were killed by …"), `killerSteamId` the player who killed.
  z.object({ kind: z.literal("death"), ...base, player: text(64), text: optionalText(256), killerSteamId: z.string().regex(/^7656\d{13}$/).optional() }),
  z.object({ kind: z.literal("login"), ...base, player: text(64), online: z.boolean() }),
  // Shop tracking, one post for many lines (src/shop/): tracked items' offers found in one poll, coalesced; an own
  // shop's sales and sell-outs; the daily sales summary; undercuts. A producer with more lines splits them.
  z.object({ kind: z.literal("shop-alert"), ...base, title: text(200), lines: z.array(text(200)).min(1).max(SHOP_ALERT_MAX_LINES) }),
  z.object({ kind: z.literal("tracked-player"), ...base, player: text(64), text: text(500) }),
  // Player intel, one post for many players (src/intel/watch/alerts.ts): who came online and went offline in
  // one poll, coalesced; `mentionRoleIds` from the watchlists that matched.
  z.object({
    kind: z.literal("intel-alert"),
    ...base,
    title: text(200),
    lines: z.array(text(200)).min(1).max(INTEL_ALERT_MAX_LINES),
    mentionRoleIds: z.array(roleId).max(10).optional(),
  }),
  // `pairing`: a server was just paired; the post says where the user's notifications go (route.ts).
  z.object({ kind: z.literal("server-status"), ...base, text: text(1000), pairing: z.boolean().optional() }),
  // About the user's account rather than a game server (a failed payment).
  z.object({ kind: z.literal("account"), ...withButtons, at: base.at, title: text(200), text: text(1000), url: z.url({ protocol: /^https?$/ }).optional() }),
]);

export type NotificationEvent = z.infer<typeof notificationEvent>;

const FAMILY_OF: Record<NotificationEvent["kind"], NotificationFamily> = {
  alarm: NotificationFamily.ALARMS,
  raid: NotificationFamily.ALARMS,
  "map-event": NotificationFamily.EVENTS,
  "team-chat": NotificationFamily.TEAM_CHAT,
  death: NotificationFamily.DEATHS,
  login: NotificationFamily.DEATHS,
  "shop-alert": NotificationFamily.SHOP,
  "tracked-player": NotificationFamily.INTEL,
  "intel-alert": NotificationFamily.INTEL,
  "server-status": NotificationFamily.STATUS,
  account: NotificationFamily.STATUS,
};

export function familyOf(event: NotificationEvent): NotificationFamily {
  return FAMILY_OF[event.kind];
}
