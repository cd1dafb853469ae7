// Map events from successive getMapMarkers answers of one server. Pure: markers in, events out. The first
// answer only seeds what is already on the map, so (re)connecting never announces old news.
import { onGrid } from "./grid.ts";
import { MarkerKind, type MapMarker, type Monument } from "./schemas.ts";

export type MapEventKind =
  | "cargo-entered" | "cargo-left"
  | "heli-entered" | "heli-destroyed" | "heli-left"
  | "ch47-entered" | "heavy-scientists"
  | "vendor-arrived" | "vendor-left"
  | "vending-machine";

export interface MapEvent {
  kind: MapEventKind;
  /** The marker it is about: with the kind, what makes it one occurrence. */
  markerId: number;
  x: number;
  y: number;
  /** Shop name, or the oil rig's monument token for heavy scientists. */
  name?: string;
}

/** A CH47 this close to an oil rig is dropping heavy scientists there (research/rustplus.md). */
export const OIL_RIG_RADIUS = 550;
export const OIL_RIG_TOKENS = new Set(["large_oil_rig", "oil_rig_small"]);

/** Markers that come and go; `gone` is told whether the last position was on the grid. A CH47 leaving is not news. */
const MOVING: Partial<Record<number, { entered: MapEventKind; gone?: (onGrid: boolean) => MapEventKind }>> = {
  [MarkerKind.CargoShip]: { entered: "cargo-entered", gone: () => "cargo-left" },
  [MarkerKind.PatrolHelicopter]: { entered: "heli-entered", gone: (inside) => (inside ? "heli-destroyed" : "heli-left") },
  [MarkerKind.CH47]: { entered: "ch47-entered" },
  [MarkerKind.TravelingVendor]: { entered: "vendor-arrived", gone: () => "vendor-left" },
};

interface Seen {
  type: number;
  x: number;
  y: number;
}

export class MapTracker {
  readonly #seen = new Map<number, Seen>();
  /** CH47s already reported (or already there when seeded) at an oil rig. */
  readonly #atRig = new Set<number>();
  #seeded = false;

  constructor(
    private readonly mapSize: number,
    private readonly oilRigs: readonly Monument[],
  ) {}

  /**
   * The events since the last answer. Markers of the `quiet` types are only remembered, as on the first answer: a kind
   * the server starts reporting again (after not sending it) shows what was there all along, which is not news.
   */
  update(markers: readonly MapMarker[], quiet: ReadonlySet<number> = new Set()): MapEvent[] {
    const events: MapEvent[] = [];
    const current = new Map<number, MapMarker>();
    for (const m of markers) if (m.type in MOVING || m.type === MarkerKind.VendingMachine) current.set(m.id, m);

    for (const m of current.values()) {
      const known = this.#seen.has(m.id);
      this.#seen.set(m.id, { type: m.type, x: m.x, y: m.y });
      const rig = m.type === MarkerKind.CH47 ? this.#rigNear(m) : undefined;
      if (!this.#seeded || (!known && quiet.has(m.type))) {
        if (rig) this.#atRig.add(m.id);
        continue;
      }
      if (!known) {
        const entered = MOVING[m.type]?.entered;
        if (entered) events.push(at(entered, m));
        else events.push({ ...at("vending-machine", m), ...(m.name && { name: m.name }) });
      }
      if (rig && !this.#atRig.has(m.id)) {
        this.#atRig.add(m.id);
        events.push({ ...at("heavy-scientists", m), name: rig.token });
      }
    }

    for (const [id, last] of this.#seen) {
      if (current.has(id)) continue;
      this.#seen.delete(id);
      this.#atRig.delete(id);
      const gone = MOVING[last.type]?.gone?.(onGrid(last.x, last.y, this.mapSize));
      if (gone) events.push({ kind: gone, markerId: id, x: last.x, y: last.y });
    }
    this.#seeded = true;
    return events;
  }

  #rigNear(m: MapMarker): Monument | undefined {
    return this.oilRigs.find((rig) => Math.hypot(rig.x - m.x, rig.y - m.y) <= OIL_RIG_RADIUS);
  }
}

const at = (kind: MapEventKind, m: MapMarker): MapEvent => ({ kind, markerId: m.id, x: m.x, y: m.y });
