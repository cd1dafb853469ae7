// Map events come in groups an owner can switch off per server (/events set).
import type { MapEventKind } from "./map-tracker.ts";

export const EVENT_GROUPS = {
  cargo: "Cargo ship",
  heli: "Patrol helicopter",
  ch47: "Chinook (CH47)",
  "oil-rig": "Heavy scientists at oil rigs",
  vendor: "Travelling vendor",
  vending: "New vending machines",
} as const;

export type EventGroup = keyof typeof EVENT_GROUPS;

const GROUP_OF: Record<MapEventKind, EventGroup> = {
  "cargo-entered": "cargo",
  "cargo-left": "cargo",
  "heli-entered": "heli",
  "heli-destroyed": "heli",
  "heli-left": "heli",
  "ch47-entered": "ch47",
  "heavy-scientists": "oil-rig",
  "vendor-arrived": "vendor",
  "vendor-left": "vendor",
  "vending-machine": "vending",
};

export const groupOf = (kind: MapEventKind): EventGroup => GROUP_OF[kind];
export const isEventGroup = (value: string): value is EventGroup => value in EVENT_GROUPS;
