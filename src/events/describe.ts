// What a map event says in Discord: a title (the embed adds " at <grid>") and one sentence.
import { edgeOf } from "./grid.ts";
import type { MapEvent } from "./map-tracker.ts";
import { fitText } from "../bot/fit-text.ts";
import { monumentName, placeOf, type MonumentAt, type Place } from "./monuments.ts";

/** Heavy scientists' locked crate opens this long after the call (research/rustplus.md). */
export const OIL_RIG_CRATE_MS = 15 * 60_000;

export interface Described extends Place {
  event: string;
  text: string;
}

/** `monuments` name the place ("at G12 near Outpost"); an event with no place (one that left) has neither. */
export function describeMapEvent(e: MapEvent, mapSize: number, now: number, monuments: readonly MonumentAt[] = []): Described {
  const place = placeOf(e.x, e.y, mapSize, monuments);
  const from = place.grid ? "" : ` from the ${edgeOf(e.x, e.y, mapSize)}`;
  const withGrid = (d: Omit<Described, keyof Place>): Described => ({ ...d, ...place });
  switch (e.kind) {
    case "cargo-entered":
      return withGrid({ event: "🚢 Cargo ship entered", text: `A cargo ship entered the map${from}. It leaves about 50 minutes after it arrived.` });
    case "cargo-left":
      return { event: "🚢 Cargo ship left", text: "The cargo ship left the map." };
    case "heli-entered":
      return withGrid({ event: "🚁 Patrol helicopter entered", text: `A patrol helicopter entered the map${from}.` });
    case "heli-destroyed":
      return withGrid({ event: "🚁 Patrol helicopter destroyed", text: "The patrol helicopter went down: its crates are where it fell." });
    case "heli-left":
      return withGrid({ event: "🚁 Patrol helicopter left", text: "The patrol helicopter left the map." });
    case "ch47-entered":
      return withGrid({ event: "🚁 Chinook entered", text: `A CH47 Chinook entered the map${from}.` });
    case "heavy-scientists": {
      const unlock = Math.round((now + OIL_RIG_CRATE_MS) / 1000);
      const rig = monumentName(e.name ?? "") ?? "oil rig";
      return withGrid({ event: "🛢️ Heavy scientists called", text: `Heavy scientists are on their way to the ${rig}. Its locked crate unlocks at <t:${unlock}:t> (<t:${unlock}:R>).` });
    }
    case "vendor-arrived":
      return withGrid({ event: "🐫 Travelling vendor arrived", text: "The travelling vendor is on the road." });
    case "vendor-left":
      return { event: "🐫 Travelling vendor left", text: "The travelling vendor left." };
    case "vending-machine": {
      // A shop name is a player's text: shortened here, escaped by the embed formatter.
      const name = e.name && fitText(e.name.trim(), 100);
      return withGrid({ event: "🏪 New vending machine", text: name ? `A new vending machine opened: ${name}` : "A new vending machine opened." });
    }
  }
}
