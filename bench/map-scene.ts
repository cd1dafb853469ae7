// Map scenes for the map benchmark and the README's example image: the fake server's map image (as real servers
// size theirs) with monuments, a team, notes and live markers at fixed pseudo-random places.
import { fakeMapImage } from "../test/fakes/rustplus/map-image.ts";
import type { MapContent, MarkerWithHeading } from "../src/map/map-content.ts";
import type { StoredMap } from "../src/map/map-image-store.ts";

/** A fixed sequence in [0, 1): the same scene every run. */
function sequence(seed: number): () => number {
  let s = seed;
  return () => ((s = (s * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
}

const CATEGORIES = ["TAG", "SAM", "DEATH", "CUSTOM"] as const;
const MONUMENTS = ["outpost", "launchsite", "airfield_display_name", "bandit_camp", "military_tunnels_display_name", "power_plant_display_name", "train_yard_display_name", "harbor_display_name", "satellite_dish_display_name", "water_treatment_plant_display_name", "junkyard_display_name", "large_oil_rig", "oil_rig_small", "gas_station", "supermarket", "lighthouse_display_name"];

export function scene(options: { mapSize: number; markers: number; notes: number; team: number }): { map: StoredMap; content: MapContent } {
  const image = fakeMapImage(options.mapSize);
  const random = sequence(options.mapSize + options.markers);
  const at = () => ({ x: 100 + random() * (options.mapSize - 200), y: 100 + random() * (options.mapSize - 200) });
  const now = Date.UTC(2026, 10, 30, 18, 0);
  const monuments = MONUMENTS.map((token, i) => (token.includes("oil_rig") ? { token, x: i % 2 ? -150 : options.mapSize + 150, y: random() * options.mapSize } : { token, ...at() }));
  const markerTypes = [3, 3, 3, 3, 3, 3, 5, 8, 4, 9];
  const markers: MarkerWithHeading[] = Array.from({ length: options.markers }, (_, i) => ({ id: i + 1, type: markerTypes[i % markerTypes.length] ?? 3, ...at(), rotation: random() * 360, outOfStock: i % 7 === 0 }));
  const team = Array.from({ length: options.team }, (_, i) => ({ steamId: `7656119800000000${i}`, name: ["Ada", "Bo", "Cy", "Dee", "Eli", "Fay", "Gus", "Hal"][i % 8] ?? "Mate", ...at(), isOnline: i % 3 !== 2, isAlive: i % 4 !== 3, spawnTime: 0, deathTime: 0 }));
  const notes = Array.from({ length: options.notes }, (_, i) => ({
    category: CATEGORIES[i % 4] ?? "TAG", ...at(), label: i % 4 === 3 ? "Loot room" : i % 4 === 1 ? "SAM" : i % 4 === 0 ? `Base ${i}` : null,
    emoji: i % 4 === 3 ? "🚀" : null, color: i % 4 === 3 ? "#ff6ec7" : null, createdAt: new Date(now - i * 60_000),
  }));
  return {
    map: { wipeKey: `bench-${options.mapSize}`, frame: { width: image.width, height: image.height, oceanMargin: image.oceanMargin, mapSize: options.mapSize }, image: image.jpgImage, monuments },
    content: { monuments, team, markers, notes, gameNotes: [{ kind: "marker", ...at() }, { kind: "last-death", ...at() }], now },
  };
}

/** The README's example: a 3000 m map, a team of four, a handful of notes and events. */
export const exampleMap = () => scene({ mapSize: 3000, markers: 20, notes: 8, team: 4 });
