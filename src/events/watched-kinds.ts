// The map markers the bot's events are read from, which Rust+ may not send. Locked crates and explosions went in
// 2023 (rustplusplus #194, rustplus.js #64); on official servers the game's August 2026 update removed dynamic events
// and vending machines (Rust+ Desktop 8.0 notes, Pronwan/rustplus-desktop#162; rustplusplus #541). Servers differ and
// this can change again, so the bot watches each server (marker-watch.ts) rather than assuming.
import type { EventGroup } from "./event-groups.ts";
import { MarkerKind } from "./schemas.ts";

export const WATCHED_KINDS = {
  cargo: { type: MarkerKind.CargoShip, name: "the cargo ship" },
  heli: { type: MarkerKind.PatrolHelicopter, name: "the patrol helicopter" },
  ch47: { type: MarkerKind.CH47, name: "the Chinook (CH47)" },
  vendor: { type: MarkerKind.TravelingVendor, name: "the travelling vendor" },
  vending: { type: MarkerKind.VendingMachine, name: "vending machines" },
} as const;

export type WatchedKind = keyof typeof WATCHED_KINDS;
export const WATCHED_KIND_LIST = Object.keys(WATCHED_KINDS) as WatchedKind[];

/** The marker kind each event group is read from: oil rig calls are Chinooks seen near a rig. */
export const KIND_OF_GROUP: Record<EventGroup, WatchedKind> = {
  cargo: "cargo",
  heli: "heli",
  ch47: "ch47",
  "oil-rig": "ch47",
  vendor: "vendor",
  vending: "vending",
};

const KIND_OF_TYPE = new Map<number, WatchedKind>(WATCHED_KIND_LIST.map((k) => [WATCHED_KINDS[k].type, k]));

/** The watched kind of a marker type, if it is one. */
export const kindOfMarkerType = (type: number): WatchedKind | undefined => KIND_OF_TYPE.get(type);

/** The valid kinds of a stored list (PairedServer.unreportedMarkers), in table order; anything else is ignored. */
export function storedKinds(stored: readonly string[]): WatchedKind[] {
  return WATCHED_KIND_LIST.filter((k) => stored.includes(k));
}

/** "the cargo ship", "the cargo ship and vending machines", "a, b and c". */
export function kindNames(kinds: readonly WatchedKind[]): string {
  const names = kinds.map((k) => WATCHED_KINDS[k].name);
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)!}`;
}

/** What /events show, !events, !cargo and !heli say about kinds a server does not report: "this server does not report … through Rust+". */
export function notReported(kinds: readonly WatchedKind[]): string {
  return `this server does not report ${kindNames(kinds)} through Rust+`;
}

/** The same as a sentence. */
export const notReportedSentence = (kinds: readonly WatchedKind[]): string => {
  const clause = notReported(kinds);
  return `${clause[0]!.toUpperCase()}${clause.slice(1)}.`;
};
