// Monuments by the tokens getMap sends: the name players know each by, and how far it reaches. The only
// table of monument names; positions shown to users say "G12 near Outpost" through `placeOf`.
//
// Source (facts only): the tokens, English names and radii (metres) used by rustplusplus
// (alexemanuelol/rustplusplus, src/structures/Map.js `monumentInfo` and its English phrases); the tokens are the
// game's localisation keys for monument names (research/rustplus.md "Monument tokens come with getMap").
import { gridOf } from "./grid.ts";

export interface MonumentInfo {
  name: string;
  /** Metres from its centre that count as being in it. */
  radius: number;
}

export const MONUMENTS: Readonly<Record<string, MonumentInfo>> = {
  AbandonedMilitaryBase: { name: "Abandoned Military Base", radius: 46 },
  airfield_display_name: { name: "Airfield", radius: 120 },
  arctic_base_a: { name: "Arctic Research Base", radius: 64 },
  bandit_camp: { name: "Bandit Camp", radius: 82 },
  dome_monument_name: { name: "The Dome", radius: 50 },
  excavator: { name: "Giant Excavator Pit", radius: 110 },
  ferryterminal: { name: "Ferry Terminal", radius: 88 },
  fishing_village_display_name: { name: "Fishing Village", radius: 31 },
  gas_station: { name: "Oxum's Gas Station", radius: 28 },
  harbor_display_name: { name: "Harbor", radius: 96 },
  harbor_2_display_name: { name: "Harbor", radius: 96 },
  junkyard_display_name: { name: "Junkyard", radius: 88 },
  large_fishing_village_display_name: { name: "Large Fishing Village", radius: 40 },
  large_oil_rig: { name: "Large Oil Rig", radius: 40 },
  launchsite: { name: "Launch Site", radius: 250 },
  lighthouse_display_name: { name: "Lighthouse", radius: 28 },
  military_tunnels_display_name: { name: "Military Tunnel", radius: 122 },
  mining_outpost_display_name: { name: "Mining Outpost", radius: 17 },
  mining_quarry_hqm_display_name: { name: "HQM Quarry", radius: 27 },
  mining_quarry_stone_display_name: { name: "Stone Quarry", radius: 35 },
  mining_quarry_sulfur_display_name: { name: "Sulfur Quarry", radius: 33 },
  missile_silo_monument: { name: "Missile Silo", radius: 81 },
  oil_rig_small: { name: "Small Oil Rig", radius: 32 },
  outpost: { name: "Outpost", radius: 81 },
  power_plant_display_name: { name: "Power Plant", radius: 112 },
  satellite_dish_display_name: { name: "Satellite Dish", radius: 78 },
  sewer_display_name: { name: "Sewer Branch", radius: 87 },
  stables_a: { name: "Ranch", radius: 35 },
  stables_b: { name: "Large Barn", radius: 35 },
  supermarket: { name: "Abandoned Supermarket", radius: 19 },
  swamp_c: { name: "Abandoned Cabins", radius: 42 },
  train_yard_display_name: { name: "Train Yard", radius: 115 },
  underwater_lab: { name: "Underwater Lab", radius: 75 },
  water_treatment_plant_display_name: { name: "Water Treatment Plant", radius: 110 },
};

/**
 * How far past a monument's own radius a position still reads as "near" it (metres): about half a grid cell,
 * so the name helps find the place without naming a monument across the map.
 */
export const NEAR_METRES = 75;

export interface MonumentAt {
  token: string;
  x: number;
  y: number;
}

/** The readable name of a monument token, or undefined for tokens without one (train tunnels, unknown ones). */
export function monumentName(token: string): string | undefined {
  return Object.hasOwn(MONUMENTS, token) ? MONUMENTS[token]?.name : undefined;
}

/** The name of the named monument nearest a position (metres, world coordinates) if it is near, else undefined. */
export function nearMonument(x: number, y: number, monuments: readonly MonumentAt[]): string | undefined {
  let best: { name: string; gap: number } | undefined;
  for (const m of monuments) {
    const info = Object.hasOwn(MONUMENTS, m.token) ? MONUMENTS[m.token] : undefined;
    if (!info) continue;
    const gap = Math.hypot(m.x - x, m.y - y) - info.radius;
    if (gap <= NEAR_METRES && (!best || gap < best.gap)) best = { name: info.name, gap };
  }
  return best?.name;
}

/** Where a position is, as players say it: its cell and, when one is close, the monument it is near. */
export interface Place {
  grid?: string;
  near?: string;
}

export function placeOf(x: number, y: number, mapSize: number, monuments: readonly MonumentAt[]): Place {
  const grid = gridOf(x, y, mapSize);
  const near = Number.isFinite(x) && Number.isFinite(y) ? nearMonument(x, y, monuments) : undefined;
  return { ...(grid && { grid }), ...(near && { near }) };
}

/** "G12 near Outpost", "G12", "near Large Oil Rig" (a rig off the grid) or "" when nothing is known. */
export function placeText(place: Place): string {
  return [place.grid, place.near && `near ${place.near}`].filter(Boolean).join(" ");
}

/** " at G12 near Outpost", " near Large Oil Rig", or "" — to follow a subject in a sentence. */
export function atPlace(place: Place): string {
  if (place.grid) return ` at ${placeText(place)}`;
  return place.near ? ` near ${place.near}` : "";
}
